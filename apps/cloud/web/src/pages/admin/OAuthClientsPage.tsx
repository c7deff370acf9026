import { useState, type FormEvent } from 'react';
import { Button, Flash, FormControl, Text, TextInput } from '@primer/react';
import * as api from '../../api/admin.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { Layout } from '../../components/Layout.tsx';
import { useAction, useLoader } from '../../hooks.ts';

/** OAuth 2.0 clients (e.g. Projects): the secret is shown once, right after creation. */
export function OAuthClientsPage() {
  const clients = useLoader(api.listOAuthClients, []);
  const action = useAction();
  const [name, setName] = useState('');
  const [redirectUri, setRedirectUri] = useState('');
  const [created, setCreated] = useState<api.OAuthClient>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(async () => setCreated(await api.createOAuthClient(name.trim(), redirectUri.trim())));
    if (ok) {
      setName('');
      setRedirectUri('');
      clients.reload();
    }
  };

  return (
    <Layout title="OAuth 2.0 clients">
      <Text as="p" style={{ marginBottom: 16, color: 'var(--fgColor-muted)' }}>
        OAuth 2.0 lets other services, such as Projects, access this cloud on behalf of its users.
      </Text>
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
        <Flash variant="success" style={{ marginBottom: 16 }}>
          <div role="status">Client {created.name} was added. Copy the secret now — it will not be shown again.</div>
          <div style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 12px', marginTop: 8, wordBreak: 'break-all' }}>
            <Text>Client identifier</Text>
            <code aria-label="Client identifier">{created.clientId}</code>
            <Text>Secret</Text>
            <code aria-label="Client secret">{created.clientSecret}</code>
          </div>
        </Flash>
      ) : null}
      {clients.data?.length ? (
        <table className="data-table" aria-label="OAuth clients">
          <thead>
            <tr>
              <th>Name</th>
              <th>Redirection URI</th>
              <th>Client identifier</th>
              <th style={{ width: 110 }}>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
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
                    onConfirm={() =>
                      action.run(async () => {
                        await api.deleteOAuthClient(client.id);
                        clients.reload();
                      })
                    }
                  >
                    Delete
                  </ConfirmButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Layout>
  );
}
