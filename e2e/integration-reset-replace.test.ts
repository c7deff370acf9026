import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { OPENPROJECT_CLIENT_INVALID } from '../apps/cloud/src/apps/integration-openproject/service.ts';
import { startTestCloud, TEST_ADMIN_PASSWORD as CLOUD_ADMIN_PASSWORD, type TestCloud } from '../apps/cloud/src/testing.ts';
import { SETUP_MESSAGES } from '../apps/projects/src/storages/service.ts';
import { startTestProjects, type TestProjects } from '../apps/projects/src/testing.ts';

/**
 * The seed's "Reset OAuth values" across both real servers (HTTP, the admin APIs the two pages use):
 * after Cloud's Reset and after each of Projects' Replace OAuth values, users' tokens are gone, each
 * side's setup state says what must be redone, and project storages and file links survive.
 */
const APP = '/index.php/apps/integration_openproject';
/** What Cloud's Reset button sends (`RESET_VALUES` of the web UI, which needs DOM types to import). */
const RESET_VALUES = {
  ...Object.fromEntries(['openproject_client_id', 'openproject_client_secret', 'oidc_provider', 'targeted_audience_client_id', 'sso_provider_type', 'token_exchange', 'openproject_instance_url', 'authorization_method', 'setup_project_folder'].map((k) => [k, null])),
  setup_app_password: false,
  default_enable_navigation: false,
  default_enable_unified_search: false,
};
const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const hiddenFields = (html: string) => Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)]));

