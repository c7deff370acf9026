import { useState, type FormEvent } from 'react';
import { Button, FormControl, Label, Select, Text, TextInput } from '@primer/react';
import { useNavigate } from 'react-router';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { createStorage, listStorages } from '../../api/storages.ts';
import { Layout } from '../../components/Layout.tsx';

/** Administration → Files → External file storages: the list, "Incomplete" until set up. */
export function StoragesPage() {
  const storages = useLoader(listStorages, []);
  const navigate = useNavigate();
  return (
    <Layout title="External file storages" actions={<Button variant="primary" onClick={() => navigate('/admin/settings/storages/new')}>+ Storage</Button>}>
      <ErrorBanner error={storages.error} />
      {storages.data?.length ? (
        <DataTable label="File storages" columns={[{ title: 'Name' }, { title: 'Provider type' }, { title: 'Host' }, { title: 'Status', width: 120 }]}>
          {storages.data.map((s) => (
            <tr key={s.id}>
              <td>
                <a href={`/admin/settings/storages/${s.id}`} onClick={(e) => (e.preventDefault(), navigate(`/admin/settings/storages/${s.id}`))}>
                  {s.name}
                </a>
              </td>
              <td>Nextcloud</td>
              <td>{s._links.origin.href}</td>
              <td>{s.configured ? null : <Label variant="attention">Incomplete</Label>}</td>
            </tr>
          ))}
        </DataTable>
      ) : storages.data ? (
        <Hint>No file storage yet.</Hint>
      ) : null}
    </Layout>
  );
}

/** "New storage": provider type, name, host URL; "Save and continue setup" checks the host live. */
export function NewStoragePage() {
  const navigate = useNavigate();
  const action = useAction();
  const [name, setName] = useState('');
  const [host, setHost] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await action.run(async () => {
      const storage = await createStorage(name.trim(), host.trim());
      // The OpenProject OAuth secret exists only in this answer: hand it to the storage page once.
      navigate(`/admin/settings/storages/${storage.id}`, { state: { application: storage._embedded?.oauthApplication } });
    });
  };
  return (
    <Layout title="New storage">
      <Text as="p">
        Please make sure you have administration privileges in your Nextcloud instance and the application “Integration OpenProject” is installed before doing the setup.
      </Text>
      <form onSubmit={submit} aria-label="General information" className="stacked-form" style={{ maxWidth: 520 }}>
        <FormControl>
          <FormControl.Label>Provider type</FormControl.Label>
          <Select value="nextcloud" onChange={() => undefined}>
            <Select.Option value="nextcloud">Nextcloud</Select.Option>
          </Select>
        </FormControl>
        <FormControl required>
          <FormControl.Label>Name</FormControl.Label>
          <TextInput value={name} onChange={(e) => setName(e.target.value)} block />
        </FormControl>
        <FormControl required>
          <FormControl.Label>Host URL</FormControl.Label>
          <TextInput value={host} onChange={(e) => setHost(e.target.value)} placeholder="https://nextcloud.example.com" block />
        </FormControl>
        <ErrorBanner error={action.error} />
        <Button type="submit" variant="primary" disabled={action.busy}>
          Save and continue setup
        </Button>
      </form>
    </Layout>
  );
}
