import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Dialog, FormControl, TextInput } from '@primer/react';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction } from '@tandem/web-kit/hooks.ts';

interface PromptDialogProps {
  title: string;
  label: string;
  confirm: string;
  initial?: string;
  /** Select the name without its extension, like a file manager does for renames. */
  selectStem?: boolean;
  onSubmit(value: string): Promise<unknown>;
  onClose(): void;
}

/** Ask for one value (a name, a path); the dialog stays open with the server's message on failure. */
export function PromptDialog({ title, label, confirm, initial = '', selectStem, onSubmit, onClose }: PromptDialogProps) {
  const [value, setValue] = useState(initial);
  const { error, busy, run } = useAction();
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Once, when the dialog opens (not on every focus, which would fight the user's own selection).
    const input = field.current;
    const dot = input?.value.lastIndexOf('.') ?? -1;
    if (input && selectStem && dot > 0) input.setSelectionRange(0, dot);
    else input?.select();
  }, [selectStem]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await run(() => onSubmit(value.trim()))) onClose();
  };
  return (
    <Dialog title={title} onClose={onClose} width="medium">
      <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
        <ErrorBanner error={error} />
        <FormControl required>
          <FormControl.Label>{label}</FormControl.Label>
          <TextInput
            block
            autoFocus
            ref={field}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </FormControl>
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
          <Button type="button" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={busy} disabled={!value.trim()}>
            {confirm}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