for (const dialect of testDialects()) {
  describe(`Reset and replace OAuth values on ${dialect}`, () => {
    let cloud: TestCloud;
    let projects: TestProjects;
    let storageId: number;
    let alice: { userId: number; auth: string; cookie: string };
    let opApplication: { clientId: string; clientSecret: string; redirectUri: string };
    let ncClient: { clientId: string; clientSecret: string };

    const cloudAdmin = async (method: string, path: string, values?: Record<string, unknown>) => {
      const response = await fetch(`${cloud.url}${APP}${path}`, {
        method,
        headers: { authorization: cloud.basic('admin', CLOUD_ADMIN_PASSWORD), 'content-type': 'application/json' },
        ...(values ? { body: JSON.stringify({ values }) } : {}),
      });
      assert.equal(response.status, 200, `${method} ${path}`);
      return (await response.json()) as any;
    };
    const cloudState = () => cloudAdmin('GET', '/admin-state');
    /** Cloud's failing diagnostics: name → message and advice. */
    const cloudFailures = async () => {
      const response = await fetch(`${cloud.url}${APP}/diagnostics`, { headers: { authorization: cloud.basic('admin', CLOUD_ADMIN_PASSWORD) } });
      return Object.fromEntries(((await response.json()) as any).checks.filter((c: any) => !c.success).map((c: any) => [c.name, { message: c.message, advice: c.advice }]));
    };
    const projectsOAuthAdvice = async () =>
      (await projects.api('GET', `/api/admin/storages/${storageId}/diagnostics`, { auth: projects.adminAuth })).body.checks.find((c: any) => c.name === 'oauth_clients').advice as string;
    const failingDiagnostics = async () =>
      (await projects.api('GET', `/api/admin/storages/${storageId}/diagnostics`, { auth: projects.adminAuth })).body.checks.filter((c: any) => !c.success).map((c: any) => c.name);
    const projectsSetup = async () => (await projects.api('GET', `/api/admin/storages/${storageId}/setup`, { auth: projects.adminAuth })).body;
    const application = (body: any) => ({ clientId: body._embedded.oauthApplication.clientId, clientSecret: body._embedded.oauthApplication.clientSecret, redirectUri: body._embedded.oauthApplication._links.redirectUri[0].href });
    const saveNcClient = async (client: { nextcloud_client_id: string; nextcloud_client_secret: string }) => {
      ncClient = { clientId: client.nextcloud_client_id, clientSecret: client.nextcloud_client_secret };
      const saved = await projects.api('POST', `/api/v3/storages/${storageId}/oauth_client_credentials`, { auth: projects.adminAuth, body: ncClient });
      assert.equal(saved.status, 201, JSON.stringify(saved.body));
    };
    /** Cloud's half with Projects' current OpenProject OAuth values; the Nextcloud client and app password go to Projects. */
    const setUpCloud = async (projectFolder: 'create' | 'exists') => {
      const create = projectFolder === 'create';
      const answer = await cloudAdmin('POST', '/setup', {
        openproject_instance_url: projects.url,
        openproject_client_id: opApplication.clientId,
        openproject_client_secret: opApplication.clientSecret,
        default_enable_navigation: false,
        default_enable_unified_search: false,
        setup_project_folder: create,
        setup_app_password: create,
      });
      await saveNcClient(answer);
      // With the OpenProject user, group and folder already there, the page asks only for a new app password.
      const password = create ? answer.openproject_user_app_password : (await cloudAdmin('PUT', '/admin-config', { setup_project_folder: false, setup_app_password: true })).oPUserAppPassword;
      const patched = await projects.api('PATCH', `/api/v3/storages/${storageId}`, { auth: projects.adminAuth, body: { applicationPassword: password } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
    };

    /** Alice in Projects connects to Nextcloud: Projects' OAuth client flow, consented in Cloud. */
    async function connectToNextcloud() {
      const ensure = `${projects.url}/oauth_clients/${ncClient.clientId}/ensure_connection?storage_id=${storageId}&destination_url=%2F`;
      const start = await fetch(ensure, { headers: { authorization: alice.auth }, redirect: 'manual' });
      const stateCookie = start.headers.get('set-cookie')!.split(';')[0]!;
      const authorize = new URL(start.headers.get('location')!);
      const { cookie } = await cloud.login('alice');
      const consent = await (await fetch(authorize, { headers: { cookie } })).text();
      const action = new URL(unescape(/<form method="post" action="([^"]+)"/.exec(consent)![1]!), authorize);
      const granted = await fetch(action, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...hiddenFields(consent), decision: 'grant' }),
        redirect: 'manual',
      });
      const back = await fetch(granted.headers.get('location')!, { headers: { authorization: alice.auth, cookie: stateCookie }, redirect: 'manual' });
      assert.equal(back.headers.get('location'), '/');
      assert.equal(await nextcloudState(), 'Connected');
    }
    const nextcloudState = async () => (await projects.api('GET', `/api/v3/storages/${storageId}`, { auth: alice.auth })).body._links.authorizationState.title;
    const cloudGrantsOfAlice = async () => (await cloud.services.db.selectFrom('oauth_grants').select('id').where('user_id', '=', 'alice').execute()).length;

    /**
     * Alice in Cloud connects to OpenProject: Projects' authorization code flow for the storage's
     * OpenProject OAuth application; Cloud keeps the token as its app does (sealed user preference).
     */
    async function connectToOpenProject(): Promise<string> {
      const query = new URLSearchParams({ client_id: opApplication.clientId, redirect_uri: opApplication.redirectUri, response_type: 'code', state: 'alice-state' });
      const consent = await (await fetch(`${projects.url}/oauth/authorize?${query}`, { headers: { cookie: alice.cookie } })).text();
      const decided = await fetch(`${projects.url}/oauth/authorize`, {
        method: 'POST',
        headers: { cookie: alice.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...hiddenFields(consent), decision: 'authorize' }),
        redirect: 'manual',
      });
      const code = new URL(decided.headers.get('location')!).searchParams.get('code')!;
      const token = await fetch(`${projects.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: opApplication.redirectUri, client_id: opApplication.clientId, client_secret: opApplication.clientSecret }),
      });
      const accessToken = ((await token.json()) as { access_token: string }).access_token;
      assert.equal(await openProjectAnswers(accessToken), 200);
      await cloud.services.settings.repository.setPreference('alice', 'integration_openproject', 'token', cloud.services.secrets.encrypt(accessToken));
      return accessToken;
    }
    const openProjectAnswers = async (token: string) => (await projects.api('GET', '/api/v3/users/me', { auth: `Bearer ${token}` })).status;
    const aliceHasOpenProjectToken = async () => 'token' in (await cloud.services.settings.repository.preferencesOf('alice', 'integration_openproject'));

    /** What the resets must leave alone: the project storage and the file link. */
    async function assertLinksSurvive() {
      assert.equal((await projects.services.db.selectFrom('project_storages').select('id').where('storage_id', '=', storageId).execute()).length, 1);
      assert.equal((await projects.services.db.selectFrom('file_links').select('id').where('storage_id', '=', storageId).execute()).length, 1);
    }

    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.services.settings.repository.setSystem('allow_local_remote_servers', '1');
      await cloud.services.settings.setAppEnabled('integration_openproject', true);
      await cloud.createUser('alice');
      projects = await startTestProjects(dialect);
      const created = await projects.createUser('alice');
      const session = await fetch(`${projects.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'alice', password: 'alice-password' }) });
      alice = { userId: created.user.id, auth: created.auth, cookie: session.headers.get('set-cookie')!.split(';')[0]! };

      // The whole setup through the two admin APIs, then a project with a managed folder and a file link.
      const storage = await projects.api('POST', '/api/v3/storages', { auth: projects.adminAuth, body: { name: 'Cloud', _links: { origin: { href: cloud.url }, type: { href: 'urn:openproject-org:api:v3:storages:Nextcloud' } } } });
      assert.equal(storage.status, 201, JSON.stringify(storage.body));
      storageId = storage.body.id;
      opApplication = application(storage.body);
      await setUpCloud('create');
      assert.equal((await cloudState()).status, true);
      assert.deepEqual((await projectsSetup()).incomplete, []);
      const project = (await projects.api('POST', '/api/v3/projects', { auth: projects.adminAuth, body: { name: 'Apollo' } })).body.id;
      const added = await projects.api('POST', `/api/storages/${storageId}/project_storages`, { auth: projects.adminAuth, body: { projectIds: [project], projectFolderMode: 'automatic' } });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      // Alice works in Apollo: she sees its storage.
      const roles = Object.fromEntries((await projects.api('GET', '/api/v3/roles', { auth: projects.adminAuth })).body._embedded.elements.map((r: any) => [r.name, r.id]));
      const member = await projects.api('POST', '/api/v3/memberships', {
        auth: projects.adminAuth,
        body: { _links: { project: { href: `/api/v3/projects/${project}` }, principal: { href: `/api/v3/users/${alice.userId}` }, roles: [{ href: `/api/v3/roles/${roles.Member}` }] } },
      });
      assert.equal(member.status, 201, JSON.stringify(member.body));
      const now = Date.now();
      // No file-link API yet: the link a user would have made, written as the repository stores it.
      await projects.services.db
        .insertInto('file_links')
        .values({ storage_id: storageId, creator_id: alice.userId, container_id: null, container_type: null, origin_id: '42', origin_name: 'plan.md', origin_mime_type: 'text/markdown', origin_created_by_name: null, origin_last_modified_by_name: null, origin_created_at: null, origin_updated_at: null, created_at: now, updated_at: now })
        .execute();
    });
    after(async () => {
      await projects?.stop();
      await cloud?.stop();
    });

    it("Projects' Replace Nextcloud OAuth: Projects users must log in to Nextcloud again; nothing else is to redo", async () => {
      await connectToNextcloud();
      // Cloud makes a new client for Projects (the old one and its tokens go); the admin copies it over.
      const fresh = await cloudAdmin('POST', '/nc-oauth');
      assert.equal(await cloudGrantsOfAlice(), 0, "Cloud ended alice's tokens with the old client");
      // Until the new values are copied over, Projects knows its Nextcloud client is gone.
      assert.deepEqual((await projectsSetup()).incomplete, [SETUP_MESSAGES.oauth_client_invalid]);
      assert.deepEqual(await failingDiagnostics(), ['oauth_clients']);
      assert.match(await projectsOAuthAdvice(), /^Replace the Nextcloud OAuth values/);
      assert.equal((await cloudState()).openproject_client_check.status, 'valid');
      await saveNcClient(fresh);
      const counts = (await projects.api('GET', `/api/admin/storages/${storageId}/deletion`, { auth: projects.adminAuth })).body;
      assert.equal(counts.oauthClientTokens, 0);
      assert.equal(counts.remoteIdentities, 0);
      assert.equal(await nextcloudState(), 'Not connected');
      assert.deepEqual((await projectsSetup()).incomplete, []);
      assert.deepEqual(await failingDiagnostics(), []);
      assert.equal((await cloudState()).status, true);
      assert.deepEqual(await cloudFailures(), {});
      await assertLinksSurvive();
      await connectToNextcloud();
    });

    it("Projects' Replace OpenProject OAuth: Cloud users' OpenProject tokens stop working; Cloud needs the new values, then its users log in again", async () => {
      const token = await connectToOpenProject();
      const replaced = await projects.api('POST', `/api/admin/storages/${storageId}/oauth_application`, { auth: projects.adminAuth });
      assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
      const renewed = application(replaced.body);
      assert.notEqual(renewed.clientId, opApplication.clientId);
      assert.equal(await openProjectAnswers(token), 401, 'the old application took its tokens with it');
      assert.deepEqual((await projectsSetup()).incomplete, []);
      assert.deepEqual(await failingDiagnostics(), []);
      // Cloud finds out from Projects that its OpenProject OAuth values are stale: exactly those are to redo.
      const stale = await cloudState();
      assert.equal(stale.status, false);
      assert.equal(stale.openproject_client_id, opApplication.clientId);
      assert.deepEqual(stale.openproject_client_check, { status: 'invalid', ...OPENPROJECT_CLIENT_INVALID });
      assert.deepEqual(await cloudFailures(), { oauth_clients: OPENPROJECT_CLIENT_INVALID });
      // Cloud: the new values replace the old; the connections made with the old client are forgotten.
      opApplication = renewed;
      const answer = await cloudAdmin('PATCH', '/setup', { openproject_client_id: renewed.clientId, openproject_client_secret: renewed.clientSecret });
      assert.equal(answer.status, true);
      assert.equal((await cloudState()).status, true);
      assert.equal((await cloudState()).openproject_client_check.status, 'valid');
      assert.deepEqual(await cloudFailures(), {});
      assert.equal(await aliceHasOpenProjectToken(), false);
      assert.equal(await nextcloudState(), 'Connected', "the other direction's connections are untouched");
      await assertLinksSurvive();
      await connectToOpenProject();
    });

    it("Cloud's Reset: every connection in both directions ends; Cloud starts over, Projects needs new values for both clients and the app password", async () => {
      const token = await connectToOpenProject();
      assert.equal(await nextcloudState(), 'Connected');
      assert.ok((await cloudGrantsOfAlice()) > 0);

      const reset = await cloudAdmin('PUT', '/admin-config', RESET_VALUES);
      assert.equal(reset.status, false);
      assert.equal(reset.oPOAuthTokenRevokeStatus, 'success');
      assert.equal(await openProjectAnswers(token), 401, "alice's OpenProject token was revoked at Projects");
      assert.equal(await aliceHasOpenProjectToken(), false);
      assert.equal(await cloudGrantsOfAlice(), 0, "Projects' tokens for Cloud users ended with Cloud's client");
      const state = await cloudState();
      assert.equal(state.status, false);
      assert.equal(state.openproject_instance_url, '');
      assert.equal(state.openproject_client_id, '');
      assert.equal(state.nc_oauth_client, null);
      assert.equal(state.fresh_project_folder_setup, true);
      assert.equal(state.app_password_set, false);
      assert.deepEqual(state.project_folder_info, { status: true }, 'the OpenProject user, group and folder stay');
      assert.deepEqual(state.openproject_client_check, { status: 'unchecked' });
      // Projects finds out from Cloud what it can check: its Nextcloud OAuth client and the app password went with the reset.
      assert.deepEqual(await failingDiagnostics(), ['oauth_clients', 'app_password']);
      assert.match(await projectsOAuthAdvice(), /^Replace the Nextcloud OAuth values/);
      assert.deepEqual((await projectsSetup()).incomplete, [SETUP_MESSAGES.oauth_client_invalid, SETUP_MESSAGES.app_password_invalid]);
      await assertLinksSurvive();

      // Redo: Projects replaces its OpenProject OAuth values (the secret is shown only once), Cloud is set up again.
      const replaced = await projects.api('POST', `/api/admin/storages/${storageId}/oauth_application`, { auth: projects.adminAuth });
      opApplication = application(replaced.body);
      await setUpCloud('exists');
      assert.equal((await cloudState()).status, true);
      assert.deepEqual(await cloudFailures(), {});
      assert.deepEqual((await projectsSetup()).incomplete, []);
      assert.equal(await nextcloudState(), 'Not connected');
      assert.deepEqual(await failingDiagnostics(), []);
      await connectToNextcloud();
      await connectToOpenProject();
      await assertLinksSurvive();
    });
  });
}
