import type { ReactNode } from 'react';
import { Flash, Text } from '@primer/react';

/** Credentials the server returns once (app passwords, OAuth client secrets), each value labelled. */
export function ShownOnce({ children, values }: { children: ReactNode; values: { label: string; value: string }[] }) {
  return (
    <Flash variant="success" style={{ marginBottom: 16 }}>
      <div role="status">{children} Copy it now — it will not be shown again.</div>
      <div style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 12px', marginTop: 8, wordBreak: 'break-all' }}>
        {values.map(({ label, value }) => (
          <Text key={label} style={{ display: 'contents' }}>
            <Text>{label}</Text>
            <code aria-label={label}>{value}</code>
          </Text>
        ))}
      </div>
    </Flash>
  );
}
