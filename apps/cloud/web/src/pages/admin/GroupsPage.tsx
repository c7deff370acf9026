import { useState, type FormEvent } from 'react';
import { Button, FormControl, TextInput } from '@primer/react';
import * as api from '../../api/admin.ts';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from '../../components/Layout.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';

/** Groups and their members; membership itself is edited on the user (Users page). */
export function GroupsPage() {
  const groups = useLoader(async () => {
    const ids = await api.listGroups();
    return Promise.all(ids.map(async (id) => ({ id, members: await api.groupMembers(id).catch(() => [] as string[]) })));
  }, []);
  const action = useAction(groups.reload);
  const [name, setName] = useState('');

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => api.createGroup(name.trim()))) setName('');
  };

  return (
    <Layout title="Groups">
      <form onSubmit={create} aria-label="New group" className="inline-form">
        <FormControl required>
          <FormControl.Label>Group name</FormControl.Label>
          <TextInput value={name} onChange={(e) => setName(e.target.value)} />
        </FormControl>
        <Button type="submit" variant="primary" disabled={!name.trim()}>
          Add group
        </Button>
      </form>
      <ErrorBanner error={action.error ?? groups.error} />
      {groups.data ? (
        <DataTable label="Groups" columns={[{ title: 'Group' }, { title: 'Members' }]} actionsWidth={120}>
          {groups.data.map((group) => (
            <tr key={group.id}>
              <td>{group.id}</td>
              <td>{group.members.join(', ')}</td>
              <td>
                {group.id === 'admin' ? null : (
                  <ConfirmButton
                    label={`Delete group ${group.id}`}
                    title={`Delete group ${group.id}?`}
                    text="Members keep their accounts; they lose what the group gave them (group folders)."
                    confirm="Delete"
                    onConfirm={() => action.run(() => api.deleteGroup(group.id))}
                  >
                    Delete
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
