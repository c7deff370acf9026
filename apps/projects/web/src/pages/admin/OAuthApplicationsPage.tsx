import { useState, type FormEvent } from 'react';
import { Button, Checkbox, FormControl, TextInput } from '@primer/react';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { ShownOnce } from '@tandem/web-kit/ShownOnce.tsx';
import { createApplication, deleteApplication, listApplications, type OAuthApplication } from '../../api/resources.ts';
import { Layout } from '../../components/Layout.tsx';

/** Administration → OAuth applications (e.g. a Nextcloud): the client secret is shown once. */
export function OAuthApplicationsPage() {
  const apps = useLoader(listApplications, []);
  const action = useAction(apps.reload);
  const [name, setName] = useState('');
  const [redirectUri, setRedirectUri] = useState('');
  const [confidential, setConfidential] = useState(true);
  const [created, setCreated] = useState<OAuthApplication>();
  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(async () => setCreated(await createApplication({ name: name.trim(), redirectUri: redirectUri.trim(), confidential })))) {
      setName('');
      setRedirectUri('');
    }
  };
  return (
    <Layout title="OAuth applications">
      <Hint>Applications that may access Projects' API v3 on behalf of its users (scope api_v3).</Hint>
      <form onSubmit={create} aria-label="New OAuth application" className="inline-form">
        <FormControl required>
          <FormControl.Label>Name</FormControl.Label>
          <TextInput value={name} onChange={(e) => setName(e.target.value)} />
        </FormControl>
        <FormControl required>
          <FormControl.Label>Redirect URI</FormControl.Label>
          <TextInput value={redirectUri} onChange={(e) => setRedirectUri(e.target.value)} style={{ minWidth: 360 }} placeholder="https://…" />
        </FormControl>
        <FormControl>
          <Checkbox checked={confidential} onChange={(e) => setConfidential(e.target.checked)} />
          <FormControl.Label>Confidential</FormControl.Label>
        </FormControl>
        <Button type="submit" variant="primary" disabled={!name.trim() || !redirectUri.trim()}>
          Create
        </Button>
      </form>
      <ErrorBanner error={action.error ?? apps.error} />
      {created ? (
        <ShownOnce values={[{ label: 'Client ID', value: created.clientId }, ...(created.clientSecret ? [{ label: 'Client secret', value: created.clientSecret }] : [])]}>
          Application {created.name} was created.
        </ShownOnce>
      ) : null}
      {apps.data?.length ? (
        <DataTable label="OAuth applications" columns={[{ title: 'Name' }, { title: 'Redirect URI' }, { title: 'Client ID' }, { title: 'Confidential', width: 110 }]} actionsWidth={110}>
          {apps.data.map((app) => (
            <tr key={app.id}>
              <td>{app.name}</td>
              <td style={{ wordBreak: 'break-all' }}>{app._links.redirectUri.map((l) => l.href).join(' ')}</td>
              <td>
                <code style={{ wordBreak: 'break-all' }}>{app.clientId}</code>
              </td>
              <td>{app.confidential ? 'Yes' : 'No'}</td>
              <td>
                <ConfirmButton
                  label={`Delete ${app.name}`}
                  title={`Delete ${app.name}?`}
                  text="Every token given to this application stops working."
                  confirm="Delete"
                  onConfirm={() => action.run(() => deleteApplication(app.id))}
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
