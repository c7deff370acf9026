import { Flash } from '@primer/react';

export const describeError = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : 'Something went wrong';

/** A failure as the server explained it; `role=alert` so screen readers (and tests) notice it. */
export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Flash variant="danger" role="alert" style={{ marginBottom: 16 }}>
      {describeError(error)}
    </Flash>
  );
}
