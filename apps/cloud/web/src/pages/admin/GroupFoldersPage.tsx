import { useEffect, useState, type FormEvent } from 'react';
import { Button, Checkbox, Dialog, FormControl, Heading, Select, Text, TextInput } from '@primer/react';
import * as api from '../../api/admin.ts';
import * as dav from '../../api/dav.ts';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from '../../components/Layout.tsx';
import { PromptDialog } from '../../components/PromptDialog.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { useSession } from '../../session.tsx';

/** Nextcloud's permission bits (OCP\Constants). */
export const PERMISSIONS = [
  { bit: 1, name: 'Read' },
  { bit: 2, name: 'Write' },
  { bit: 4, name: 'Create' },
  { bit: 8, name: 'Delete' },
  { bit: 16, name: 'Share' },
] as const;

const QUOTAS = [
  { label: 'Unlimited', value: -3 },
  { label: '1 GB', value: 1024 ** 3 },
  { label: '5 GB', value: 5 * 1024 ** 3 },
  { label: '10 GB', value: 10 * 1024 ** 3 },
  { label: '100 GB', value: 100 * 1024 ** 3 },
];

/** Group folders: mount point, groups with permission bits, quota, advanced permissions, ACL managers and rules. */
export function GroupFoldersPage() {
  const folders = useLoader(api.listGroupFolders, []);
  const groups = useLoader(api.listGroups, []);
  const action = useAction(folders.reload);
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<api.GroupFolder>();
  const [aclFor, setAclFor] = useState<api.GroupFolder>();

  const act = action.run;
  // Switches show the new state at once and fall back to the server's answer when it arrives.
  const [pending, setPending] = useState<Record<string, number | boolean>>({});
  useEffect(() => setPending({}), [folders.data]);
  const change = async (key: string, value: number | boolean, work: () => Promise<unknown>) => {
    setPending((p) => ({ ...p, [key]: value }));
    if (!(await act(work))) setPending(({ [key]: _dropped, ...rest }) => rest);
  };
  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await act(() => api.createGroupFolder(name.trim()))) setName('');
  };

  return (
    <Layout title="Group folders">
      <form onSubmit={create} aria-label="New group folder" className="inline-form">
        <FormControl required>
          <FormControl.Label>Folder name</FormControl.Label>
          <TextInput value={name} onChange={(e) => setName(e.target.value)} />
        </FormControl>
        <Button type="submit" variant="primary" disabled={!name.trim()}>
          Create
        </Button>
      </form>
      <ErrorBanner error={action.error ?? folders.error} />
      {folders.data?.map((folder) => (
        <section key={folder.id} aria-label={`Group folder ${folder.mount_point}`} className="card">
          <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12 }}>
            <Heading as="h2" style={{ fontSize: 18, flex: 1 }}>
              {folder.mount_point}
            </Heading>
            <Button size="small" onClick={() => setRenaming(folder)}>
              Rename
            </Button>
            <ConfirmButton
              label={`Delete group folder ${folder.mount_point}`}
              title={`Delete ${folder.mount_point}?`}
              text="The folder and all files in it will be deleted for every member."
              confirm="Delete"
              onConfirm={() => act(() => api.deleteGroupFolder(folder.id))}
            >
              Delete
            </ConfirmButton>
          </div>

          <DataTable label={`Groups of ${folder.mount_point}`} columns={[{ title: 'Group' }, ...PERMISSIONS.slice(1).map((p) => ({ title: p.name, width: 70 }))]} actionsWidth={90}>
              {Object.entries(folder.groups).map(([group, stored]) => {
                const key = `perm:${folder.id}:${group}`;
                const permissions = (pending[key] as number | undefined) ?? stored;
                return (
                  <tr key={group}>
                    <td>{group}</td>
                    {PERMISSIONS.slice(1).map((p) => (
                      <td key={p.bit}>
                        <Checkbox
                          aria-label={`${p.name} permission for ${group}`}
                          checked={(permissions & p.bit) !== 0}
                          onChange={(e) => {
                            const next = e.target.checked ? permissions | p.bit : permissions & ~p.bit;
                            void change(key, next, () => api.setFolderGroupPermissions(folder.id, group, next));
                          }}
                        />
                      </td>
                    ))}
                    <td>
                      <Button size="small" variant="invisible" aria-label={`Remove ${group} from ${folder.mount_point}`} onClick={() => act(() => api.removeFolderGroup(folder.id, group))}>
                        Remove
                      </Button>
                    </td>
                  </tr>
                );
              })}
          </DataTable>

          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24, alignItems: 'flex-end', marginTop: 12 }}>
            <FormControl>
              <FormControl.Label>Add group</FormControl.Label>
              <Select
                value=""
                onChange={(e) => {
                  const group = e.target.value;
                  if (group) void act(() => api.addFolderGroup(folder.id, group));
                }}
              >
                <Select.Option value="">Choose a group…</Select.Option>
                {(groups.data ?? [])
                  .filter((g) => !(g in folder.groups))
                  .map((g) => (
                    <Select.Option key={g} value={g}>
                      {g}
                    </Select.Option>
                  ))}
              </Select>
            </FormControl>
            <FormControl>
              <FormControl.Label>Quota</FormControl.Label>
              <Select value={String(folder.quota)} onChange={(e) => act(() => api.setFolderQuota(folder.id, Number(e.target.value)))}>
                {QUOTAS.some((q) => q.value === folder.quota) ? null : <Select.Option value={String(folder.quota)}>{folder.quota} bytes</Select.Option>}
                {QUOTAS.map((q) => (
                  <Select.Option key={q.value} value={String(q.value)}>
                    {q.label}
                  </Select.Option>
                ))}
              </Select>
            </FormControl>
            <FormControl>
              <Checkbox
                checked={(pending[`acl:${folder.id}`] as boolean | undefined) ?? folder.acl}
                onChange={(e) => {
                  const on = e.target.checked;
                  void change(`acl:${folder.id}`, on, () => api.setFolderAcl(folder.id, on));
                }}
              />
              <FormControl.Label>Advanced permissions</FormControl.Label>
            </FormControl>
          </div>

          {folder.acl ? <Managers folder={folder} onChange={act} /> : null}
          {folder.acl ? (
            <div style={{ marginTop: 12 }}>
              <Button size="small" onClick={() => setAclFor(folder)}>
                Edit access rules
              </Button>
            </div>
          ) : null}
        </section>
      ))}
      {renaming ? (
        <PromptDialog
          title={`Rename ${renaming.mount_point}`}
          label="Folder name"
          confirm="Rename"
          initial={renaming.mount_point}
          onClose={() => setRenaming(undefined)}
          onSubmit={async (value) => {
            await api.renameGroupFolder(renaming.id, value);
            folders.reload();
          }}
        />
      ) : null}
      {aclFor ? <AclEditor folder={aclFor} onClose={() => setAclFor(undefined)} /> : null}
    </Layout>
  );
}

