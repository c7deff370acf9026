import { useState, type FormEvent } from 'react';
import { Button, Checkbox, CheckboxGroup, Dialog, FormControl, Label, TextInput } from '@primer/react';
import * as api from '../../api/admin.ts';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from '../../components/Layout.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { useSession } from '../../session.tsx';

const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Users: create, edit (name, email, password, groups), disable/enable, delete. */
export function UsersPage() {
  const me = useSession().session!.user.id;
  const users = useLoader(() => api.listUsers(), []);
  const groups = useLoader(api.listGroups, []);
  const action = useAction(users.reload);
  const [editing, setEditing] = useState<api.UserDetails>();
  const [form, setForm] = useState({ userid: '', displayName: '', password: '', email: '', groups: '' });
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value })),
  });

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(() =>
      api.createUser({
        userid: form.userid.trim(),
        password: form.password,
        ...(form.displayName.trim() ? { displayName: form.displayName.trim() } : {}),
        ...(form.email.trim() ? { email: form.email.trim() } : {}),
        ...(form.groups.trim() ? { groups: splitList(form.groups) } : {}),
      }),
    );
    if (ok) setForm({ userid: '', displayName: '', password: '', email: '', groups: '' });
  };

  return (
    <Layout title="Users">
      <form onSubmit={create} aria-label="New user" className="inline-form">
        <FormControl required>
          <FormControl.Label>Account name</FormControl.Label>
          <TextInput {...field('userid')} autoComplete="off" />
        </FormControl>
        <FormControl>
          <FormControl.Label>Display name</FormControl.Label>
          <TextInput {...field('displayName')} />
        </FormControl>
        <FormControl required>
          <FormControl.Label>Password</FormControl.Label>
          <TextInput type="password" autoComplete="new-password" {...field('password')} />
        </FormControl>
        <FormControl>
          <FormControl.Label>Email</FormControl.Label>
          <TextInput type="email" {...field('email')} />
        </FormControl>
        <FormControl>
          <FormControl.Label>Groups</FormControl.Label>
          <TextInput {...field('groups')} placeholder="comma-separated" />
        </FormControl>
        <Button type="submit" variant="primary" disabled={!form.userid.trim() || !form.password}>
          Add new user
        </Button>
      </form>
      <ErrorBanner error={action.error ?? users.error} />
      {users.data ? (
        <DataTable
          label="Users"
          columns={[{ title: 'Account name' }, { title: 'Display name' }, { title: 'Email' }, { title: 'Groups' }]}
          actionsWidth={260}
        >
            {users.data.map((user) => (
              <tr key={user.id}>
                <td>
                  {user.id} {user.enabled ? null : <Label variant="attention">Disabled</Label>}
                </td>
                <td>{user.displayname}</td>
                <td>{user.email ?? ''}</td>
                <td>{user.groups.map((group) => (user.subadmin.includes(group) ? `${group} (group admin)` : group)).join(', ')}</td>
                <td>
<div className="row-actions">
                  <Button size="small" aria-label={`Edit ${user.id}`} onClick={() => setEditing(user)}>
                    Edit
                  </Button>
                  {user.id === me ? null : (
                    <>
                      <Button size="small" aria-label={`${user.enabled ? 'Disable' : 'Enable'} ${user.id}`} onClick={() => action.run(() => api.setUserEnabled(user.id, !user.enabled))}>
                        {user.enabled ? 'Disable' : 'Enable'}
                      </Button>
                      <ConfirmButton
                        label={`Delete ${user.id}`}
                        title={`Delete ${user.id}?`}
                        text="The account and all of its files will be deleted."
                        confirm="Delete"
                        onConfirm={() => action.run(() => api.deleteUser(user.id))}
                      >
                        Delete
                      </ConfirmButton>
                    </>
                  )}
                </div>
</td>
              </tr>
            ))}
        </DataTable>
      ) : null}
      {editing ? (
        <EditUserDialog
          user={editing}
          allGroups={groups.data ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            users.reload();
          }}
        />
      ) : null}
    </Layout>
  );
}

function EditUserDialog({ user, allGroups, onClose, onSaved }: { user: api.UserDetails; allGroups: string[]; onClose(): void; onSaved(): void }) {
  const [displayName, setDisplayName] = useState(user.displayname);
  const [email, setEmail] = useState(user.email ?? '');
  const [password, setPassword] = useState('');
  const [memberOf, setMemberOf] = useState(new Set(user.groups));
  const [adminOf, setAdminOf] = useState(new Set(user.subadmin));
  // Only administrators appoint group admins.
  const isAdmin = useSession().session!.isAdmin;
  const { error, busy, run } = useAction();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await run(async () => {
      if (displayName !== user.displayname) await api.editUser(user.id, 'displayname', displayName);
      if (email !== (user.email ?? '')) await api.editUser(user.id, 'email', email);
      if (password) await api.editUser(user.id, 'password', password);
      for (const group of memberOf) if (!user.groups.includes(group)) await api.addToGroup(user.id, group);
      for (const group of user.groups) if (!memberOf.has(group)) await api.removeFromGroup(user.id, group);
      for (const group of adminOf) if (!user.subadmin.includes(group)) await api.addSubadmin(user.id, group);
      for (const group of user.subadmin) if (!adminOf.has(group)) await api.removeSubadmin(user.id, group);
    });
    if (ok) onSaved();
  };

  return (
    <Dialog title={`Edit ${user.id}`} onClose={onClose} width="large">
      <form onSubmit={save} style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
        <ErrorBanner error={error} />
        <FormControl>
          <FormControl.Label>Display name</FormControl.Label>
          <TextInput block value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </FormControl>
        <FormControl>
          <FormControl.Label>Email</FormControl.Label>
          <TextInput block type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </FormControl>
        <FormControl>
          <FormControl.Label>New password</FormControl.Label>
          <TextInput block type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          <FormControl.Caption>Leave empty to keep the current password.</FormControl.Caption>
        </FormControl>
        <GroupChecks title="Groups" groups={allGroups} checked={memberOf} onChange={setMemberOf} />
        {isAdmin ? <GroupChecks title="Group admin for" groups={allGroups} checked={adminOf} onChange={setAdminOf} /> : null}
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
          <Button type="button" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={busy}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** One checkbox per group, e.g. memberships or the groups a sub-admin manages. */
function GroupChecks({ title, groups, checked, onChange }: { title: string; groups: string[]; checked: Set<string>; onChange(next: Set<string>): void }) {
  if (!groups.length) return null;
  return (
    <CheckboxGroup>
      <CheckboxGroup.Label>{title}</CheckboxGroup.Label>
      {groups.map((group) => (
        <FormControl key={group}>
          <Checkbox
            checked={checked.has(group)}
            onChange={(e) => {
              const next = new Set(checked);
              if (e.target.checked) next.add(group);
              else next.delete(group);
              onChange(next);
            }}
          />
          <FormControl.Label>{group}</FormControl.Label>
        </FormControl>
      ))}
    </CheckboxGroup>
  );
}
