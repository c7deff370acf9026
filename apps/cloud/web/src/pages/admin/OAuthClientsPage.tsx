import { useState, type FormEvent } from 'react';
import { Button, FormControl, TextInput } from '@primer/react';
import * as api from '../../api/admin.ts';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from '../../components/Layout.tsx';
import { ShownOnce } from '@tandem/web-kit/ShownOnce.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';

/** OAuth 2.0 clients (e.g. Projects): the secret is shown once, right after creation. */
export function OAuthClientsPage() {
  const clients = useLoader(api.listOAuthClients, []);
  const action = useAction(clients.reload);
  const [name, setName] = useState('');
  const [redirectUri, setRedirectUri] = useState('');
  const [created, setCreated] = useState<api.OAuthClient>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(async () => setCreated(await api.createOAuthClient(name.trim(), redirectUri.trim())))) {
      setName('');
      setRedirectUri('');
    }
  };

  return (
    <Layout title="OAuth 2.0 clients">
      <Hint>OAuth 2.0 lets other services, such as Projects, access this cloud on behalf of its users.</Hint>
      <form onSubmit={create} aria-label="New OAuth client" className="inline-form">
        <FormControl required>
          <FormControl.Label>Name</FormControl.Label>
          <TextInput value={name} onChange={(e) => setName(e.target.value)} />
        </FormControl>
        <FormControl required>
          <FormControl.Label>Redirection URI</FormControl.Label>
          <TextInput value={redirectUri} onChange={(e) => setRedirectUri(e.target.value)} style={{ minWidth: 360 }} placeholder="https://…" />
        </FormControl>
        <Button type="submit" variant="primary" disabled={!name.trim() || !redirectUri.trim()}>
          Add
        </Button>
      </form>
      <ErrorBanner error={action.error ?? clients.error} />
      {created?.clientSecret ? (
        <ShownOnce
          values={[
            { label: 'Client identifier', value: created.clientId },
            { label: 'Client secret', value: created.clientSecret },
          ]}
        >
          Client {created.name} was added.
        </ShownOnce>
      ) : null}
      {clients.data?.length ? (
        <DataTable label="OAuth clients" columns={[{ title: 'Name' }, { title: 'Redirection URI' }, { title: 'Client identifier' }]} actionsWidth={110}>
          {clients.data.map((client) => (
            <tr key={client.id}>
              <td>{client.name}</td>
              <td style={{ wordBreak: 'break-all' }}>{client.redirectUri}</td>
              <td>
                <code style={{ wordBreak: 'break-all' }}>{client.clientId}</code>
              </td>
              <td>
                <ConfirmButton
                  label={`Delete client ${client.name}`}
                  title={`Delete client ${client.name}?`}
                  text="Its tokens stop working; connected services must be set up again."
                  confirm="Delete"
                  onConfirm={() => action.run(() => api.deleteOAuthClient(client.id))}
                >
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
