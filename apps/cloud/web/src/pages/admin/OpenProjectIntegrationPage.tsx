import { useState, type FormEvent, type ReactNode } from 'react';
import { Button, Checkbox, Flash, FormControl, Heading, Text, TextInput, useConfirm } from '@primer/react';
import { CheckCircleFillIcon } from '@primer/octicons-react';
import * as api from '../../api/integration.ts';
import { Diagnostics } from '@tandem/web-kit/Diagnostics.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { ShownOnce } from '@tandem/web-kit/ShownOnce.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { Layout } from '../../components/Layout.tsx';

/** One numbered form; a green check mark replaces the number once the step is complete. */
function Step({ n, title, complete, children }: { n: number; title: string; complete: boolean; children: ReactNode }) {
  return (
    <section aria-label={title} style={{ marginBottom: 24 }}>
      <Heading as="h3" style={{ fontSize: 16, display: 'flex', gap: 8, alignItems: 'center', color: complete ? 'var(--fgColor-success, #1a7f37)' : undefined }}>
        {complete ? <CheckCircleFillIcon aria-label="Step complete" /> : <span>{n}.</span>} {title}
      </Heading>
      {children}
    </section>
  );
}

/**
 * Settings → Administration → OpenProject Integration, following the seed's "Set up the integration":
 * host, OpenProject's OAuth values, Cloud's generated OAuth values, project folders with the app
 * password, then the user defaults. Every control is reachable by its label.
 */
