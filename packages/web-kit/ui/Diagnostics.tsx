import { Button, Heading, Text } from '@primer/react';
import { CheckCircleFillIcon, XCircleFillIcon } from '@primer/octicons-react';
import { ErrorBanner } from './ErrorBanner.tsx';
import { useLoader } from './hooks.ts';

export interface DiagnosticCheck {
  name: string;
  success: boolean;
  message: string;
  advice?: string;
}

/** A diagnostics endpoint answers 200 when all passed and 503 otherwise, with the same body both times. */
async function loadChecks(url: string): Promise<{ success: boolean; checks: DiagnosticCheck[] }> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (response.status !== 200 && response.status !== 503) throw new Error(`The server answered ${response.status}`);
  return (await response.json()) as { success: boolean; checks: DiagnosticCheck[] };
}

/** The troubleshooting checks of one side of the integration, each failure with what to do. */
export function Diagnostics({ url, title = 'Diagnostics' }: { url: string; title?: string }) {
  const result = useLoader(() => loadChecks(url), [url]);
  return (
    <section aria-label={title} style={{ marginBottom: 24 }}>
      <Heading as="h3" style={{ fontSize: 16, display: 'flex', gap: 8, alignItems: 'center' }}>
        {title}
        <Button size="small" onClick={result.reload} disabled={result.loading}>
          {result.loading ? 'Checking…' : 'Run again'}
        </Button>
      </Heading>
      <ErrorBanner error={result.error} />
      {result.data ? (
        <ul aria-label={`${title} checks`} style={{ listStyle: 'none', padding: 0 }}>
          {result.data.checks.map((check) => (
            <li key={check.name} aria-label={`${check.name}: ${check.success ? 'passed' : 'failed'}`} style={{ marginBottom: 8 }}>
              <span style={{ color: check.success ? 'var(--fgColor-success, #1a7f37)' : 'var(--fgColor-danger, #d1242f)', marginRight: 6 }}>
                {check.success ? <CheckCircleFillIcon aria-hidden /> : <XCircleFillIcon aria-hidden />}
              </span>
              <Text style={{ fontWeight: 'bold' }}>{check.name}</Text>: <Text>{check.message}</Text>
              {check.advice ? (
                <Text as="p" style={{ margin: '2px 0 0 22px' }}>
                  What to do: {check.advice}
                </Text>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
