import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { assertSchema } from '../api/openapi.ts';
import { apiKeyAuth, startTestProjects, TEST_ADMIN_PASSWORD, type TestProjects } from '../testing.ts';

const run = promisify(execFile);

for (const dialect of testDialects()) {
  describe(`authentication on ${dialect}`, () => {
    let server: TestProjects;
    before(async () => {
      server = await startTestProjects(dialect);
    });
    after(() => server.stop());

    it('answers GET /api/v3 with the Root resource for an API key (Basic apikey:<key>)', async () => {
      const { status, body, headers } = await server.api('GET', '/api/v3', { auth: server.adminAuth });
      assert.equal(status, 200);
      assert.match(headers.get('content-type') ?? '', /^application\/hal\+json/);
      assert.equal(body._type, 'Root');
      assert.equal(body.instanceName, 'Tandem Projects');
      assert.equal(body._links.user.title, 'OpenProject Admin');
      await assertSchema('root_model', body);
    });

    it('answers the configuration resource and 404 NotFound for unknown API paths', async () => {
      const configuration = await server.api('GET', '/api/v3/configuration', { auth: server.adminAuth });
      assert.equal(configuration.body._type, 'Configuration');
      const missing = await server.api('GET', '/api/v3/not_existing', { auth: server.adminAuth });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:NotFound');
      await assertSchema('error_response', missing.body);
    });

    it('refuses anonymous, empty-Bearer and wrong credentials with an Unauthenticated error', async () => {
      for (const auth of [undefined, 'Bearer ', 'Bearer invalid', apiKeyAuth('nope'), `Basic ${Buffer.from('admin:x').toString('base64')}`]) {
        const { status, body, headers } = await server.api('GET', '/api/v3/', { auth });
        assert.equal(status, 401, `for ${auth}`);
        assert.match(headers.get('content-type') ?? '', /json/);
        assert.equal(body.errorIdentifier, 'urn:openproject-org:api:v3:errors:Unauthenticated');
        assert.equal(body.message, 'You need to be authenticated to access this resource.');
        assert.ok(headers.get('www-authenticate'));
        await assertSchema('error_response', body);
      }
    });

    it("answers the web UI's anonymous requests with the Session scheme, so browsers show no password dialog", async () => {
      const { status, headers } = await server.api('GET', '/api/session', { headers: { 'x-requested-with': 'XMLHttpRequest' } });
      assert.equal(status, 401);
      assert.equal(headers.get('www-authenticate'), 'Session realm="OpenProject API"');
    });

    it('takes an API key as Bearer token too, and answers /users/me as the Nextcloud app reads it', async () => {
      const key = server.adminAuth.replace(/^Basic /, '');
      const token = Buffer.from(key, 'base64').toString().slice('apikey:'.length);
      const { status, body } = await server.api('GET', '/api/v3/users/me', { auth: `Bearer ${token}` });
      assert.equal(status, 200);
      assert.equal(body.id, 1);
      assert.equal(`${body.firstName} ${body.lastName}`, 'OpenProject Admin');
      assert.equal(body.login, 'admin');
      assert.equal(body.admin, true);
      await assertSchema('user_model', body);
    });

    it('logs in with a session, requires the CSRF token on changes, and logs out', async () => {
      const login = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'ADMIN', password: TEST_ADMIN_PASSWORD }),
      });
      assert.equal(login.status, 200);
      const { csrfToken, user } = (await login.json()) as any;
      assert.equal(user.login, 'admin');
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      assert.equal((await server.api('GET', '/api/v3/users/me', { headers: { cookie } })).body.login, 'admin');
      const withoutToken = await server.api('POST', '/api/v3/projects', { headers: { cookie }, body: { name: 'CSRF victim' } });
      assert.equal(withoutToken.status, 403);
      const listed = await server.api('GET', '/api/v3/projects', { headers: { cookie } });
      assert.equal(listed.body.total, 0, 'the refused request created nothing');
      const withToken = await server.api('POST', '/api/v3/projects', { headers: { cookie, 'x-csrf-token': csrfToken }, body: { name: 'Session project' } });
      assert.equal(withToken.status, 201);
      assert.equal((await server.api('DELETE', '/api/session', { headers: { cookie } })).status, 204);
      assert.equal((await server.api('GET', '/api/session', { headers: { cookie } })).status, 401);
    });

    it('refuses a wrong password and a locked account at login', async () => {
      const wrong = await server.api('POST', '/api/session', { body: { login: 'admin', password: 'wrong-password' } });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.message, 'Invalid user or password');
      const { user } = await server.createUser('locky');
      await server.services.users.lock(user.id);
      const locked = await server.api('POST', '/api/session', { body: { login: 'locky', password: 'locky-password' } });
      assert.equal(locked.status, 401);
    });

    it('creates API keys in My account, shows each once, and revokes them', async () => {
      const { auth } = await server.createUser('keeper');
      const created = await server.api('POST', '/api/my/api_keys', { auth, body: { name: 'laptop' } });
      assert.equal(created.status, 201);
      assert.equal(created.body.name, 'laptop');
      assert.match(created.body.token, /^[A-Za-z0-9]{64}$/);
      const viaNewKey = await server.api('GET', '/api/v3/users/me', { auth: apiKeyAuth(created.body.token) });
      assert.equal(viaNewKey.body.login, 'keeper');
      const listed = await server.api('GET', '/api/my/api_keys', { auth });
      assert.equal(listed.body.apiKeys.length, 2);
      assert.ok(listed.body.apiKeys.every((k: any) => !('token' in k)), 'keys are never shown again');
      const stored = await server.services.db.selectFrom('api_keys').select('token_hash').execute();
      assert.ok(stored.every((k) => k.token_hash !== created.body.token), 'only hashes are stored');
      assert.equal((await server.api('DELETE', `/api/my/api_keys/${created.body.id}`, { auth })).status, 204);
      assert.equal((await server.api('GET', '/api/v3/users/me', { auth: apiKeyAuth(created.body.token) })).status, 401);
      const other = await server.createUser('stranger');
      const foreign = (await server.api('GET', '/api/my/api_keys', { auth: other.auth })).body.apiKeys[0];
      assert.equal((await server.api('DELETE', `/api/my/api_keys/${foreign.id}`, { auth })).status, 404, "another user's key");
    });

    it('refuses the API key of a locked user', async () => {
      const { user, auth } = await server.createUser('lockedkey');
      assert.equal((await server.api('GET', '/api/v3/users/me', { auth })).status, 200);
      await server.api('POST', `/api/v3/users/${user.id}/lock`, { auth: server.adminAuth });
      assert.equal((await server.api('GET', '/api/v3/users/me', { auth })).status, 401);
    });

    it('prints a working API key with `projects-cli apikey:create <login>`', async () => {
      const env = {
        ...process.env,
        DATA_DIR: server.database.dataDir,
        ...(server.database.url ? { PROJECTS_DATABASE_URL: server.database.url } : {}),
      };
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'apps/projects/src/cli/main.ts', 'apikey:create', 'admin'], { env });
      const key = stdout.trim();
      assert.match(key, /^[A-Za-z0-9]{64}$/);
      const me = await server.api('GET', '/api/v3/users/me', { auth: apiKeyAuth(key) });
      assert.equal(me.body.login, 'admin');
      await assert.rejects(run(process.execPath, ['--import', 'tsx', 'apps/projects/src/cli/main.ts', 'apikey:create', 'nobody'], { env }), /No user with login "nobody"/);
    });
  });
}
