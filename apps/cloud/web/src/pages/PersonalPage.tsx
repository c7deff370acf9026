import { useState, type FormEvent } from 'react';
import { Button, Flash, FormControl, Heading, Text, TextInput } from '@primer/react';
import * as api from '../api/admin.ts';
import { ConfirmButton } from '../components/ConfirmButton.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { Layout } from '../components/Layout.tsx';
import { formatDate } from '../format.ts';
import { useAction, useLoader } from '../hooks.ts';

/** Personal security settings: app passwords for sync clients, shown once on creation. */
export function PersonalPage() {
  const tokens = useLoader(api.listAppTokens, []);
  const action = useAction();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<api.CreatedAppToken>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    await action.run(async () => {
      setCreated(await api.createAppToken(name.trim()));
      setName('');
      tokens.reload();
    });
  };

  return (
    <Layout title="Security">
      <Heading as="h2" style={{ fontSize: 18, marginBottom: 8 }}>
        App passwords
      </Heading>
      <Text as="p" style={{ marginBottom: 16, color: 'var(--fgColor-muted)' }}>
        Use an app password in desktop and mobile clients instead of your login password. You can revoke it at any time.
      </Text>
      <ErrorBanner error={action.error ?? tokens.error} />
      <form onSubmit={create} style={{ display: 'flex', gap: 8, alignItems: 'flex-end', marginBottom: 16 }}>
        <FormControl required>
          <FormControl.Label>App name</FormControl.Label>
          <TextInput value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Laptop sync" />
        </FormControl>
        <Button type="submit" variant="primary" disabled={!name.trim()} loading={action.busy}>
          Create new app password
        </Button>
      </form>
      {created ? (
        <Flash variant="success" style={{ marginBottom: 16 }}>
          <div role="status">
            New app password for <strong>{created.deviceToken?.name ?? 'the app'}</strong>. Copy it now — it will not be shown again.
          </div>
          <div style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 12px', marginTop: 8 }}>
            <Text>Login</Text>
            <code aria-label="Login name">{created.loginName}</code>
            <Text>Password</Text>
            <code aria-label="New app password">{created.token}</code>
          </div>
        </Flash>
      ) : null}
      {tokens.data?.length ? (
        <table className="data-table" aria-label="App passwords">
          <thead>
            <tr>
              <th>Name</th>
              <th>Last activity</th>
              <th style={{ width: 120 }}>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
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
                      onConfirm={() =>
                        action.run(async () => {
                          await api.deleteAppToken(token.id);
                          tokens.reload();
                        })
                      }
                    >
                      Revoke
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Layout>
  );
}
