import { useState, type FormEvent, type ReactNode } from 'react';
import { Button, Checkbox, Flash, FormControl, Heading, Label, TextInput, Text, UnderlineNav } from '@primer/react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { Diagnostics } from '@tandem/web-kit/Diagnostics.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { listProjects } from '../../api/resources.ts';
import {
  addProjectStorages,
  deleteStorage,
  deletionCounts,
  ensureConnectionUrl,
  getStorageSetup,
  listProjectStorages,
  replaceOpenProjectOAuth,
  setManagedFolders,
  setNextcloudClient,
  type DeletionCounts,
  type FolderMode,
  type StorageSetup,
} from '../../api/storages.ts';
import { Layout } from '../../components/Layout.tsx';
import { FolderModeFields, ProjectStorageList } from './ProjectStorageList.tsx';

const REPLACE_OPENPROJECT_TEXT =
  'This action will reset the current OAuth credentials. After confirming you will have to reenter the credentials at the storage provider and all remote users will have to authorize against OpenProject again. Are you sure you want to proceed?';
const REPLACE_NEXTCLOUD_TEXT =
  'This action will reset the current OAuth credentials. After confirming you will have to enter new credentials from the storage provider and all users will have to authorize against Nextcloud again. Are you sure you want to proceed?';
const CONNECTED = 'Storage connected successfully! Remember to activate the storage in the Projects tab for each desired project to use it.';

type Application = { clientId: string; clientSecret?: string };

function Section({ title, status, children }: { title: string; status: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="storage-section" style={{ borderTop: '1px solid var(--borderColor-default)', padding: '12px 0' }}>
      <Heading as="h3" style={{ fontSize: 16, display: 'flex', gap: 8, alignItems: 'center' }}>
        {title} <Label variant={status === 'Incomplete' ? 'attention' : status === 'Inactive' ? 'secondary' : 'success'}>{status}</Label>
      </Heading>
      {children}
    </section>
  );
}

/** The OpenProject OAuth application's id and secret, right after creation or replacement only. */
function ApplicationDetails({ application, host, onDone }: { application: Application; host: string; onDone(): void }) {
  return (
    <div role="region" aria-label="OpenProject OAuth application details">
      <Heading as="h3" style={{ fontSize: 16 }}>OpenProject OAuth application details</Heading>
      <Flash variant="warning" style={{ margin: '8px 0' }}>
        The client secret value will not be accessible again after you close this window. Please copy these values into the{' '}
        <a href={`${host}settings/admin/openproject`} target="_blank" rel="noreferrer">
          Nextcloud OpenProject Integration settings
        </a>
        .
      </Flash>
      <div style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 12px', wordBreak: 'break-all' }}>
        <Text>OpenProject OAuth Client ID</Text>
        <code aria-label="OpenProject OAuth Client ID">{application.clientId}</code>
        <Text>OpenProject OAuth Client Secret</Text>
        <code aria-label="OpenProject OAuth Client Secret">{application.clientSecret}</code>
      </div>
      <Button variant="primary" onClick={onDone} style={{ marginTop: 12 }}>
        Done, continue
      </Button>
    </div>
  );
}

function NextcloudClientForm({ storageId, onSaved, run }: { storageId: number; onSaved(): void; run(a: () => Promise<unknown>): Promise<boolean> }) {
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await run(() => setNextcloudClient(storageId, clientId.trim(), secret.trim()))) onSaved();
  };
  return (
    <form onSubmit={submit} aria-label="Nextcloud OAuth" className="stacked-form" style={{ maxWidth: 520 }}>
      <Text as="p">Copy these values from Nextcloud Administration / OpenProject.</Text>
      <FormControl required>
        <FormControl.Label>Nextcloud OAuth Client ID</FormControl.Label>
        <TextInput value={clientId} onChange={(e) => setClientId(e.target.value)} block />
      </FormControl>
      <FormControl required>
        <FormControl.Label>Nextcloud OAuth Client Secret</FormControl.Label>
        <TextInput value={secret} onChange={(e) => setSecret(e.target.value)} block />
      </FormControl>
      <Button type="submit" variant="primary">
        Save and continue
      </Button>
    </form>
  );
}

