import { useState, type FormEvent } from 'react';
import { Button, Checkbox, FormControl, Label, TextInput } from '@primer/react';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { createUser, deleteUser, listUsers, setUserLocked } from '../../api/resources.ts';
import { Layout } from '../../components/Layout.tsx';
import { useSession } from '../../session.tsx';

const EMPTY = { login: '', firstName: '', lastName: '', email: '', password: '', admin: false };

/** Administration → Users: create, lock/unlock, delete. */
export function UsersPage() {
  const { session } = useSession();
  const users = useLoader(listUsers, []);
  const action = useAction(users.reload);
  const [form, setForm] = useState(EMPTY);
  const field = (name: keyof typeof EMPTY, label: string, type = 'text') => (
    <FormControl required={name !== 'email'}>
      <FormControl.Label>{label}</FormControl.Label>
      <TextInput type={type} value={String(form[name])} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </FormControl>
  );
  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => createUser({ ...form, login: form.login.trim() }))) setForm(EMPTY);
  };
  return (
    <Layout title="Users">
      <form onSubmit={create} aria-label="New user" className="inline-form card">
        {field('login', 'Username')}
        {field('firstName', 'First name')}
        {field('lastName', 'Last name')}
        {field('email', 'Email', 'email')}
        {field('password', 'Password', 'password')}
        <FormControl>
          <Checkbox checked={form.admin} onChange={(e) => setForm({ ...form, admin: e.target.checked })} />
          <FormControl.Label>Administrator</FormControl.Label>
        </FormControl>
        <Button type="submit" variant="primary" disabled={!form.login.trim() || !form.password}>
          Create
        </Button>
      </form>
      <ErrorBanner error={action.error ?? users.error} />
      {users.data ? (
        <DataTable label="Users" columns={[{ title: 'Username' }, { title: 'Name' }, { title: 'Email' }, { title: 'Status', width: 150 }]} actionsWidth={180}>
          {users.data.map((u) => {
            const self = u.id === session?.user.id;
            return (
              <tr key={u.id}>
                <td>{u.login}</td>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>
                  {u.status === 'locked' ? <Label variant="danger">Locked</Label> : <Label variant="success">Active</Label>}{' '}
                  {u.admin ? <Label>Admin</Label> : null}
                </td>
                <td className="row-actions">
                  {self ? null : (
                    <>
                      <Button size="small" aria-label={`${u.status === 'locked' ? 'Unlock' : 'Lock'} ${u.login}`} onClick={() => action.run(() => setUserLocked(u.id, u.status !== 'locked'))}>
                        {u.status === 'locked' ? 'Unlock' : 'Lock'}
                      </Button>
                      <ConfirmButton
                        label={`Delete ${u.login}`}
                        title={`Delete ${u.name}?`}
                        text="The account is deleted permanently, with its memberships and sessions."
                        confirm="Delete"
                        onConfirm={() => action.run(() => deleteUser(u.id))}
                      >
                        Delete
                      </ConfirmButton>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
    </Layout>
  );
}