function Managers({ folder, onChange }: { folder: api.GroupFolder; onChange(work: () => Promise<unknown>): Promise<boolean> }) {
  const [type, setType] = useState<'user' | 'group'>('user');
  const [id, setId] = useState('');
  return (
    <div style={{ marginTop: 12 }}>
      <Text as="p" style={{ fontWeight: 600 }}>
        Managers of advanced permissions
      </Text>
      <ul aria-label={`Managers of ${folder.mount_point}`} style={{ margin: '4px 0 8px 20px' }}>
        {folder.manage.map((m) => (
          <li key={`${m.type}:${m.id}`}>
            {m.displayname || m.id} ({m.type}){' '}
            <Button size="small" variant="invisible" aria-label={`Remove manager ${m.id}`} onClick={() => onChange(() => api.setFolderManager(folder.id, m.type as 'user' | 'group', m.id, false))}>
              Remove
            </Button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        aria-label={`New manager of ${folder.mount_point}`}
        onSubmit={async (event) => {
          event.preventDefault();
          if (await onChange(() => api.setFolderManager(folder.id, type, id.trim(), true))) setId('');
        }}
      >
        <FormControl>
          <FormControl.Label>Manager type</FormControl.Label>
          <Select value={type} onChange={(e) => setType(e.target.value as 'user' | 'group')}>
            <Select.Option value="user">User</Select.Option>
            <Select.Option value="group">Group</Select.Option>
          </Select>
        </FormControl>
        <FormControl required>
          <FormControl.Label>Manager</FormControl.Label>
          <TextInput value={id} onChange={(e) => setId(e.target.value)} placeholder="user or group id" />
        </FormControl>
        <Button type="submit" disabled={!id.trim()}>
          Add manager
        </Button>
      </form>
    </div>
  );
}

type Tri = 'inherit' | 'allow' | 'deny';

const stateOf = (rule: dav.AclRule, bit: number): Tri => (rule.mask & bit ? (rule.permissions & bit ? 'allow' : 'deny') : 'inherit');

export function withState(rule: dav.AclRule, bit: number, state: Tri): dav.AclRule {
  const mask = state === 'inherit' ? rule.mask & ~bit : rule.mask | bit;
  const permissions = state === 'allow' ? rule.permissions | bit : rule.permissions & ~bit;
  return { ...rule, mask, permissions: permissions & mask };
}

/**
 * Per-path rules of a folder with advanced permissions, edited over WebDAV (`nc:acl-list`). The rules are
 * read through the admin's own view of the folder, so the admin needs access to it (a group of theirs).
 */
export function AclEditor({ folder, onClose }: { folder: api.GroupFolder; onClose(): void }) {
  const uid = useSession().session!.user.id;
  const [subPath, setSubPath] = useState('');
  const [loaded, setLoaded] = useState<{ path: string; rules: dav.AclRule[]; inherited: dav.AclRule[] }>();
  const [newType, setNewType] = useState<'user' | 'group'>('group');
  const [newId, setNewId] = useState('');
  const { error, busy, run } = useAction();
  const [saved, setSaved] = useState(false);
  const davPath = `/${folder.mount_point}${subPath.trim() ? `/${subPath.trim().replace(/^\/+|\/+$/g, '')}` : ''}`;

  const load = (event?: FormEvent) => {
    event?.preventDefault();
    setSaved(false);
    return run(async () => {
      const acl = await dav.readAcl(uid, davPath);
      setLoaded({ path: davPath, rules: acl.rules, inherited: acl.inherited });
    });
  };
  const update = (index: number, rule: dav.AclRule) =>
    setLoaded((state) => state && { ...state, rules: state.rules.map((r, i) => (i === index ? rule : r)) });

  return (
    <Dialog title={`Access rules in ${folder.mount_point}`} onClose={onClose} className="wide-dialog">
      <form onSubmit={load} className="inline-form">
        <FormControl>
          <FormControl.Label>Path inside the folder</FormControl.Label>
          <TextInput value={subPath} onChange={(e) => setSubPath(e.target.value)} placeholder="(the folder itself)" />
        </FormControl>
        <Button type="submit" loading={busy && !loaded}>
          Load rules
        </Button>
      </form>
      <ErrorBanner error={error} />
      {loaded ? (
        <>
          <DataTable label={`Rules of ${loaded.path}`} columns={[{ title: 'Applies to' }, ...PERMISSIONS.map((p) => ({ title: p.name }))]} actionsWidth={90}>
              {loaded.rules.map((rule, index) => (
                <tr key={`${rule.mappingType}:${rule.mappingId}`}>
                  <td>
                    {rule.displayName ?? rule.mappingId} ({rule.mappingType})
                  </td>
                  {PERMISSIONS.map((p) => (
                    <td key={p.bit}>
                      <Select
                        aria-label={`${p.name} for ${rule.mappingId}`}
                        value={stateOf(rule, p.bit)}
                        onChange={(e) => update(index, withState(rule, p.bit, e.target.value as Tri))}
                      >
                        <Select.Option value="inherit">Inherited</Select.Option>
                        <Select.Option value="allow">Allowed</Select.Option>
                        <Select.Option value="deny">Denied</Select.Option>
                      </Select>
                    </td>
                  ))}
                  <td>
                    <Button
                      size="small"
                      variant="invisible"
                      aria-label={`Remove rule for ${rule.mappingId}`}
                      onClick={() => setLoaded((s) => s && { ...s, rules: s.rules.filter((_, i) => i !== index) })}
                    >
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
          </DataTable>
          {loaded.rules.length === 0 ? <Text as="p">No rules on this path; everything is inherited.</Text> : null}
          <div className="inline-form" style={{ marginTop: 12 }}>
            <FormControl>
              <FormControl.Label>Rule for</FormControl.Label>
              <Select value={newType} onChange={(e) => setNewType(e.target.value as 'user' | 'group')}>
                <Select.Option value="group">Group</Select.Option>
                <Select.Option value="user">User</Select.Option>
              </Select>
            </FormControl>
            <FormControl>
              <FormControl.Label>User or group id</FormControl.Label>
              <TextInput value={newId} onChange={(e) => setNewId(e.target.value)} />
            </FormControl>
            <Button
              disabled={!newId.trim() || loaded.rules.some((r) => r.mappingType === newType && r.mappingId === newId.trim())}
              onClick={() => {
                setLoaded((s) => s && { ...s, rules: [...s.rules, { mappingType: newType, mappingId: newId.trim(), mask: 0, permissions: 0 }] });
                setNewId('');
              }}
            >
              Add rule
            </Button>
          </div>
          <div style={{ display: 'flex', justifyContent: 'flex-end', alignItems: 'center', gap: 8, marginTop: 16 }}>
            {saved ? <Text role="status">Rules saved.</Text> : null}
            <Button
              variant="primary"
              loading={busy}
              onClick={() =>
                run(async () => {
                  setSaved(false);
                  await dav.writeAcl(uid, loaded.path, loaded.rules);
                  setSaved(true);
                })
              }
            >
              Save rules
            </Button>
          </div>
        </>
      ) : null}
    </Dialog>
  );
}
