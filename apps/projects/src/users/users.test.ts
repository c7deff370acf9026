import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { assertSchema } from '../api/openapi.ts';
import { startTestProjects, type TestProjects } from '../testing.ts';

const newUser = (login: string, extra: Record<string, unknown> = {}) => ({
  login,
  firstName: 'New',
  lastName: 'Person',
  email: `${login}@example.org`,
  password: 'a-long-password',
  ...extra,
});

for (const dialect of testDialects()) {
  describe(`API v3 users on ${dialect}`, () => {
    let server: TestProjects;
    before(async () => {
      server = await startTestProjects(dialect);
    });
    after(() => server.stop());

    it('lets an admin create a user who can then log in', async () => {
      const created = await server.api('POST', '/api/v3/users', { auth: server.adminAuth, body: newUser('nina') });
      assert.equal(created.status, 201);
      assert.equal(created.body.login, 'nina');
      assert.equal(created.body.name, 'New Person');
      assert.equal(created.body.status, 'active');
      assert.equal(created.body.admin, false);
      await assertSchema('user_model', created.body);
      const login = await server.api('POST', '/api/session', { body: { login: 'nina', password: 'a-long-password' } });
      assert.equal(login.status, 200);
    });

    it('refuses invalid users with OpenProject constraint errors and creates nothing', async () => {
      const before = (await server.api('GET', '/api/v3/users', { auth: server.adminAuth })).body.total;
      const one = await server.api('POST', '/api/v3/users', { auth: server.adminAuth, body: newUser('nina') });
      assert.equal(one.status, 422);
      assert.equal(one.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:PropertyConstraintViolation');
      assert.equal(one.body.message, 'Login has already been taken.');
      assert.equal(one.body._embedded.details.attribute, 'login');
      await assertSchema('error_response', one.body);
      const many = await server.api('POST', '/api/v3/users', { auth: server.adminAuth, body: { login: '', email: 'bad', password: 'short' } });
      assert.equal(many.status, 422);
      assert.equal(many.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:MultipleErrors');
      const messages = many.body._embedded.errors.map((e: any) => e.message);
      assert.ok(messages.includes("Login can't be blank."));
      assert.ok(messages.includes('Email is invalid.'));
      assert.ok(messages.includes('Password is too short (minimum is 10 characters).'));
      const notJson = await server.api('POST', '/api/v3/users', { auth: server.adminAuth, body: '{"login":' });
      assert.equal(notJson.status, 400);
      assert.equal(notJson.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:InvalidRequestBody');
      const array = await server.api('POST', '/api/v3/users', { auth: server.adminAuth, body: [newUser('arr')] });
      assert.equal(array.status, 400);
      assert.equal(array.body.message, 'The request body was not a single JSON object.');
      const wrongType = await fetch(`${server.url}/api/v3/users`, {
        method: 'POST',
        headers: { authorization: server.adminAuth, 'content-type': 'text/xml' },
        body: '<user/>',
      });
      assert.equal(wrongType.status, 415);
      assert.equal(((await wrongType.json()) as any).errorIdentifier, 'urn:openproject-org:api:v3:errors:TypeNotSupported');
      assert.equal((await server.api('GET', '/api/v3/users', { auth: server.adminAuth })).body.total, before);
    });

    it('lists users for admins with filters, sorting and pagination', async () => {
      for (const login of ['pag1', 'pag2', 'pag3']) await server.createUser(login);
      const filters = JSON.stringify([{ login: { operator: '~', values: ['pag'] } }]);
      const page = await server.api('GET', `/api/v3/users?pageSize=2&offset=2&sortBy=${encodeURIComponent('[["login","desc"]]')}&filters=${encodeURIComponent(filters)}`, { auth: server.adminAuth });
      assert.equal(page.status, 200);
      assert.equal(page.body.total, 3);
      assert.equal(page.body.count, 1);
      assert.equal(page.body.pageSize, 2);
      assert.equal(page.body.offset, 2);
      assert.equal(page.body._embedded.elements[0].login, 'pag1');
      assert.ok(page.body._links.previousByOffset);
      assert.equal(page.body._links.nextByOffset, undefined);
      assert.match(page.body._links.self.href, /filters=/);
      const locked = await server.api('GET', `/api/v3/users?filters=${encodeURIComponent('[{"status":{"operator":"=","values":["locked"]}}]')}`, { auth: server.adminAuth });
      assert.equal(locked.body.total, 0);
      const bad = await server.api('GET', `/api/v3/users?filters=${encodeURIComponent('[{"status":{"operator":"=","values":["sleepy"]}}]')}`, { auth: server.adminAuth });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.message, 'Filters Status filter has invalid values.');
    });

    it('lets an admin update a user (names, email, password, admin flag)', async () => {
      const { user } = await server.createUser('editme');
      const updated = await server.api('PATCH', `/api/v3/users/${user.id}`, {
        auth: server.adminAuth,
        body: { firstName: 'Edited', email: 'edited@example.org', password: 'another-long-password', admin: true },
      });
      assert.equal(updated.status, 200);
      assert.equal(updated.body.name, 'Edited Tester');
      assert.equal(updated.body.email, 'edited@example.org');
      assert.equal(updated.body.admin, true);
      await assertSchema('user_model', updated.body);
      assert.equal((await server.api('POST', '/api/session', { body: { login: 'editme', password: 'another-long-password' } })).status, 200);
      const invalid = await server.api('PATCH', `/api/v3/users/${user.id}`, { auth: server.adminAuth, body: { email: 'nope', firstName: 7 } });
      assert.equal(invalid.status, 422);
      assert.equal((await server.api('GET', `/api/v3/users/${user.id}`, { auth: server.adminAuth })).body.email, 'edited@example.org');
      const { auth } = await server.createUser('notadmin');
      assert.equal((await server.api('PATCH', `/api/v3/users/${user.id}`, { auth, body: { firstName: 'Hacked' } })).status, 404);
      assert.equal((await server.api('GET', `/api/v3/users/${user.id}/avatar`, { auth: server.adminAuth })).status, 404);
      const demoted = await server.api('PATCH', `/api/v3/users/${user.id}`, { auth: server.adminAuth, body: { admin: false } });
      assert.equal(demoted.body.admin, false);
    });

    it('locks and unlocks users; a locked user cannot log in', async () => {
      const { user } = await server.createUser('lockme');
      const locked = await server.api('POST', `/api/v3/users/${user.id}/lock`, { auth: server.adminAuth });
      assert.equal(locked.status, 200);
      assert.equal(locked.body.status, 'locked');
      assert.ok(locked.body._links.unlock);
      assert.equal((await server.api('POST', '/api/session', { body: { login: 'lockme', password: 'lockme-password' } })).status, 401);
      const unlocked = await server.api('DELETE', `/api/v3/users/${user.id}/lock`, { auth: server.adminAuth });
      assert.equal(unlocked.body.status, 'active');
      assert.equal((await server.api('POST', '/api/session', { body: { login: 'lockme', password: 'lockme-password' } })).status, 200);
    });

    it('deletes users (202) and never the last administrator', async () => {
      const { user } = await server.createUser('goner');
      assert.equal((await server.api('DELETE', `/api/v3/users/${user.id}`, { auth: server.adminAuth })).status, 202);
      assert.equal((await server.api('GET', `/api/v3/users/${user.id}`, { auth: server.adminAuth })).status, 404);
      const last = await server.api('DELETE', '/api/v3/users/1', { auth: server.adminAuth });
      assert.equal(last.status, 422);
      assert.equal((await server.api('POST', '/api/v3/users/1/lock', { auth: server.adminAuth })).status, 422);
      assert.equal((await server.api('GET', '/api/v3/users/me', { auth: server.adminAuth })).body.status, 'active');
    });

    it('keeps user administration for admins: others get 403 or 404 and change nothing', async () => {
      const { user: other } = await server.createUser('someone');
      const { auth } = await server.createUser('plain');
      const list = await server.api('GET', '/api/v3/users', { auth });
      assert.equal(list.status, 403);
      assert.equal(list.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:MissingPermission');
      assert.equal(list.body.message, 'You are not authorized to access this resource.');
      assert.equal((await server.api('POST', '/api/v3/users', { auth, body: newUser('sneaky') })).status, 403);
      assert.equal((await server.api('GET', `/api/v3/users/${other.id}`, { auth })).status, 404, 'users sharing no project are invisible');
      assert.equal((await server.api('POST', `/api/v3/users/${other.id}/lock`, { auth })).status, 404);
      assert.equal((await server.api('GET', '/api/v3/users/999999', { auth: server.adminAuth })).status, 404);
      assert.equal((await server.api('GET', '/api/v3/users/abc', { auth: server.adminAuth })).status, 404);
      assert.equal((await server.services.users.get(other.id)).status, 'active');
      const self = await server.api('GET', '/api/v3/users/me', { auth });
      assert.equal(self.body.admin, undefined, 'only admins see the admin flag');
      assert.equal(self.body.login, 'plain');
    });
  });
}