export function OpenProjectIntegrationPage() {
  const state = useLoader(api.adminState, []);
  const action = useAction(state.reload);
  const ask = useConfirm();
  const [host, setHost] = useState<string>();
  const [hostError, setHostError] = useState<api.HostCheck>();
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [editOpClient, setEditOpClient] = useState(false);
  const [ncClient, setNcClient] = useState<api.NcClient>();
  const [useFolders, setUseFolders] = useState(true);
  const [folderError, setFolderError] = useState<string>();
  const [appPassword, setAppPassword] = useState<string>();
  const [editHost, setEditHost] = useState(false);

  const s = state.data;
  if (!s) return <Layout title="OpenProject Integration">{state.error ? <ErrorBanner error={state.error} /> : null}</Layout>;

  const hostDone = !!s.openproject_instance_url && !editHost;
  const opClientDone = !!s.openproject_client_id && s.openproject_client_secret_set && !editOpClient;
  const ncDone = !!s.nc_oauth_client && !ncClient?.nextcloud_client_secret;
  const foldersDone = !s.fresh_project_folder_setup && !appPassword && ncDone;

  const saveHost = async (event: FormEvent) => {
    event.preventDefault();
    const url = (host ?? s.openproject_instance_url).trim();
    setHostError(undefined);
    await action.run(async () => {
      const check = await api.checkHost(url);
      if (check.result !== true) {
        setHostError(check);
        return;
      }
      await api.saveConfig({ openproject_instance_url: url });
      setEditHost(false);
    });
  };

  const saveOpClient = async (event: FormEvent) => {
    event.preventDefault();
    await action.run(async () => {
      await api.saveConfig({ openproject_client_id: clientId.trim(), openproject_client_secret: clientSecret.trim() });
      setEditOpClient(false);
      setClientSecret('');
      if (!s.nc_oauth_client) setNcClient(await api.createNcClient());
    });
  };

  const setupFolders = async () => {
    setFolderError(undefined);
    await action.run(async () => {
      try {
        const values = useFolders
          ? { setup_project_folder: !s.project_folder_info.status, setup_app_password: true }
          : { setup_project_folder: false, setup_app_password: false };
        const result = await api.saveConfig(values);
        if (result.oPUserAppPassword) setAppPassword(result.oPUserAppPassword);
      } catch (error) {
        setFolderError(error instanceof Error ? error.message : String(error));
      }
    });
  };

  const repair = async () => {
    const ok = await ask({
      title: 'Use the existing user, group and folder',
      content:
        'The existing user, group and folder "OpenProject" are kept with their files and put right: the user becomes member and group admin of the groups, the group gets all permissions on the folder, advanced permissions are switched on and the user manages them.',
      confirmButtonContent: 'Yes, use them',
    });
    if (!ok) return;
    setFolderError(undefined);
    await action.run(async () => {
      await api.repairProjectFolder();
      const result = await api.saveConfig({ setup_project_folder: false, setup_app_password: true });
      if (result.oPUserAppPassword) setAppPassword(result.oPUserAppPassword);
    });
  };

  const confirmThen = async (title: string, content: string, confirm: string, run: () => Promise<unknown>) => {
    if (await ask({ title, content, confirmButtonContent: confirm, confirmButtonType: 'danger' })) await action.run(run);
  };

  return (
    <Layout title="OpenProject Integration">
      <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button
          variant="danger"
          disabled={!s.openproject_instance_url && !s.nc_oauth_client}
          onClick={() =>
            confirmThen(
              'Reset OpenProject Integration',
              'Are you sure that you want to reset this app and delete all settings and all connections of all Nextcloud users to OpenProject?',
              'Yes, reset',
              async () => {
                await api.saveConfig(api.RESET_VALUES);
                setNcClient(undefined);
                setAppPassword(undefined);
                setHost(undefined);
              },
            )
          }
        >
          Reset
        </Button>
      </div>
      <ErrorBanner error={action.error} />
      {!s.all_terms_of_services_signed ? (
        <Flash variant="warning" style={{ marginBottom: 16 }}>
          <Text as="p" style={{ fontWeight: 'bold' }}>For user "OpenProject", several "Terms of services" have not been signed.</Text>
          <Text as="p">Sign any unsigned "Terms Of Services" for user "OpenProject".</Text>
          <Button onClick={() => action.run(api.signTerms)}>Sign Terms of services</Button>
        </Flash>
      ) : null}

      <Step n={1} title="OpenProject server" complete={hostDone}>
        {hostDone ? (
          <>
            <Text as="p">
              OpenProject host: <code>{s.openproject_instance_url}</code>
            </Text>
            <Button onClick={() => setEditHost(true)}>Edit server information</Button>
          </>
        ) : (
          <form onSubmit={saveHost} className="inline-form">
            <FormControl>
              <FormControl.Label>OpenProject host</FormControl.Label>
              <TextInput
                value={host ?? s.openproject_instance_url}
                onChange={(e) => setHost(e.target.value)}
                placeholder="https://www.my-openproject.com"
                style={{ minWidth: 360 }}
              />
              {hostError ? (
                <FormControl.Validation variant="error">
                  {/* The seed's troubleshooting names this message; the specific reason follows. */}
                  Please enter a valid OpenProject hostname. {hostError.message}
                  {hostError.details && hostError.result !== 'redirected' ? ` ${hostError.result === 'client_exception' ? `Response: "${hostError.details}"` : hostError.details}` : ''}
                </FormControl.Validation>
              ) : (
                <FormControl.Caption>Please introduce your OpenProject hostname</FormControl.Caption>
              )}
            </FormControl>
            <Button type="submit" variant="primary" disabled={action.busy}>
              Save
            </Button>
          </form>
        )}
      </Step>

      <Step n={2} title="OpenProject OAuth settings" complete={hostDone && opClientDone}>
        {!hostDone ? null : opClientDone ? (
          <>
            <Text as="p">
              OpenProject OAuth client ID: <code>{s.openproject_client_id}</code>
              <br />
              OpenProject OAuth client secret: <code>••••••••</code>
            </Text>
            <Button
              onClick={() =>
                confirmThen(
                  'Replace OpenProject OAuth values',
                  'If you proceed you will need to update these settings with the new OpenProject OAuth credentials. Also, all users will need to reauthorize access to their OpenProject account.',
                  'Yes, replace',
                  async () => {
                    await api.saveConfig({ openproject_client_id: '', openproject_client_secret: '' });
                    setEditOpClient(true);
                  },
                )
              }
            >
              Replace OpenProject OAuth values
            </Button>
          </>
        ) : (
          <form onSubmit={saveOpClient}>
            <Text as="p">Go to your OpenProject Administration &gt; File storages as an Administrator and start the setup and copy the values here.</Text>
            <FormControl required>
              <FormControl.Label>OpenProject OAuth client ID</FormControl.Label>
              <TextInput value={clientId} onChange={(e) => setClientId(e.target.value)} style={{ minWidth: 360 }} />
            </FormControl>
            <FormControl required>
              <FormControl.Label>OpenProject OAuth client secret</FormControl.Label>
              <TextInput type="password" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} style={{ minWidth: 360 }} />
            </FormControl>
            <Button type="submit" variant="primary" disabled={!clientId.trim() || !clientSecret.trim() || action.busy} style={{ marginTop: 8 }}>
              Save
            </Button>
          </form>
        )}
      </Step>

      <Step n={3} title="Nextcloud OAuth client" complete={hostDone && opClientDone && ncDone}>
        {!opClientDone || !hostDone ? null : ncClient?.nextcloud_client_secret ? (
          <>
            <Text as="p">Copy the following values back into the OpenProject Administration &gt; File storages as an Administrator.</Text>
            <ShownOnce
              values={[
                { label: 'Nextcloud OAuth client ID', value: ncClient.nextcloud_client_id },
                { label: 'Nextcloud OAuth client secret', value: ncClient.nextcloud_client_secret },
              ]}
            >
              Cloud created an OAuth client for OpenProject.
            </ShownOnce>
            <Button variant="primary" onClick={() => setNcClient(undefined)}>
              Yes, I have copied these values
            </Button>
          </>
        ) : s.nc_oauth_client ? (
          <>
            <Text as="p">
              Nextcloud OAuth client ID: <code style={{ wordBreak: 'break-all' }}>{s.nc_oauth_client.nextcloud_client_id}</code>
              <br />
              Nextcloud OAuth client secret: <code>***</code>
            </Text>
            <Button
              onClick={() =>
                confirmThen(
                  'Replace Nextcloud OAuth values',
                  'If you proceed you will need to update the settings in your OpenProject with the new Nextcloud OAuth credentials. Also, all users in OpenProject will need to reauthorize access to their Nextcloud account.',
                  'Yes, replace',
                  async () => setNcClient(await api.createNcClient()),
                )
              }
            >
              Replace Nextcloud OAuth values
            </Button>
          </>
        ) : (
          <Button onClick={() => action.run(async () => setNcClient(await api.createNcClient()))}>Create Nextcloud OAuth values</Button>
        )}
      </Step>

      <Step n={4} title="Project folders (recommended)" complete={false}>
        {!ncDone ? null : appPassword ? (
          <>
            <Text as="p">This value will only be accessible once. Now, as an administrator copy this password to OpenProject.</Text>
            <ShownOnce values={[{ label: 'Application Password', value: appPassword }]}>The OpenProject user, group and folder are ready.</ShownOnce>
            <Button variant="primary" onClick={() => action.run(async () => setAppPassword(undefined))}>
              Done, complete setup
            </Button>
          </>
        ) : foldersDone ? (
          <>
            <Text as="p">Automatically managed folders: {s.app_password_set ? 'Active' : 'Inactive'}</Text>
            <Button
              onClick={() =>
                confirmThen(
                  'Replace user app password',
                  'If you proceed, your old application password for the OpenProject user will be deleted and you will receive a new OpenProject user password.',
                  'Yes, replace',
                  async () => setAppPassword((await api.saveConfig({ setup_app_password: true })).oPUserAppPassword ?? undefined),
                )
              }
            >
              Replace application password
            </Button>
          </>
        ) : (
          <>
            <FormControl>
              <Checkbox checked={useFolders} onChange={(e) => setUseFolders(e.target.checked)} />
              <FormControl.Label>Automatically managed folders</FormControl.Label>
            </FormControl>
            {useFolders ? (
              <Text as="p">
                For automatically managing project folders, this app needs to setup a special team folder, assigned to a group and managed by a user, each called "OpenProject".
                The app will never delete files or folders, even if you deactivate this later.
              </Text>
            ) : (
              <Text as="p">We recommend using this functionality but it is not mandatory. Please activate it in case you want to use the automatic creation and management of project folders.</Text>
            )}
            {useFolders && !s.groupfolders_enabled ? (
              <Flash variant="warning" style={{ marginBottom: 8 }}>
                This feature requires version 1.0.0 (or higher) of "Team folders" app. Please install or update the app.
              </Flash>
            ) : null}
            {folderError ? (
              <Flash variant="danger" style={{ marginBottom: 8 }}>
                <Text as="p" style={{ fontWeight: 'bold' }} role="alert">
                  {folderError}
                </Text>
                <Text as="p">Setting up the OpenProject user, group and team folder was not possible.</Text>
                {/already exists/.test(folderError) ? <Button onClick={repair}>Use the existing user, group and folder</Button> : null}
              </Flash>
            ) : null}
            <Button variant="primary" onClick={setupFolders} disabled={action.busy}>
              {useFolders ? (folderError ? 'Retry setup OpenProject user, group and folder' : 'Setup OpenProject user, group and folder') : 'Complete without project folders'}
            </Button>
          </>
        )}
      </Step>

      {s.status && !appPassword ? (
        <section aria-label="Default user settings">
          <Heading as="h3" style={{ fontSize: 16 }}>
            Default user settings
          </Heading>
          <Text as="p">A new user will receive these defaults and they will be applied to the integration app till the user changes them.</Text>
          <FormControl>
            <Checkbox checked={s.default_enable_navigation} onChange={(e) => action.run(() => api.saveConfig({ default_enable_navigation: e.target.checked }))} />
            <FormControl.Label>Enable navigation link</FormControl.Label>
            <FormControl.Caption>Displays a link to your OpenProject instance in the Nextcloud header.</FormControl.Caption>
          </FormControl>
          <FormControl>
            <Checkbox checked={s.default_enable_unified_search} onChange={(e) => action.run(() => api.saveConfig({ default_enable_unified_search: e.target.checked }))} />
            <FormControl.Label>Enable unified search for tickets</FormControl.Label>
            <FormControl.Caption>Allows you to search OpenProject work packages via the universal search bar in Nextcloud.</FormControl.Caption>
          </FormControl>
        </section>
      ) : null}

      {/* Keyed by the state so every completed step runs the checks again instead of showing stale failures. */}
      {s.openproject_instance_url ? <Diagnostics key={JSON.stringify(s)} url={`${api.BASE}/diagnostics`} /> : null}
    </Layout>
  );
}