function ManagedFoldersForm({ setup, onSaved, run }: { setup: StorageSetup; onSaved(): void; run(a: () => Promise<unknown>): Promise<boolean> }) {
  const [enabled, setEnabled] = useState(setup.automaticallyManaged !== false);
  const [password, setPassword] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await run(() => setManagedFolders(setup.storage.id, enabled ? password : ''))) onSaved();
  };
  return (
    <form onSubmit={submit} aria-label="Automatically managed project folders" className="stacked-form" style={{ maxWidth: 520 }}>
      <FormControl>
        <Checkbox checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        <FormControl.Label>Automatically managed folders</FormControl.Label>
      </FormControl>
      {enabled ? (
        <FormControl required>
          <FormControl.Label>Application password</FormControl.Label>
          <TextInput type="password" value={password} onChange={(e) => setPassword(e.target.value)} block />
          <FormControl.Caption>
            Enable automatic managed folders by copying this value from:{' '}
            <a href={`${setup.host}settings/admin/openproject`} target="_blank" rel="noreferrer">
              Nextcloud
            </a>
            .
          </FormControl.Caption>
        </FormControl>
      ) : null}
      <Button type="submit" variant="primary">
        Done, complete setup
      </Button>
    </form>
  );
}

/** The instance-level deletion: says what goes, and needs the storage's name typed. */
function DeleteStorage({ setup, onDeleted }: { setup: StorageSetup; onDeleted(): void }) {
  const [counts, setCounts] = useState<DeletionCounts>();
  const [typed, setTyped] = useState('');
  const action = useAction();
  const name = setup.storage.name;
  if (!counts) {
    return (
      <Button variant="danger" onClick={() => action.run(async () => setCounts(await deletionCounts(setup.storage.id)))}>
        Delete
      </Button>
    );
  }
  return (
    <div role="dialog" aria-label="Delete file storage" className="danger-zone" style={{ border: '1px solid var(--borderColor-danger-emphasis)', padding: 12, borderRadius: 6 }}>
      <Heading as="h3" style={{ fontSize: 16 }}>Delete file storage</Heading>
      <ul>
        <li>Remove all storage setups for all projects using this storage. ({counts.projectStorages} projects)</li>
        <li>Remove all links from work packages of all projects to files and folders of that storage. ({counts.fileLinks} file links)</li>
        <li>In case this storage has automatically managed project folders, those and their contained files will be deleted forever. ({counts.automaticProjectFolders} project folders)</li>
        <li>
          Users' Nextcloud connections: {counts.oauthClientTokens} tokens and {counts.remoteIdentities} remote identities.
        </li>
      </ul>
      <FormControl>
        <FormControl.Label>Type the name of the storage to confirm: {name}</FormControl.Label>
        <TextInput value={typed} onChange={(e) => setTyped(e.target.value)} />
      </FormControl>
      <ErrorBanner error={action.error} />
      <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
        <Button onClick={() => setCounts(undefined)}>Cancel</Button>
        <Button variant="danger" disabled={typed !== name} onClick={async () => (await action.run(() => deleteStorage(setup.storage.id))) && onDeleted()}>
          Delete permanently
        </Button>
      </div>
    </div>
  );
}

