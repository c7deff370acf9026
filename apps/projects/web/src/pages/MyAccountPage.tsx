import { useState, type FormEvent } from 'react';
import { Button, FormControl, TextInput } from '@primer/react';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { ShownOnce } from '@tandem/web-kit/ShownOnce.tsx';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../api/resources.ts';
import { Layout } from '../components/Layout.tsx';

/** My account → Access tokens: API keys (`Basic apikey:<key>`), shown once when created. */
export function MyAccountPage() {
  const keys = useLoader(listApiKeys, []);
  const action = useAction(keys.reload);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiKey>();
  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(async () => setCreated(await createApiKey(name.trim())))) setName('');
  };
  return (
    <Layout title="Access tokens">
      <Hint>API keys let scripts and other applications use the API v3 on your behalf (HTTP Basic with user "apikey").</Hint>
      <form onSubmit={create} aria-label="New API key" className="inline-form">
        <FormControl required>
          <FormControl.Label>Token name</FormControl.Label>
          <TextInput value={name} onChange={(e) => setName(e.target.value)} />
        </FormControl>
        <Button type="submit" variant="primary" disabled={!name.trim()}>
          + API token
        </Button>
      </form>
      <ErrorBanner error={action.error ?? keys.error} />
      {created?.token ? (
        <ShownOnce values={[{ label: 'API key', value: created.token }]}>The API token {created.name} was generated.</ShownOnce>
      ) : null}
      {keys.data?.length ? (
        <DataTable label="API keys" columns={[{ title: 'Name' }, { title: 'Created', width: 200 }, { title: 'Last used', width: 200 }]} actionsWidth={110}>
          {keys.data.map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td>{new Date(key.createdAt).toLocaleString()}</td>
              <td>{key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : 'Never'}</td>
              <td>
                <ConfirmButton
                  label={`Revoke ${key.name}`}
                  title={`Revoke ${key.name}?`}
                  text="Applications using this key lose access."
                  confirm="Revoke"
                  onConfirm={() => action.run(() => revokeApiKey(key.id))}
                >
                  Revoke
                </ConfirmButton>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </Layout>
  );
}
