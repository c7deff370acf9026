import { useState, type FormEvent } from 'react';
import { Button, Select } from '@primer/react';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { idOf } from '../api/http.ts';
import { addMember, listMemberships, listPrincipals, listRoles, removeMember, setMemberRoles } from '../api/resources.ts';
import { ChoiceField, choices } from '../components/ChoiceField.tsx';
import { Layout } from '../components/Layout.tsx';
import { PageLoading } from '../components/Loading.tsx';
import { useRouteProject } from '../hooks.ts';

/** Project settings → Members: add a user with a role, change a member's role, remove a member. */
export function MembersPage() {
  const project = useRouteProject();
  const id = project.data?.id;
  const members = useLoader(() => (id ? listMemberships(id) : Promise.resolve([])), [id]);
  const lists = useLoader(async () => ({ roles: await listRoles(), users: await listPrincipals() }), []);
  const action = useAction(members.reload);
  const [user, setUser] = useState('');
  const [role, setRole] = useState('');
  if (!project.data) return <PageLoading title="Members" error={project.error} />;
  const p = project.data;
  const memberIds = new Set((members.data ?? []).map((m) => idOf(m._links.principal)));
  const candidates = (lists.data?.users ?? []).filter((u) => !memberIds.has(u.id));
  const roles = lists.data?.roles ?? [];
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => addMember(p.id, Number(user), [Number(role || roles[0]?.id)]))) setUser('');
  };
  return (
    <Layout title="Members" project={p}>
      <form onSubmit={add} aria-label="Add member" className="inline-form">
        <ChoiceField required label="User" value={user} onChange={setUser} options={[{ value: '', label: 'Select a user' }, ...choices(candidates)]} />
        <ChoiceField required label="Role" value={role || String(roles[0]?.id ?? '')} onChange={setRole} options={choices(roles)} />
        <Button type="submit" variant="primary" disabled={!user}>
          Add
        </Button>
      </form>
      <ErrorBanner error={action.error ?? members.error ?? lists.error} />
      {members.data?.length === 0 ? <Hint>There are currently no members in this project.</Hint> : null}
      {members.data?.length ? (
        <DataTable label="Members" columns={[{ title: 'Name' }, { title: 'Roles', width: 220 }]} actionsWidth={110}>
          {members.data.map((m) => {
            const name = m._links.principal.title ?? '';
            return (
              <tr key={m.id}>
                <td>{name}</td>
                <td>
                  <Select
                    aria-label={`Role of ${name}`}
                    value={String(idOf(m._links.roles[0]) ?? '')}
                    disabled={!m._links.delete}
                    onChange={(e) => action.run(() => setMemberRoles(m.id, [Number(e.target.value)]))}
                  >
                    {roles.map((r) => (
                      <Select.Option key={r.id} value={String(r.id)}>
                        {r.name}
                      </Select.Option>
                    ))}
                  </Select>
                </td>
                <td>
                  {m._links.delete ? (
                    <ConfirmButton
                      label={`Remove ${name}`}
                      title={`Remove ${name} from ${p.name}?`}
                      text="The user loses the permissions of their roles in this project."
                      confirm="Remove"
                      onConfirm={() => action.run(() => removeMember(m.id))}
                    >
                      Remove
                    </ConfirmButton>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
    </Layout>
  );
}
