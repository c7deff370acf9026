import type { ReactNode } from 'react';
import { Button, useConfirm } from '@primer/react';

interface ConfirmButtonProps {
  /** Accessible name of the button, e.g. `Delete alice`. */
  label: string;
  title: string;
  text: string;
  confirm: string;
  children: ReactNode;
  onConfirm(): unknown;
}

/** A destructive action behind a confirmation dialog. */
export function ConfirmButton({ label, title, text, confirm, children, onConfirm }: ConfirmButtonProps) {
  const ask = useConfirm();
  return (
    <Button
      size="small"
      variant="danger"
      aria-label={label}
      onClick={async () => {
        if (await ask({ title, content: text, confirmButtonContent: confirm, confirmButtonType: 'danger' })) onConfirm();
      }}
    >
      {children}
    </Button>
  );
}
