import { useState, type FormEvent } from 'react';
import { Button, FormControl, Textarea, TextInput } from '@primer/react';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import * as tos from '../../api/terms.ts';
import { Layout } from '../../components/Layout.tsx';

/** Terms of service: one text per language; saving a changed text asks everyone to accept it again. */
export function TermsOfServicePage() {
  const terms = useLoader(tos.loadTerms, []);
  const action = useAction(terms.reload);
  const [language, setLanguage] = useState('en');
  const [body, setBody] = useState('');

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => tos.saveTerms(language.trim(), body.trim()))) setBody('');
  };

  return (
    <Layout title="Terms of service">
      {terms.data === undefined && !terms.loading ? <Hint>Enable the Terms of service app under Apps to ask users to accept terms.</Hint> : null}
      <form onSubmit={save} aria-label="Terms" style={{ display: 'grid', gap: 8, maxWidth: 720 }}>
        <FormControl required>
          <FormControl.Label>Language</FormControl.Label>
          <TextInput value={language} onChange={(e) => setLanguage(e.target.value)} />
        </FormControl>
        <FormControl required>
          <FormControl.Label>Terms text</FormControl.Label>
          <Textarea value={body} onChange={(e) => setBody(e.target.value)} rows={8} block />
        </FormControl>
        <Button type="submit" variant="primary" disabled={!body.trim() || !language.trim()}>
          Save terms
        </Button>
      </form>
      <ErrorBanner error={action.error ?? terms.error} />
      {terms.data?.terms.length ? (
        <DataTable label="Terms" columns={[{ title: 'Language' }, { title: 'Text' }]} actionsWidth={110}>
          {terms.data.terms.map((t) => (
            <tr key={t.id}>
              <td>{t.languageCode}</td>
              <td style={{ whiteSpace: 'pre-wrap' }}>{t.body}</td>
              <td>
                <ConfirmButton label={`Delete terms ${t.languageCode}`} title="Delete these terms?" text="Users are no longer asked to accept them." confirm="Delete" onConfirm={() => action.run(() => tos.deleteTerms(t.id))}>
                  Delete
                </ConfirmButton>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </Layout>
  );
}
