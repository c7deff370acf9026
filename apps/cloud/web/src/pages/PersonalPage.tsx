import { useState, type FormEvent } from 'react';
import { Button, FormControl, Heading, Text, TextInput } from '@primer/react';
import * as api from '../api/admin.ts';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from '../components/Layout.tsx';
import { ShownOnce } from '@tandem/web-kit/ShownOnce.tsx';
import { formatDate } from '../format.ts';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';

/** Personal security settings: app passwords for sync clients, shown once on creation. */
export function PersonalPage() {
  const tokens = useLoader(api.listAppTokens, []);
  const action = useAction(tokens.reload);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<api.CreatedAppToken>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(async () => setCreated(await api.createAppToken(name.trim())))) setName('');
  };

  return (
    <Layout title="Security">
      <Heading as="h2" style={{ fontSize: 18, marginBottom: 8 }}>
        App passwords
      </Heading>
      <Hint>Use an app password in desktop and mobile clients instead of your login password. You can revoke it at any time.</Hint>
      <ErrorBanner error={action.error ?? tokens.error} />
      <form onSubmit={create} className="inline-form">
        <FormControl required>
          <FormControl.Label>App name</FormControl.Label>
          <TextInput value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Laptop sync" />
        </FormControl>
        <Button type="submit" variant="primary" disabled={!name.trim()} loading={action.busy}>
          Create new app password
        </Button>
      </form>
      {created ? (
        <ShownOnce
          values={[
            { label: 'Login name', value: created.loginName },
            { label: 'App password', value: created.token },
          ]}
        >
          New app password for <strong>{created.deviceToken?.name ?? 'the app'}</strong>.
        </ShownOnce>
      ) : null}
      {tokens.data?.length ? (
        <DataTable label="App passwords" columns={[{ title: 'Name' }, { title: 'Last activity' }]} actionsWidth={120}>
          {tokens.data.map((token) => (
            <tr key={token.id}>
              <td>
                {token.name}
                {token.current ? <Text style={{ color: 'var(--fgColor-muted)' }}> (this session)</Text> : null}
              </td>
              <td>{token.lastActivity ? formatDate(new Date(token.lastActivity * 1000)) : ''}</td>
              <td>
                {token.canDelete === false || token.current ? null : (
                  <ConfirmButton
                    label={`Revoke ${token.name}`}
                    title={`Revoke ${token.name}?`}
                    text="Clients using this app password will be logged out."
                    confirm="Revoke"
                    onConfirm={() => action.run(() => api.deleteAppToken(token.id))}
                  >
                    Revoke
                  </ConfirmButton>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </Layout>
  );
}