function EnabledInProjects({ setup }: { setup: StorageSetup }) {
  const id = setup.storage.id;
  const rows = useLoader(() => listProjectStorages({ storageId: id }), [id]);
  const projects = useLoader(listProjects, []);
  const action = useAction(rows.reload);
  const [adding, setAdding] = useState(false);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<number[]>([]);
  const [subProjects, setSubProjects] = useState(false);
  const [mode, setMode] = useState<FolderMode>(setup.automaticallyManaged ? 'automatic' : 'inactive');
  const [folderId, setFolderId] = useState('');
  if (!setup.configured) {
    return (
      <Flash variant="warning">
        <strong>Storage setup incomplete</strong>
        <div>This storage has an incomplete setup. Please, complete the setup before enabling it in multiple projects.</div>
      </Flash>
    );
  }
  // As OpenProject: adding projects needs the admin's own Nextcloud login first.
  const connected = setup.storage._links.authorizationState.href?.endsWith(':Connected');
  const nudge = adding && !connected;
  const linked = new Set((rows.data ?? []).map((r) => r._links.project.href));
  const candidates = (projects.data ?? []).filter((p) => !linked.has(`/api/v3/projects/${p.id}`) && p.name.toLowerCase().includes(search.trim().toLowerCase()));
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(() => addProjectStorages(id, { projectIds: selected, includeSubProjects: subProjects, projectFolderMode: mode, ...(mode === 'manual' ? { projectFolderId: folderId.trim() } : {}) }));
    if (ok) {
      setAdding(false);
      setSelected([]);
    }
  };
  return (
    <>
      <Button variant="primary" onClick={() => setAdding(!adding)}>
        + Add projects
      </Button>
      {nudge ? (
        <Flash variant="warning" style={{ marginTop: 12 }} role="region" aria-label="Login to Nextcloud required">
          <strong>Login to Nextcloud required</strong>
          <div>In order to add projects to this storage you need to be logged into Nextcloud. Please, log in and try again.</div>
          <Button as="a" href={ensureConnectionUrl(setup.storage, `/admin/settings/storages/${id}?tab=projects`)} style={{ marginTop: 8 }}>
            Log in
          </Button>
        </Flash>
      ) : null}
      {adding && connected ? (
        <form onSubmit={add} aria-label="Add projects" className="stacked-form" style={{ maxWidth: 560, marginTop: 12 }}>
          <FormControl>
            <FormControl.Label>Search projects</FormControl.Label>
            <TextInput value={search} onChange={(e) => setSearch(e.target.value)} block />
          </FormControl>
          <fieldset style={{ border: 0, padding: 0, maxHeight: 220, overflow: 'auto' }}>
            {candidates.map((p) => (
              <FormControl key={p.id}>
                <Checkbox checked={selected.includes(p.id)} onChange={(e) => setSelected(e.target.checked ? [...selected, p.id] : selected.filter((s) => s !== p.id))} />
                <FormControl.Label>{p.name}</FormControl.Label>
              </FormControl>
            ))}
          </fieldset>
          <FormControl>
            <Checkbox checked={subProjects} onChange={(e) => setSubProjects(e.target.checked)} />
            <FormControl.Label>Include sub-projects</FormControl.Label>
          </FormControl>
          <FolderModeFields mode={mode} folderId={folderId} automatic={setup.automaticallyManaged === true} onMode={setMode} onFolderId={setFolderId} />
          <Button type="submit" variant="primary">
            Add
          </Button>
        </form>
      ) : null}
      <ErrorBanner error={action.error ?? rows.error} />
      {rows.data?.length ? (
        <ProjectStorageList rows={rows.data} label="Enabled in projects" nameOf={(r) => r._links.project.title ?? ''} automatic={() => setup.automaticallyManaged === true} run={action.run} />
      ) : null}
    </>
  );
}

