import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestProjects, type TestProjects } from '../../../../projects/src/testing.ts';
import { startTestCloud, TEST_ADMIN_PASSWORD, type TestCloud } from '../../testing.ts';

const BASE = '/index.php/apps/integration_openproject';

interface Answer {
  status: number;
  body: any;
}

for (const dialect of testDialects()) {
  describe(`integration_openproject app on ${dialect}`, () => {
    let cloud: TestCloud;
    let projects: TestProjects;
    let admin: string;
    // `auth` '' sends no Authorization header.

    const call = async (method: string, path: string, body?: unknown, auth: string | undefined = admin, headers: Record<string, string> = {}): Promise<Answer> => {
      const response = await fetch(`${cloud.url}${path}`, {
        method,
        headers: {
          ...(auth ? { authorization: auth } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          accept: 'application/json',
          'ocs-apirequest': 'true',
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    const ocs = (method: string, path: string, auth = admin) => call(method, `/ocs/v2.php${path}?format=json`, undefined, auth);
    const setApp = (app: string, enabled: boolean) => ocs(enabled ? 'POST' : 'DELETE', `/cloud/apps/${app}`);
    const adminConfig = (values: Record<string, unknown>) => call('PUT', `${BASE}/admin-config`, { values });
    const dav = async (user: string, password: string) =>
      (await fetch(`${cloud.url}/remote.php/webdav/`, { method: 'PROPFIND', headers: { authorization: cloud.basic(user, password), depth: '0' } })).status;

    before(async () => {
      cloud = await startTestCloud(dialect);
      projects = await startTestProjects(dialect);
      admin = cloud.basic('admin', TEST_ADMIN_PASSWORD);
      await cloud.createUser('alice');
    });
    after(async () => {
      await cloud.stop();
      await projects.stop();
    });

    it('is listed under Apps, disabled at first; while disabled it has no routes and no capability', async () => {
      const info = await ocs('GET', '/cloud/apps/integration_openproject');
      assert.equal(info.body.ocs.data.name, 'OpenProject Integration');
      assert.equal(info.body.ocs.data.category, 'integration');
      assert.equal(info.body.ocs.data.enabled, false);
      assert.equal((await call('GET', `${BASE}/check-config`)).status, 404);
      const caps = await ocs('GET', '/cloud/capabilities', '');
      assert.equal(caps.body.ocs.data.capabilities.integration_openproject, undefined);
    });

    it('once enabled: the capability (also anonymous) and check-config echoing the Authorization header', async () => {
      assert.equal((await setApp('integration_openproject', true)).status, 200);
      const caps = (await ocs('GET', '/cloud/capabilities', '')).body.ocs.data.capabilities.integration_openproject;
      assert.match(caps.app_version, /^\d+\.\d+\.\d+$/);
      const [major, minor] = caps.app_version.split('.').map(Number);
      assert.ok(major > 2 || (major === 2 && minor >= 6));
      assert.equal(caps.groupfolders_enabled, true);
      assert.match(caps.groupfolder_version, /^\d+\.\d+\.\d+$/);
      const echo = await call('GET', `${BASE}/check-config`, undefined, 'Bearer TESTBEARERTOKEN');
      assert.deepEqual(echo, { status: 200, body: { user_id: '', authorization_header: 'Bearer TESTBEARERTOKEN' } });
      assert.deepEqual((await call('GET', `${BASE}/check-config`, undefined, '')).body, { user_id: '', authorization_header: null });
    });

    it('validates the OpenProject host: local addresses refused until allowed, then a real Projects passes', async () => {
      const probe = async (url: string) => (await call('POST', `${BASE}/is-valid-op-instance`, { url })).body;
      const local = await probe(projects.url);
      assert.equal(local.result, 'local_remote_servers_not_allowed');
      assert.match(local.message, /^Accessing OpenProject servers with local addresses is not allowed\./);
      assert.match(local.message, /npm run occ -- config:system:set allow_local_remote_servers --value 1/);
      assert.deepEqual(await probe('ftp://somehost.de'), { result: 'invalid', details: 'The URL should have the form "https://openproject.org"', message: 'URL is invalid' });

      await cloud.services.settings.repository.setSystem('allow_local_remote_servers', '1');
      assert.deepEqual(await probe(projects.url), { result: true });
      assert.deepEqual(await probe(`${projects.url}/`), { result: true });
      // Cloud itself is no OpenProject: its 404 is not an OpenProject error document.
      const notOp = await probe(cloud.url);
      assert.equal(notOp.result, 'client_exception');
      assert.equal(notOp.message, 'There is no valid OpenProject instance listening at that URL, please check the Nextcloud logs');

      // A proxy that redirects (e.g. http → https) and a port nobody listens on.
      const proxy = http.createServer((_req, res) => res.writeHead(301, { location: `${projects.url}/api/v3/` }).end());
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const port = (proxy.address() as AddressInfo).port;
      const redirected = await probe(`http://127.0.0.1:${port}`);
      proxy.close();
      assert.equal(redirected.result, 'redirected');
      assert.equal(redirected.message, `The given URL redirects to '${projects.url}/'. Please do not use a URL that leads to a redirect.`);
      const down = await probe(`http://127.0.0.1:${port}`);
      assert.equal(down.result, 'network_error');
      assert.equal(down.message, 'Could not connect to the given URL, please check the Nextcloud logs');
    });

    it('admin config: unknown keys refused, non-admins refused, the OpenProject secret encrypted at rest', async () => {
      assert.deepEqual(await adminConfig({ instance_url: 'x' }), { status: 400, body: { error: 'Unknown setting: instance_url' } });
      const asAlice = await call('PUT', `${BASE}/admin-config`, { values: {} }, cloud.basic('alice', 'alice-password'));
      assert.deepEqual(asAlice, { status: 403, body: { message: 'Logged in account must be an admin' } });
      const saved = await adminConfig({ openproject_instance_url: projects.url, openproject_client_id: 'op-client', openproject_client_secret: 'op-secret-1234' });
      assert.deepEqual(saved.body, { status: false, oPOAuthTokenRevokeStatus: '', oPUserAppPassword: null });
      const raw = await cloud.services.settings.repository.getApp('integration_openproject', 'openproject_client_secret');
      assert.ok(raw && !raw.includes('op-secret-1234'));
      assert.equal(await cloud.services.integrationOpenProject.get('openproject_client_secret'), 'op-secret-1234');
    });

    it("creates Cloud's OAuth client for Projects, the secret answered once, the callback following the host", async () => {
      const created = await call('POST', `${BASE}/nc-oauth`);
      assert.equal(created.status, 200);
      const { nextcloud_client_id: clientId, nextcloud_client_secret: secret } = created.body;
      assert.match(clientId, /^[A-Za-z0-9]{64}$/);
      assert.match(secret, /^[A-Za-z0-9]{64}$/);
      assert.equal(created.body.nextcloud_oauth_client_name, 'OpenProject client');
      assert.equal(created.body.openproject_redirect_uri, `${projects.url}/oauth_clients/${clientId}/callback`);
      const state = (await call('GET', `${BASE}/admin-state`)).body;
      assert.equal(state.nc_oauth_client.nextcloud_client_id, clientId);
      assert.equal(JSON.stringify(state).includes(secret), false);
      assert.equal(JSON.stringify(state).includes('op-secret-1234'), false);

      await adminConfig({ openproject_instance_url: `${projects.url}/moved` });
      const clients = await cloud.services.oauth.listClients();
      assert.deepEqual(clients.map((c) => c.redirectUri), [`${projects.url}/moved/oauth_clients/${clientId}/callback`]);
      await adminConfig({ openproject_instance_url: projects.url });
    });

    it('sets up user, group and folder OpenProject exactly, with an app password shown once', async () => {
      const result = await adminConfig({ setup_project_folder: true, setup_app_password: true });
      assert.equal(result.status, 200);
      assert.equal(result.body.status, true);
      const password = result.body.oPUserAppPassword as string;
      assert.ok(password.length >= 72);
      assert.equal(await dav('OpenProject', password), 207);

      const { users, groupFolders } = cloud.services;
      for (const group of ['OpenProject', 'OpenProjectNoAutomaticProjectFolders']) {
        assert.deepEqual(await users.members(group), ['OpenProject']);
        assert.deepEqual(await users.subadmins(group), ['OpenProject']);
      }
      const [folder] = await groupFolders.list();
      assert.equal(folder!.folder.mount_point, 'OpenProject');
      assert.equal(folder!.folder.acl, 1);
      assert.deepEqual(folder!.groups.map((g) => [g.group_id, g.permissions]), [['OpenProject', 31]]);
      assert.deepEqual(folder!.managers.map((m) => [m.type, m.id]), [['user', 'OpenProject']]);
      assert.deepEqual((await call('GET', `${BASE}/project-folder-status`)).body, { result: true });
      assert.deepEqual((await call('GET', `${BASE}/check-admin-config`)).body, { config_status_without_project_folder: true, project_folder_setup_status: true });

      // Running it again is a conflict; replacing the password ends the old one.
      assert.deepEqual(await adminConfig({ setup_project_folder: true }), { status: 409, body: { error: 'The user "OpenProject" already exists' } });
      const replaced = (await adminConfig({ setup_app_password: true })).body.oPUserAppPassword as string;
      assert.equal(await dav('OpenProject', password), 401);
      assert.equal(await dav('OpenProject', replaced), 207);
    });

    it('protects user and groups OpenProject while enabled; removing a member keeps them in the second group', async () => {
      const deleted = await ocs('DELETE', '/cloud/users/OpenProject');
      assert.equal(deleted.status, 400);
      assert.match(deleted.body.ocs.meta.message, /User "OpenProject" is needed to be protected by the app "OpenProject Integration", thus cannot be deleted\./);
      const disabled = await ocs('PUT', '/cloud/users/OpenProject/disable');
      assert.equal(disabled.status, 400);
      assert.match(disabled.body.ocs.meta.message, /thus cannot be disabled\./);
      assert.equal((await cloud.services.users.get('OpenProject')).enabled, 1);
      for (const group of ['OpenProject', 'OpenProjectNoAutomaticProjectFolders']) {
        const answer = await ocs('DELETE', `/cloud/groups/${group}`);
        assert.equal(answer.status, 400);
        assert.match(answer.body.ocs.meta.message, new RegExp(`Group '${group}' is needed to be protected by the app 'OpenProject Integration', thus cannot be deleted\\.`));
      }
      await cloud.services.users.addToGroup('OpenProject', 'alice');
      await cloud.services.users.removeFromGroup('OpenProject', 'alice');
      assert.deepEqual(await cloud.services.users.groupsOf('alice'), ['OpenProjectNoAutomaticProjectFolders']);
    });

    it('project folders cannot be deleted or renamed by members of group OpenProject; their content can', async () => {
      const password = (await adminConfig({ setup_app_password: true })).body.oPUserAppPassword as string;
      const webdav = (user: string, pass: string, method: string, path: string, headers: Record<string, string> = {}) =>
        fetch(`${cloud.url}/remote.php/dav/files/${user}/${path}`, { method, headers: { authorization: cloud.basic(user, pass), ...headers } });
      assert.equal((await webdav('OpenProject', password, 'MKCOL', 'OpenProject/Project%20A')).status, 201);
      await cloud.services.users.addToGroup('OpenProject', 'alice');
      const alice = (method: string, path: string, headers?: Record<string, string>) => webdav('alice', 'alice-password', method, path, headers);

      const refused = await alice('DELETE', 'OpenProject/Project%20A');
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /This is configured as a project folder on OpenProject and cannot be deleted or renamed\./);
      const destination = `${cloud.url}/remote.php/dav/files/alice/OpenProject/Renamed`;
      assert.equal((await alice('MOVE', 'OpenProject/Project%20A', { destination })).status, 403);
      assert.equal((await alice('PUT', 'OpenProject/Project%20A/notes.txt')).status, 201);
      assert.equal((await alice('DELETE', 'OpenProject/Project%20A/notes.txt')).status, 204);
      // OpenProject itself manages them.
      const renamed = await webdav('OpenProject', password, 'MOVE', 'OpenProject/Project%20A', { destination: `${cloud.url}/remote.php/dav/files/OpenProject/OpenProject/Project%20B` });
      assert.equal(renamed.status, 201);
      await cloud.services.users.removeFromGroup('OpenProject', 'alice');
      await cloud.services.users.removeFromGroup('OpenProjectNoAutomaticProjectFolders', 'alice');
    });

    it('reports each pre-existing entity with the seed message, and repairs from the page', async () => {
      const { users, groupFolders } = cloud.services;
      // The seed's way out: disable the app (no data lost), delete by hand, enable again.
      await setApp('integration_openproject', false);
      assert.equal((await ocs('DELETE', '/cloud/users/OpenProject')).status, 200);
      await setApp('integration_openproject', true);
      assert.equal(await cloud.services.integrationOpenProject.get('openproject_client_id'), 'op-client');
      assert.deepEqual(await adminConfig({ setup_project_folder: true }), { status: 409, body: { error: 'The group "OpenProject" already exists' } });
      assert.equal((await call('GET', `${BASE}/admin-state`)).body.project_folder_info.errorMessage, 'The group "OpenProject" already exists');

      await setApp('integration_openproject', false);
      await users.deleteGroup('OpenProject');
      await users.deleteGroup('OpenProjectNoAutomaticProjectFolders');
      await setApp('integration_openproject', true);
      assert.deepEqual(await adminConfig({ setup_project_folder: true }), { status: 409, body: { error: 'The group folder name "OpenProject" already exists' } });

      await users.create({ id: 'OpenProject', password: 'some-password-1' });
      assert.deepEqual(await adminConfig({ setup_project_folder: true }), { status: 409, body: { error: 'The user "OpenProject" already exists' } });

      // The folder keeps its files; the repair puts permissions, ACL and groups right.
      const folder = (await groupFolders.list())[0]!;
      const repaired = await call('POST', `${BASE}/project-folder/repair`);
      assert.deepEqual(repaired.body, { result: true });
      assert.equal((await groupFolders.list())[0]!.folder.id, folder.folder.id);

      await setApp('groupfolders', false);
      await setApp('integration_openproject', false);
      await ocs('DELETE', '/cloud/users/OpenProject');
      await users.deleteGroup('OpenProject');
      await users.deleteGroup('OpenProjectNoAutomaticProjectFolders');
      await setApp('integration_openproject', true);
      assert.deepEqual(await adminConfig({ setup_project_folder: true }), { status: 500, body: { error: 'The "groupfolders" app is not installed' } });
      await setApp('groupfolders', true);
      assert.deepEqual((await call('POST', `${BASE}/project-folder/repair`)).body, { result: true });
    });

    it('Reset revokes the tokens Projects holds for Cloud users, deletes the client and clears the settings', async () => {
      // A token Projects got for alice through Cloud's OAuth client (consent given, code exchanged).
      const client = (await call('POST', `${BASE}/nc-oauth`)).body;
      const request = await cloud.services.oauth.validateAuthorization({
        client_id: client.nextcloud_client_id,
        redirect_uri: client.openproject_redirect_uri,
        response_type: 'code',
        state: 's',
      });
      assert.ok(request.ok);
      const code = new URL(await cloud.services.oauth.grant(request.value, 'alice')).searchParams.get('code')!;
      const tokens = await fetch(`${cloud.url}/index.php/apps/oauth2/api/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: client.openproject_redirect_uri,
          client_id: client.nextcloud_client_id,
          client_secret: client.nextcloud_client_secret,
        }).toString(),
      });
      const bearer = `Bearer ${((await tokens.json()) as { access_token: string }).access_token}`;
      assert.equal((await ocs('GET', '/cloud/user', bearer)).status, 200);
      await cloud.services.settings.repository.setPreference('alice', 'integration_openproject', 'token', 'unused');

      const reset = await adminConfig({
        openproject_client_id: null, openproject_client_secret: null, oidc_provider: null, targeted_audience_client_id: null,
        sso_provider_type: null, token_exchange: null, openproject_instance_url: null, authorization_method: null,
        setup_project_folder: null, setup_app_password: false, default_enable_navigation: false, default_enable_unified_search: false,
      });
      assert.equal(reset.status, 200);
      assert.equal(reset.body.status, false);
      assert.deepEqual(await cloud.services.oauth.listClients(), []);
      assert.equal((await ocs('GET', '/cloud/user', bearer)).status, 401);
      assert.equal(await cloud.services.settings.repository.getPreference('alice', 'integration_openproject', 'token'), undefined);
      const state = (await call('GET', `${BASE}/admin-state`)).body;
      assert.equal(state.openproject_instance_url, '');
      assert.equal(state.app_password_set, false);
      assert.equal(state.fresh_project_folder_setup, true);
      // User, groups and folder stay (and stay protected).
      assert.equal(state.project_folder_info.status, true);
    });
  });
}
