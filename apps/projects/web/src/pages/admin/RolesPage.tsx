import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { Button, Checkbox, FormControl, TextInput } from '@primer/react';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { createRole, deleteRole, listAdminRoles, listPermissions, setRolePermissions } from '../../api/resources.ts';
import { Layout } from '../../components/Layout.tsx';

/**
 * Administration → Roles and permissions: the permissions report as a matrix (permissions grouped by
 * project module × roles), including the file permissions the storage integration uses.
 */
export function RolesPage() {
  const data = useLoader(async () => ({ roles: await listAdminRoles(), catalogue: await listPermissions() }), []);
  const action = useAction(data.reload);
  const [grants, setGrants] = useState<Record<number, Set<string>>>({});
  const [name, setName] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => setGrants(Object.fromEntries((data.data?.roles ?? []).map((r) => [r.id, new Set(r.permissions)]))), [data.data]);
  const roles = data.data?.roles ?? [];
  const catalogue = data.data?.catalogue;
  // Modules without permissions of their own (News, Wiki …) have no rows.
  const groups = catalogue
    ? [{ name: null as string | null, label: 'Project' }, ...catalogue.modules].filter((g) => catalogue.permissions.some((p) => p.module === g.name))
    : [];
  const toggle = (roleId: number, permission: string, on: boolean) => {
    setSaved(false);
    setGrants((current) => {
      const next = new Set(current[roleId]);
      if (on) next.add(permission);
      else next.delete(permission);
      return { ...current, [roleId]: next };
    });
  };
  const save = async () => {
    const changed = roles.filter((r) => {
      const now = grants[r.id] ?? new Set<string>();
      return now.size !== r.permissions.length || r.permissions.some((p) => !now.has(p));
    });
    setSaved(await action.run(() => Promise.all(changed.map((r) => setRolePermissions(r.id, [...(grants[r.id] ?? [])])))));
  };
  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => createRole(name.trim(), ['view_project']))) setName('');
  };
  return (
    <Layout title="Roles and permissions">
      <form onSubmit={create} aria-label="New role" className="inline-form">
        <FormControl required>
          <FormControl.Label>Role name</FormControl.Label>
          <TextInput value={name} onChange={(e) => setName(e.target.value)} />
        </FormControl>
        <Button type="submit" disabled={!name.trim()}>
          + Role
        </Button>
      </form>
      <ErrorBanner error={action.error ?? data.error} />
      {saved ? <p role="status">Successful update.</p> : null}
      {catalogue ? (
        <table className="data-table" aria-label="Permissions">
          <thead>
            <tr>
              <th>Permission</th>
              {roles.map((r) => (
                <th key={r.id} style={{ textAlign: 'center' }}>
                  <div>{r.name}</div>
                  <ConfirmButton label={`Delete role ${r.name}`} title={`Delete role ${r.name}?`} text="Roles still given to members cannot be deleted." confirm="Delete" onConfirm={() => action.run(() => deleteRole(r.id))}>
                    Delete
                  </ConfirmButton>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <Fragment key={group.name ?? 'project'}>
                <tr>
                  <th colSpan={roles.length + 1}>{group.label}</th>
                </tr>
                {catalogue.permissions
                  .filter((p) => p.module === group.name)
                  .map((p) => (
                    <tr key={p.name}>
                      <td>{p.label}</td>
                      {roles.map((r) => (
                        <td key={r.id} style={{ textAlign: 'center' }}>
                          <Checkbox
                            aria-label={`${r.name}: ${p.label}`}
                            checked={grants[r.id]?.has(p.name) ?? false}
                            onChange={(e) => toggle(r.id, p.name, e.target.checked)}
                          />
                        </td>
                      ))}
                    </tr>
                  ))}
              </Fragment>
            ))}
          </tbody>
        </table>
      ) : null}
      <div style={{ marginTop: 16 }}>
        <Button variant="primary" onClick={save} loading={action.busy}>
          Save
        </Button>
      </div>
    </Layout>
  );
}
