import { Spinner } from '@primer/react';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from './Layout.tsx';

/** What a page shows until its main resource is there (or could not be loaded). */
export function PageLoading({ title, error }: { title: string; error: unknown }) {
  return <Layout title={title}>{error ? <ErrorBanner error={error} /> : <Spinner aria-label="Loading" />}</Layout>;
}

/** Markdown source shown as written (no HTML from the server is injected into the page). */
export function TextBlock({ text, empty }: { text: string; empty: string }) {
  return text.trim() ? (
    <div style={{ whiteSpace: 'pre-wrap' }}>{text}</div>
  ) : (
    <p style={{ color: 'var(--fgColor-muted)' }}>{empty}</p>
  );
}
