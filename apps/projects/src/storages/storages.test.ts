import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../../../cloud/src/testing.ts';
import { assertSchema } from '../api/openapi.ts';
import { startTestProjects, type TestProjects } from '../testing.ts';
import { DELETE_PROJECT_FOLDER_JOB, SETUP_MESSAGES } from './service.ts';
import { privateCa, startProxy } from './testing.ts';

const APP_PASSWORD = 'OpenProject-app-password-1';
const NC_CLIENT_SECRET = 'nextcloud-client-secret-0123456789';

for (const dialect of testDialects()) {
  describe(`File storages administration on ${dialect}`, () => {
    let server: TestProjects;
    let cloud: TestCloud;
    let ca: ReturnType<typeof privateCa>;
    let bundle: string;
    const closers: (() => Promise<void>)[] = [];

    before(async () => {
      ca = privateCa();
      bundle = path.join(ca.dir, 'bundle.pem');
      cloud = await startTestCloud(dialect);
      await cloud.services.settings.setAppEnabled('integration_openproject', true);
      await cloud.createUser('OpenProject', APP_PASSWORD);
      server = await startTestProjects(dialect, { PROJECTS_CA_BUNDLE: bundle });
    });
    after(async () => {
      for (const close of closers) await close();
      await server?.stop();
      await cloud?.stop();
      fs.rmSync(ca.dir, { recursive: true, force: true });
    });

    const create = (name: string, origin: string, auth = server.adminAuth) =>
      server.api('POST', '/api/v3/storages', { auth, body: { name, _links: { origin: { href: origin }, type: { href: 'urn:openproject-org:api:v3:storages:Nextcloud' } } } });
    /** A distinct host in front of the same Cloud (storage hosts are unique). */
    const freshHost = async () => {
      const proxy = await startProxy(cloud.url);
      closers.push(proxy.close);
      return proxy.url;
    };
    const storageCount = async () => (await server.api('GET', '/api/v3/storages', { auth: server.adminAuth })).body.total;
    const errorMessages = (body: any): string[] => (body._embedded?.errors ? body._embedded.errors.map((e: any) => e.message) : [body.message]);

    /** A storage through the whole wizard: host, OpenProject OAuth app, Nextcloud OAuth client, managed folders. */
    async function completeStorage(name: string, host: string) {
      const created = await create(name, host);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id;
      assert.equal((await server.api('POST', `/api/v3/storages/${id}/oauth_client_credentials`, { auth: server.adminAuth, body: { clientId: `nc-${name}`, clientSecret: NC_CLIENT_SECRET } })).status, 201);
      const patched = await server.api('PATCH', `/api/v3/storages/${id}`, { auth: server.adminAuth, body: { applicationPassword: APP_PASSWORD } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      return id as number;
    }

    it('refuses bad input with OpenProject errors and creates nothing', async () => {
      const blank = await create('', 'not a url');
      assert.equal(blank.status, 422);
      assert.equal(blank.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:MultipleErrors');
      assert.deepEqual(errorMessages(blank.body), ["Name can't be blank.", 'Host is not a valid URL.']);
      const unreachable = await create('Nowhere', 'http://127.0.0.1:1');
      assert.equal(unreachable.status, 422);
      assert.equal(unreachable.body.message, 'Host can not be connected to.');
      assert.equal(unreachable.body._embedded.details.attribute, 'host');
      const member = await server.createUser('storage-outsider');
      assert.equal((await create('Mine', cloud.url, member.auth)).status, 403);
      assert.equal(await storageCount(), 0);
    });

    it('says "Host is not fully set up" when a proxy strips the Authorization header, and when the app is off that the host cannot be connected to', async () => {
      const stripping = await startProxy(cloud.url, { stripAuthorization: true });
      closers.push(stripping.close);
      const notSetUp = await create('Stripped', stripping.url);
      assert.equal(notSetUp.status, 422);
      assert.match(notSetUp.body.message, /^Host is not fully set up\. The Nextcloud instance does not receive the "Authorization" header/);
      await cloud.services.settings.setAppEnabled('integration_openproject', false);
      try {
        assert.equal((await create('Disabled app', cloud.url)).body.message, 'Host can not be connected to.');
      } finally {
        await cloud.services.settings.setAppEnabled('integration_openproject', true);
      }
      assert.equal(await storageCount(), 0);
    });

    it('says "certificate verify failed" for a host with an untrusted certificate, and connects once its CA is in the bundle', async () => {
      const tls = await startProxy(cloud.url, { tls: { key: ca.key, cert: ca.cert } });
      closers.push(tls.close);
      const untrusted = await create('TLS cloud', tls.url);
      assert.equal(untrusted.status, 422);
      assert.match(untrusted.body.message, /^Host can not be connected to\. certificate verify failed/);
      fs.writeFileSync(bundle, ca.ca);
      const trusted = await create('TLS cloud', tls.url);
      assert.equal(trusted.status, 201, JSON.stringify(trusted.body));
      assert.equal(trusted.body._links.origin.href, tls.url.replace(/\/$/, ''));
      assert.equal((await server.api('DELETE', `/api/v3/storages/${trusted.body.id}`, { auth: server.adminAuth })).status, 204);
    });

    it('runs the wizard: OpenProject OAuth application shown once and stored hashed, Nextcloud client stored encrypted, app password checked against Cloud', async () => {
      const created = await create('Nextcloud', cloud.url);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await assertSchema('storage_read_model', created.body);
      const id = created.body.id;
      const application = created.body._embedded.oauthApplication;
      assert.equal(application.name, 'Nextcloud (Nextcloud)');
      assert.equal(application._links.redirectUri[0].href, `${cloud.url}/index.php/apps/integration_openproject/oauth-redirect`);
      assert.ok(application.clientSecret.length >= 32, 'the secret is shown in the creating answer');
      assert.equal(created.body.configured, false);
      const again = await server.api('GET', `/api/v3/storages/${id}`, { auth: server.adminAuth });
      assert.equal(again.body._embedded.oauthApplication.clientSecret, undefined, 'never again');
      const stored = await server.services.db.selectFrom('oauth_applications').selectAll().where('uid', '=', application.clientId).executeTakeFirstOrThrow();
      assert.ok(stored.secret_hash && !stored.secret_hash.includes(application.clientSecret));

      const dup = await create('NEXTCLOUD', cloud.url);
      assert.deepEqual(errorMessages(dup.body), ['Name has already been taken.', 'Host has already been taken.']);

      let setup = await server.api('GET', `/api/admin/storages/${id}/setup`, { auth: server.adminAuth });
      assert.deepEqual(setup.body.incomplete, [SETUP_MESSAGES.oauth_client, SETUP_MESSAGES.managed_folders]);

      const blank = await server.api('POST', `/api/v3/storages/${id}/oauth_client_credentials`, { auth: server.adminAuth, body: { clientId: '', clientSecret: ' ' } });
      assert.deepEqual(errorMessages(blank.body), ["Client ID can't be blank.", "Client secret can't be blank."]);
      const client = await server.api('POST', `/api/v3/storages/${id}/oauth_client_credentials`, { auth: server.adminAuth, body: { clientId: 'nc-client', clientSecret: NC_CLIENT_SECRET } });
      assert.equal(client.status, 201);
      await assertSchema('oauth_client_credentials_read_model', client.body);
      assert.equal(client.body.confidential, true);
      assert.equal(client.body.clientSecret, undefined);
      const row = await server.services.db.selectFrom('oauth_clients').selectAll().executeTakeFirstOrThrow();
      assert.ok(!row.client_secret_sealed!.includes(NC_CLIENT_SECRET));
      assert.equal(server.services.storages.clientSecret(row), NC_CLIENT_SECRET);

      setup = await server.api('GET', `/api/admin/storages/${id}/setup`, { auth: server.adminAuth });
      assert.equal(setup.body.configured, true, 'managed folders are not part of "configured"');
      // Cloud does not know that client (nor, below, that secret): the page says to replace the values.
      assert.deepEqual(setup.body.incomplete, [SETUP_MESSAGES.managed_folders, SETUP_MESSAGES.oauth_client_invalid]);
      const real = await cloud.services.oauth.createClient('OpenProject client', 'https://projects.example/oauth_clients/x/callback');
      const saveClient = async (clientSecret: string) =>
        assert.equal((await server.api('POST', `/api/v3/storages/${id}/oauth_client_credentials`, { auth: server.adminAuth, body: { clientId: real.clientId, clientSecret } })).status, 201);
      await saveClient('not-the-secret');
      setup = await server.api('GET', `/api/admin/storages/${id}/setup`, { auth: server.adminAuth });
      assert.deepEqual(setup.body.incomplete, [SETUP_MESSAGES.managed_folders, SETUP_MESSAGES.oauth_client_invalid]);
      await saveClient(real.clientSecret);
      setup = await server.api('GET', `/api/admin/storages/${id}/setup`, { auth: server.adminAuth });
      assert.deepEqual(setup.body.incomplete, [SETUP_MESSAGES.managed_folders]);

      const wrong = await server.api('PATCH', `/api/v3/storages/${id}`, { auth: server.adminAuth, body: { applicationPassword: 'wrong-password' } });
      assert.equal(wrong.status, 422);
      assert.equal(wrong.body.message, 'Application password is not valid.');
      const right = await server.api('PATCH', `/api/v3/storages/${id}`, { auth: server.adminAuth, body: { applicationPassword: APP_PASSWORD } });
      assert.equal(right.status, 200);
      assert.equal(right.body.hasApplicationPassword, true);
      const storage = await server.services.db.selectFrom('storages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.ok(!storage.password_sealed!.includes(APP_PASSWORD) && !storage.provider_fields.includes(APP_PASSWORD));
      setup = await server.api('GET', `/api/admin/storages/${id}/setup`, { auth: server.adminAuth });
      assert.deepEqual(setup.body.incomplete, []);

      // "No" to managed folders is a completed step too.
      const no = await server.api('PATCH', `/api/v3/storages/${id}`, { auth: server.adminAuth, body: { applicationPassword: '' } });
      assert.equal(no.body.hasApplicationPassword, false);
      assert.deepEqual((await server.api('GET', `/api/admin/storages/${id}/setup`, { auth: server.adminAuth })).body.automaticallyManaged, false);
      assert.equal((await server.api('DELETE', `/api/v3/storages/${id}`, { auth: server.adminAuth })).status, 204);
    });

    it('replaces either OAuth client: users must log in again', async () => {
      const id = await completeStorage('Replace me', await freshHost());
      const user = await server.createUser('nc-user');
      const client = await server.services.db.selectFrom('oauth_clients').selectAll().where('integration_id', '=', id).executeTakeFirstOrThrow();
      await server.services.storages.repository.saveUserToken({ clientRowId: client.id, storageId: id, userId: user.user.id, accessSealed: 'x', refreshSealed: null, originUserId: 'nc-user', now: Date.now() });
      assert.equal((await server.api('GET', `/api/admin/storages/${id}/deletion`, { auth: server.adminAuth })).body.oauthClientTokens, 1);

      const replaced = await server.api('POST', `/api/v3/storages/${id}/oauth_client_credentials`, { auth: server.adminAuth, body: { clientId: 'nc-client-2', clientSecret: 'second-secret' } });
      assert.equal(replaced.body.clientId, 'nc-client-2');
      const counts = (await server.api('GET', `/api/admin/storages/${id}/deletion`, { auth: server.adminAuth })).body;
      assert.equal(counts.oauthClientTokens, 0);
      assert.equal(counts.remoteIdentities, 0);

      const before = (await server.api('GET', `/api/v3/storages/${id}`, { auth: server.adminAuth })).body._embedded.oauthApplication;
      const renewed = await server.api('POST', `/api/admin/storages/${id}/oauth_application`, { auth: server.adminAuth });
      const after = renewed.body._embedded.oauthApplication;
      assert.notEqual(after.clientId, before.clientId);
      assert.ok(after.clientSecret);
      assert.equal(await server.services.oauth.findByClientId(before.clientId), undefined, 'the old application and its grants are gone');
      assert.equal((await server.api('DELETE', `/api/v3/storages/${id}`, { auth: server.adminAuth })).status, 204);
    });

    it('connects a user to Nextcloud with the OAuth client flow: the token and the Nextcloud user id are stored; replacing the client disconnects', async () => {
      // Cloud's OAuth client for Projects, with the redirect the integration app registers.
      const nc = await cloud.services.oauth.createClient('OpenProject', 'https://pending.example/');
      await cloud.services.db.updateTable('oauth_clients').set({ redirect_uri: `${server.url}/oauth_clients/${nc.clientId}/callback` }).where('id', '=', nc.id).execute();
      const created = await create('Connected', await freshHost());
      const id = created.body.id;
      await server.api('POST', `/api/v3/storages/${id}/oauth_client_credentials`, { auth: server.adminAuth, body: { clientId: nc.clientId, clientSecret: nc.clientSecret } });
      const state = async () => (await server.api('GET', `/api/v3/storages/${id}`, { auth: server.adminAuth })).body._links.authorizationState.href;
      assert.equal(await state(), 'urn:openproject-org:api:v3:storages:authorization:NotConnected');

      const destination = `/admin/settings/storages/${id}`;
      const ensure = `${server.url}/oauth_clients/${nc.clientId}/ensure_connection?storage_id=${id}&destination_url=${encodeURIComponent(destination)}`;
      const start = await fetch(ensure, { headers: { authorization: server.adminAuth }, redirect: 'manual' });
      assert.equal(start.status, 302);
      const authorize = new URL(start.headers.get('location')!);
      assert.equal(authorize.pathname, '/index.php/apps/oauth2/authorize');
      assert.equal(authorize.searchParams.get('redirect_uri'), `${server.url}/oauth_clients/${nc.clientId}/callback`);
      const stateCookie = start.headers.get('set-cookie')!.split(';')[0]!;
      assert.equal(stateCookie.split('=')[0], `oauth_state_${authorize.searchParams.get('state')}`);

      // Alice consents in Cloud.
      await cloud.createUser('alice');
      const alice = await cloud.login('alice');
      const consent = await fetch(authorize, { headers: { cookie: alice.cookie } });
      const html = await consent.text();
      const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      const action = new URL(unescape(/<form method="post" action="([^"]+)"/.exec(html)![1]!), authorize);
      const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)]));
      const granted = await fetch(action, {
        method: 'POST',
        headers: { cookie: alice.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, decision: 'grant' }),
        redirect: 'manual',
      });
      const callback = granted.headers.get('location')!;
      assert.ok(callback.startsWith(`${server.url}/oauth_clients/${nc.clientId}/callback?`), callback);

      const back = await fetch(callback, { headers: { authorization: server.adminAuth, cookie: stateCookie }, redirect: 'manual' });
      assert.equal(back.headers.get('location'), destination);
      const identity = await server.services.db.selectFrom('remote_identities').selectAll().where('integration_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(identity.origin_user_id, 'alice');
      assert.equal(await state(), 'urn:openproject-org:api:v3:storages:authorization:Connected');
      const again = await fetch(ensure, { headers: { authorization: server.adminAuth }, redirect: 'manual' });
      assert.equal(again.headers.get('location'), destination, 'connected: straight to the destination');

      // A callback without its state cookie changes nothing and says why.
      const stale = await fetch(callback, { headers: { authorization: server.adminAuth }, redirect: 'manual' });
      assert.match(stale.headers.get('location')!, /oauth_error=OAuth%20state%20not%20present/);

      await server.api('POST', `/api/v3/storages/${id}/oauth_client_credentials`, { auth: server.adminAuth, body: { clientId: nc.clientId, clientSecret: nc.clientSecret } });
      assert.equal(await state(), 'urn:openproject-org:api:v3:storages:authorization:NotConnected', 'replaced: log in again');
      assert.equal((await server.api('DELETE', `/api/v3/storages/${id}`, { auth: server.adminAuth })).status, 204);
    });

    it('enables a storage in projects (several, with sub-projects, each folder mode), edits and removes; project admins for their project only', async () => {
      const incomplete = await create('Half done', await freshHost());
      assert.equal(incomplete.status, 201, JSON.stringify(incomplete.body));
      const project = async (name: string, parent?: number) =>
        (await server.api('POST', '/api/v3/projects', { auth: server.adminAuth, body: { name, ...(parent ? { _links: { parent: { href: `/api/v3/projects/${parent}` } } } : {}) } })).body.id as number;
      const parent = await project('Storage parent');
      const child = await project('Storage child', parent);
      const other = await project('Storage other');
      const refused = await server.api('POST', `/api/storages/${incomplete.body.id}/project_storages`, { auth: server.adminAuth, body: { projectIds: [parent], projectFolderMode: 'inactive' } });
      assert.equal(refused.body.message, SETUP_MESSAGES.not_configured_for_projects);

      const enabledHost = await freshHost();
      const id = await completeStorage('Enabled', enabledHost);
      const add = (body: unknown, auth = server.adminAuth) => server.api('POST', `/api/storages/${id}/project_storages`, { auth, body });
      assert.equal((await add({ projectIds: [], projectFolderMode: 'inactive' })).body.message, 'Please select a project.');
      assert.equal((await add({ projectIds: [other], projectFolderMode: 'manual' })).body.message, 'Please select a folder.');
      const added = await add({ projectIds: [parent], includeSubProjects: true, projectFolderMode: 'automatic' });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.deepEqual(added.body._embedded.elements.map((e: any) => e._links.project.href).sort(), [`/api/v3/projects/${parent}`, `/api/v3/projects/${child}`].sort());
      assert.equal((await add({ projectIds: [parent], includeSubProjects: true, projectFolderMode: 'automatic' })).body.total, 0, 'already linked projects are skipped');

      const list = await server.api('GET', `/api/v3/project_storages?filters=${encodeURIComponent(JSON.stringify([{ storageId: { operator: '=', values: [String(id)] } }]))}`, { auth: server.adminAuth });
      assert.equal(list.body.total, 2);
      const parentLink = list.body._embedded.elements.find((e: any) => e._links.project.href === `/api/v3/projects/${parent}`);
      const edited = await server.api('PATCH', `/api/project_storages/${parentLink.id}`, { auth: server.adminAuth, body: { projectFolderMode: 'manual', projectFolderId: '4242' } });
      assert.equal(edited.body.projectFolderMode, 'manual');
      assert.equal(edited.body._links.projectFolder.href, `/api/v3/storages/${id}/files/4242`);
      await assertSchema('project_storage_model', edited.body);
      const byUrl = await server.api('GET', `/api/v3/project_storages?filters=${encodeURIComponent(JSON.stringify([{ storageUrl: { operator: '=', values: [enabledHost.replace(/\/$/, '')] } }]))}`, { auth: server.adminAuth });
      assert.equal(byUrl.body.total, 2);

      // Projects' filters and link.
      const filtered = async (filter: Record<string, unknown>) =>
        (await server.api('GET', `/api/v3/projects?filters=${encodeURIComponent(JSON.stringify([filter]))}`, { auth: server.adminAuth })).body._embedded.elements.map((p: any) => p.id).sort();
      assert.deepEqual(await filtered({ storages: { operator: '=', values: [String(id)] } }), [parent, child].sort());
      assert.deepEqual(await filtered({ storage_url: { operator: '=', values: [encodeURIComponent(enabledHost)] } }), [parent, child].sort());
      const parentResource = (await server.api('GET', `/api/v3/projects/${parent}`, { auth: server.adminAuth })).body;
      assert.match(decodeURIComponent(parentResource._links.projectStorages.href), new RegExp(`"projectId":\\{"operator":"=","values":\\["${parent}"\\]`));

      // A project admin of `other` manages only that project.
      const lead = await server.createUser('storage-lead');
      const roles = Object.fromEntries((await server.api('GET', '/api/v3/roles', { auth: server.adminAuth })).body._embedded.elements.map((r: any) => [r.name, r.id]));
      await server.api('POST', '/api/v3/memberships', {
        auth: server.adminAuth,
        body: { _links: { project: { href: `/api/v3/projects/${other}` }, principal: { href: `/api/v3/users/${lead.user.id}` }, roles: [{ href: `/api/v3/roles/${roles['Project admin']}` }] } },
      });
      const own = await add({ projectIds: [other], projectFolderMode: 'inactive' }, lead.auth);
      assert.equal(own.status, 201, JSON.stringify(own.body));
      await assertSchema('project_storage_collection_model', own.body);
      assert.equal((await add({ projectIds: [parent], projectFolderMode: 'inactive' }, lead.auth)).status, 404);
      assert.equal((await server.api('DELETE', `/api/project_storages/${parentLink.id}`, { auth: lead.auth })).status, 404);
      const leadList = await server.api('GET', '/api/v3/project_storages', { auth: lead.auth });
      assert.deepEqual(leadList.body._embedded.elements.map((e: any) => e.id), [own.body._embedded.elements[0].id]);
      assert.equal((await server.api('DELETE', `/api/project_storages/${own.body._embedded.elements[0].id}`, { auth: lead.auth })).status, 204);
      assert.equal((await server.api('GET', `/api/v3/project_storages/${parentLink.id}`, { auth: server.adminAuth })).status, 200, 'other projects keep the storage');
    });

    it('deletes a storage after saying what will go: project storages, file links, tokens, identities, and the automatic project folders in Cloud', async () => {
      const id = await completeStorage('Doomed', await freshHost());
      const projectId = (await server.api('POST', '/api/v3/projects', { auth: server.adminAuth, body: { name: 'Doomed project' } })).body.id;
      await server.api('POST', `/api/storages/${id}/project_storages`, { auth: server.adminAuth, body: { projectIds: [projectId], projectFolderMode: 'automatic' } });
      const now = Date.now();
      await server.services.db.insertInto('file_links').values({ storage_id: id, creator_id: null, container_id: null, container_type: null, origin_id: '77', origin_name: 'a.txt', origin_mime_type: 'text/plain', origin_created_by_name: null, origin_last_modified_by_name: null, origin_created_at: null, origin_updated_at: null, created_at: now, updated_at: now }).execute();
      const user = await server.createUser('doomed-user');
      const client = await server.services.db.selectFrom('oauth_clients').selectAll().where('integration_id', '=', id).executeTakeFirstOrThrow();
      await server.services.storages.repository.saveUserToken({ clientRowId: client.id, storageId: id, userId: user.user.id, accessSealed: 'x', refreshSealed: null, originUserId: 'doomed', now });

      // The project folder exists in Cloud, as the (later) sync would have created it.
      const dav = (method: string, pathname: string) => fetch(`${cloud.url}/remote.php/dav/files/OpenProject/${pathname}`, { method, headers: { authorization: cloud.basic('OpenProject', APP_PASSWORD) } });
      await dav('MKCOL', 'OpenProject');
      const folder = `OpenProject/${encodeURIComponent(`Doomed project (${projectId})`)}`;
      assert.equal((await dav('MKCOL', folder)).status, 201);

      const counts = await server.api('GET', `/api/admin/storages/${id}/deletion`, { auth: server.adminAuth });
      assert.deepEqual(counts.body, { projectStorages: 1, automaticProjectFolders: 1, fileLinks: 1, oauthClientTokens: 1, remoteIdentities: 1 });
      assert.equal((await server.api('DELETE', `/api/v3/storages/${id}`, { auth: server.adminAuth })).status, 204);
      assert.equal((await server.api('GET', `/api/v3/storages/${id}`, { auth: server.adminAuth })).status, 404);
      const left = async (table: 'project_storages' | 'file_links', column: 'storage_id') => (await server.services.db.selectFrom(table).select('id').where(column, '=', id).execute()).length;
      assert.equal(await left('project_storages', 'storage_id'), 0);
      assert.equal(await left('file_links', 'storage_id'), 0);
      for (const table of ['oauth_clients', 'remote_identities'] as const) {
        assert.equal((await server.services.db.selectFrom(table).select('id').where('integration_id', '=', id).execute()).length, 0, table);
      }
      assert.equal((await server.services.db.selectFrom('oauth_client_tokens').select('id').where('oauth_client_id', '=', client.id).execute()).length, 0);

      const job = await server.services.db.selectFrom('jobs').selectAll().where('name', '=', DELETE_PROJECT_FOLDER_JOB).executeTakeFirstOrThrow();
      assert.ok(!job.payload.includes(APP_PASSWORD), 'the app password is sealed in the job');
      await server.services.jobs.handlers[DELETE_PROJECT_FOLDER_JOB]!(JSON.parse(job.payload), job as never);
      assert.equal((await dav('PROPFIND', folder)).status, 404);
    });
  });
}
