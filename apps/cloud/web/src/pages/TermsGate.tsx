import type { ReactNode } from 'react';
import { Button, Heading, Spinner, Text } from '@primer/react';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import * as tos from '../api/terms.ts';

/**
 * The terms_of_service app's gate: a signed-in user who has not accepted the current terms sees them
 * and an Accept button instead of the page. Nothing changes while the app is off or has no terms.
 */
export function TermsGate({ children }: { children: ReactNode }) {
  const terms = useLoader(tos.loadTerms, []);
  const action = useAction(terms.reload);
  if (terms.loading && !terms.data) return <Spinner aria-label="Loading" />;
  const data = terms.data;
  if (!data || data.hasSigned || data.terms.length === 0) return <>{children}</>;
  return (
    <main style={{ maxWidth: 720, margin: '48px auto', padding: 16 }}>
      <Heading as="h1" style={{ fontSize: 24, marginBottom: 16 }}>
        Terms of service
      </Heading>
      {data.terms.map((t) => (
        <section key={t.id} aria-label={`Terms (${t.languageCode})`} style={{ whiteSpace: 'pre-wrap', marginBottom: 16 }}>
          <Text>{t.body}</Text>
        </section>
      ))}
      <ErrorBanner error={action.error} />
      <Button variant="primary" onClick={() => action.run(() => tos.signAll(data.terms.map((t) => t.id)))}>
        Accept
      </Button>
    </main>
  );
}