/** One storage: the setup wizard's remaining steps, what is configured, replacing OAuth values, projects, deletion. */
export function StoragePage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const location = useLocation();
  const setup = useLoader(() => getStorageSetup(id), [id]);
  const action = useAction(setup.reload);
  const [application, setApplication] = useState<Application | undefined>((location.state as { application?: Application } | null)?.application);
  const [replacingClient, setReplacingClient] = useState(false);
  const [editingFolders, setEditingFolders] = useState(false);
  const [completed, setCompleted] = useState(false);
  const requestedTab = new URLSearchParams(location.search).get('tab');
  const [tab, setTab] = useState<'details' | 'projects' | 'diagnostics'>(requestedTab === 'projects' || requestedTab === 'diagnostics' ? requestedTab : 'details');
  const data = setup.data;
  // The Nextcloud login flow comes back with `oauth_error` when it failed.
  const oauthError = new URLSearchParams(location.search).get('oauth_error');
  const title = data ? data.storage.name : 'File storage';
  if (!data) {
    return (
      <Layout title={title}>
        <ErrorBanner error={setup.error} />
      </Layout>
    );
  }
  const storage = data.storage;
  const showApplication = application?.clientSecret;
  const needsClient = !showApplication && (!data.checks.storage_oauth_client_configured || replacingClient);
  const needsFolders = !showApplication && !needsClient && (data.automaticallyManaged === null || editingFolders);
  const managed = data.automaticallyManaged;
  return (
    <Layout title={title} actions={<DeleteStorage setup={data} onDeleted={() => navigate('/admin/settings/storages')} />}>
      <Text as="p" style={{ color: 'var(--fgColor-muted)' }}>{`Nextcloud - ${storage.name} - ${data.host}`}</Text>
      {oauthError ? (
        <Flash variant="danger" style={{ marginBottom: 8 }}>
          {oauthError}
        </Flash>
      ) : null}
      <UnderlineNav aria-label="Storage">
        <UnderlineNav.Item aria-current={tab === 'details' ? 'page' : undefined} onSelect={(e) => (e.preventDefault(), setTab('details'))} href="#details">
          Details
        </UnderlineNav.Item>
        <UnderlineNav.Item aria-current={tab === 'projects' ? 'page' : undefined} onSelect={(e) => (e.preventDefault(), setTab('projects'))} href="#projects">
          Enabled in projects
        </UnderlineNav.Item>
        <UnderlineNav.Item aria-current={tab === 'diagnostics' ? 'page' : undefined} onSelect={(e) => (e.preventDefault(), setTab('diagnostics'))} href="#diagnostics">
          Diagnostics
        </UnderlineNav.Item>
      </UnderlineNav>
      {tab === 'projects' ? (
        <EnabledInProjects setup={data} />
      ) : tab === 'diagnostics' ? (
        <Diagnostics url={`/api/admin/storages/${id}/diagnostics`} />
      ) : (
        <>
          {completed && !data.incomplete.length ? (
            <Flash variant="success" role="status">
              {CONNECTED}
            </Flash>
          ) : null}
          {data.incomplete.map((message) => (
            <Flash key={message} variant="warning" style={{ marginBottom: 8 }}>
              {message}
            </Flash>
          ))}
          <ErrorBanner error={action.error} />
          <Section title="General information" status="Completed">
            <Text as="p">{`Nextcloud - ${storage.name} - ${data.host}`}</Text>
          </Section>
          <Section title="OpenProject OAuth" status={data.checks.openproject_oauth_application_configured ? 'Completed' : 'Incomplete'}>
            {showApplication ? (
              <ApplicationDetails application={application} host={data.host} onDone={() => setApplication(undefined)} />
            ) : (
              <>
                <Text as="p">OAuth Client ID: {storage._embedded?.oauthApplication?.clientId}</Text>
                <ConfirmButton
                  label="Replace OpenProject OAuth"
                  title="Replace OpenProject OAuth values"
                  text={REPLACE_OPENPROJECT_TEXT}
                  confirm="Replace"
                  onConfirm={() => action.run(async () => setApplication((await replaceOpenProjectOAuth(id))._embedded?.oauthApplication))}
                >
                  Replace OpenProject OAuth
                </ConfirmButton>
              </>
            )}
          </Section>
          <Section title="Nextcloud OAuth" status={data.checks.storage_oauth_client_configured ? 'Completed' : 'Incomplete'}>
            {needsClient ? (
              <NextcloudClientForm storageId={id} run={action.run} onSaved={() => setReplacingClient(false)} />
            ) : data.checks.storage_oauth_client_configured ? (
              <>
                <Text as="p">OAuth Client ID: {storage._embedded?.oauthClientCredentials?.clientId}</Text>
                <ConfirmButton label="Replace Nextcloud OAuth" title="Replace Nextcloud OAuth values" text={REPLACE_NEXTCLOUD_TEXT} confirm="Replace" onConfirm={() => setReplacingClient(true)}>
                  Replace Nextcloud OAuth
                </ConfirmButton>
              </>
            ) : (
              <Text as="p">Allow OpenProject to access Nextcloud data using OAuth.</Text>
            )}
          </Section>
          <Section title="Automatically managed project folders" status={managed === null ? 'Incomplete' : managed ? 'Active' : 'Inactive'}>
            {needsFolders ? (
              <ManagedFoldersForm
                setup={data}
                run={action.run}
                onSaved={() => {
                  setEditingFolders(false);
                  setCompleted(true);
                }}
              />
            ) : managed !== null ? (
              <Button size="small" onClick={() => setEditingFolders(true)}>
                Edit automatically managed project folders
              </Button>
            ) : null}
          </Section>
        </>
      )}
    </Layout>
  );
}
