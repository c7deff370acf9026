import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestProjects, type TestProjects } from '../testing.ts';

const membershipBody = (projectId: number, userId: number, roleIds: number[]) => ({
  _links: {
    project: { href: `/api/v3/projects/${projectId}` },
    principal: { href: `/api/v3/users/${userId}` },
    roles: roleIds.map((id) => ({ href: `/api/v3/roles/${id}` })),
  },
});

for (const dialect of testDialects()) {
  describe(`API v3 memberships and roles on ${dialect}`, () => {
    let server: TestProjects;
    let roles: Record<string, number>;
    let alpha: number;
    let beta: number;
    let manager: { user: { id: number }; auth: string };
    let reader: { user: { id: number }; auth: string };
    let newcomer: { user: { id: number }; auth: string };

    before(async () => {
      server = await startTestProjects(dialect);
      const list = await server.api('GET', '/api/v3/roles', { auth: server.adminAuth });
      roles = Object.fromEntries(list.body._embedded.elements.map((r: any) => [r.name, r.id]));
      alpha = (await server.api('POST', '/api/v3/projects', { auth: server.adminAuth, body: { name: 'Alpha' } })).body.id;
      beta = (await server.api('POST', '/api/v3/projects', { auth: server.adminAuth, body: { name: 'Beta' } })).body.id;
      manager = await server.createUser('manager');
      reader = await server.createUser('reader');
      newcomer = await server.createUser('newcomer');
    });
    after(() => server.stop());

    it('lists the default roles: Project admin, Member, Reader', async () => {
      const list = await server.api('GET', '/api/v3/roles', { auth: reader.auth });
      assert.equal(list.body._type, 'Collection');
      assert.deepEqual(list.body._embedded.elements.map((r: any) => r.name), ['Project admin', 'Member', 'Reader']);
      const one = await server.api('GET', `/api/v3/roles/${roles.Reader}`, { auth: reader.auth });
      assert.deepEqual(one.body, { _type: 'Role', id: roles.Reader, name: 'Reader', _links: { self: { href: `/api/v3/roles/${roles.Reader}`, title: 'Reader' } } });
      assert.equal((await server.api('GET', '/api/v3/roles/999', { auth: reader.auth })).status, 404);
    });

    it('creates memberships with roles, embedded principal and role links', async () => {
      const created = await server.api('POST', '/api/v3/memberships', { auth: server.adminAuth, body: membershipBody(alpha, manager.user.id, [roles['Project admin']!]) });
      assert.equal(created.status, 201);
      assert.equal(created.body._type, 'Membership');
      assert.equal(created.body._links.project.href, `/api/v3/projects/${alpha}`);
      assert.equal(created.body._links.principal.title, 'Manager Tester');
      assert.deepEqual(created.body._links.roles, [{ href: `/api/v3/roles/${roles['Project admin']}`, title: 'Project admin' }]);
      assert.equal(created.body._embedded.principal._type, 'User');
      const readerMembership = await server.api('POST', '/api/v3/memberships', { auth: manager.auth, body: membershipBody(alpha, reader.user.id, [roles.Reader!]) });
      assert.equal(readerMembership.status, 201, 'a member with manage_members adds members');
    });

    it('refuses bad memberships with OpenProject errors and changes nothing', async () => {
      const count = async () => (await server.api('GET', '/api/v3/memberships', { auth: server.adminAuth })).body.total;
      const before = await count();
      const cases: [string, unknown, number, string][] = [
        ['admin', membershipBody(alpha, manager.user.id, [roles.Member!]), 422, 'User has already been taken.'],
        ['admin', membershipBody(alpha, newcomer.user.id, []), 422, 'Roles need to be assigned.'],
        ['admin', membershipBody(alpha, newcomer.user.id, [9999]), 422, 'Roles is invalid.'],
        ['admin', membershipBody(alpha, 9999, [roles.Member!]), 422, 'User is invalid.'],
        ['admin', membershipBody(9999, newcomer.user.id, [roles.Member!]), 422, 'Project is invalid.'],
        ['manager', membershipBody(beta, newcomer.user.id, [roles.Member!]), 422, 'Project is invalid.'],
        ['reader', membershipBody(alpha, newcomer.user.id, [roles.Member!]), 403, 'You are not authorized to access this resource.'],
        ['admin', [], 400, 'The request body was not a single JSON object.'],
      ];
      for (const [who, body, status, message] of cases) {
        const auth = who === 'admin' ? server.adminAuth : who === 'manager' ? manager.auth : reader.auth;
        const response = await server.api('POST', '/api/v3/memberships', { auth, body });
        assert.equal(response.status, status, `${who} ${JSON.stringify(body)}`);
        assert.equal(response.body.message, message);
      }
      assert.equal(await count(), before);
    });

    it('shows memberships only of projects whose members the caller may see, with filters', async () => {
      await server.api('POST', '/api/v3/memberships', { auth: server.adminAuth, body: membershipBody(beta, newcomer.user.id, [roles.Member!]) });
      const filter = (name: string, values: string[]) => `filters=${encodeURIComponent(JSON.stringify([{ [name]: { operator: '=', values } }]))}`;
      const forReader = await server.api('GET', '/api/v3/memberships', { auth: reader.auth });
      assert.equal(forReader.status, 200);
      assert.deepEqual(new Set(forReader.body._embedded.elements.map((m: any) => m._links.project.href)), new Set([`/api/v3/projects/${alpha}`]));
      assert.equal(forReader.body._embedded.elements[0]._links.updateImmediately, undefined, 'a Reader cannot manage');
      const betaForReader = await server.api('GET', `/api/v3/memberships?${filter('project', [String(beta)])}`, { auth: reader.auth });
      assert.equal(betaForReader.body.total, 0);
      const mine = await server.api('GET', `/api/v3/memberships?${filter('principal', ['me'])}`, { auth: newcomer.auth });
      assert.equal(mine.body.total, 1);
      const readers = await server.api('GET', `/api/v3/memberships?${filter('role', [String(roles.Reader)])}`, { auth: server.adminAuth });
      assert.deepEqual(readers.body._embedded.elements.map((m: any) => m._links.principal.title), ['Reader Tester']);
      const bad = await server.api('GET', `/api/v3/memberships?${filter('colour', ['red'])}`, { auth: server.adminAuth });
      assert.equal(bad.status, 400);
      const betaMembership = (await server.api('GET', `/api/v3/memberships?${filter('project', [String(beta)])}`, { auth: server.adminAuth })).body._embedded.elements[0];
      assert.equal((await server.api('GET', `/api/v3/memberships/${betaMembership.id}`, { auth: reader.auth })).status, 404);
      assert.equal((await server.api('DELETE', `/api/v3/memberships/${betaMembership.id}`, { auth: manager.auth })).status, 404, "another project's membership");
      assert.equal((await server.api('GET', `/api/v3/memberships/${betaMembership.id}`, { auth: server.adminAuth })).status, 200);
      // The reader sees the users of Alpha, not those of Beta only.
      assert.equal((await server.api('GET', `/api/v3/users/${manager.user.id}`, { auth: reader.auth })).status, 200);
      assert.equal((await server.api('GET', `/api/v3/users/${newcomer.user.id}`, { auth: reader.auth })).status, 404);
    });

    it('lists principals: all for admins, for others themselves and the members they may see', async () => {
      const logins = async (auth: string, query = '') =>
        (await server.api('GET', `/api/v3/principals${query}`, { auth })).body._embedded.elements.map((u: any) => u.name).sort();
      assert.deepEqual(await logins(reader.auth), ['Manager Tester', 'Reader Tester']);
      const everyone = await logins(server.adminAuth);
      assert.ok(everyone.includes('Newcomer Tester') && everyone.includes('OpenProject Admin'));
      const betaMembers = `?filters=${encodeURIComponent(JSON.stringify([{ member: { operator: '=', values: [String(beta)] } }, { type: { operator: '=', values: ['User'] } }]))}`;
      assert.deepEqual(await logins(server.adminAuth, betaMembers), ['Newcomer Tester']);
      assert.deepEqual(await logins(reader.auth, betaMembers), [], "members of another project's stay hidden");
      const groups = `?filters=${encodeURIComponent(JSON.stringify([{ type: { operator: '=', values: ['Group'] } }]))}`;
      assert.deepEqual(await logins(server.adminAuth, groups), []);
    });

    it('changes the roles of a membership and removes it; permissions follow at once', async () => {
      const filter = encodeURIComponent(JSON.stringify([{ principal: { operator: '=', values: [String(reader.user.id)] } }]));
      const membership = (await server.api('GET', `/api/v3/memberships?filters=${filter}`, { auth: server.adminAuth })).body._embedded.elements[0];
      assert.equal((await server.api('PATCH', `/api/v3/projects/${alpha}`, { auth: reader.auth, body: { name: 'Alpha!' } })).status, 403);
      assert.equal((await server.api('PATCH', `/api/v3/memberships/${membership.id}`, { auth: reader.auth, body: { _links: { roles: [{ href: `/api/v3/roles/${roles['Project admin']}` }] } } })).status, 403);
      const noRoles = await server.api('PATCH', `/api/v3/memberships/${membership.id}`, { auth: manager.auth, body: { _links: { roles: [] } } });
      assert.equal(noRoles.status, 422);
      const promoted = await server.api('PATCH', `/api/v3/memberships/${membership.id}`, { auth: manager.auth, body: { _links: { roles: [{ href: `/api/v3/roles/${roles['Project admin']}` }] } } });
      assert.equal(promoted.status, 200);
      assert.deepEqual(promoted.body._links.roles.map((r: any) => r.title), ['Project admin']);
      assert.equal((await server.api('PATCH', `/api/v3/projects/${alpha}`, { auth: reader.auth, body: { name: 'Alpha!' } })).status, 200);
      assert.equal((await server.api('DELETE', `/api/v3/memberships/${membership.id}`, { auth: manager.auth })).status, 204);
      assert.equal((await server.api('GET', `/api/v3/projects/${alpha}`, { auth: reader.auth })).status, 404);
    });

    it('lets admins edit roles and their permissions (dependencies added), for everyone at once', async () => {
      assert.equal((await server.api('GET', '/api/admin/roles', { auth: reader.auth })).status, 403);
      const catalogue = await server.api('GET', '/api/admin/permissions', { auth: server.adminAuth });
      const names = catalogue.body.permissions.map((p: any) => p.name);
      for (const p of ['view_file_links', 'manage_file_links', 'manage_files_in_project', 'read_files', 'write_files', 'create_files', 'delete_files', 'share_files', 'view_work_packages', 'add_work_packages', 'edit_work_packages', 'manage_members', 'view_members', 'edit_project', 'select_project_modules']) {
        assert.ok(names.includes(p), p);
      }
      const created = await server.api('POST', '/api/admin/roles', { auth: server.adminAuth, body: { name: 'Linker', permissions: ['manage_file_links'] } });
      assert.equal(created.status, 201);
      assert.deepEqual(created.body.permissions, ['view_work_packages', 'view_file_links', 'manage_file_links']);
      assert.equal((await server.api('POST', '/api/admin/roles', { auth: server.adminAuth, body: { name: 'linker' } })).status, 422);
      assert.equal((await server.api('POST', '/api/admin/roles', { auth: server.adminAuth, body: { name: 'Bad', permissions: ['fly'] } })).status, 422);
      const target = await server.createUser('target');
      await server.api('POST', '/api/v3/memberships', { auth: server.adminAuth, body: membershipBody(alpha, target.user.id, [created.body.id]) });
      assert.equal(await server.services.permissions.allowed(target.user as any, 'edit_project', alpha), false);
      await server.api('PATCH', `/api/admin/roles/${created.body.id}`, { auth: server.adminAuth, body: { permissions: ['edit_project'] } });
      assert.equal(await server.services.permissions.allowed(target.user as any, 'edit_project', alpha), true);
      const inUse = await server.api('DELETE', `/api/admin/roles/${created.body.id}`, { auth: server.adminAuth });
      assert.equal(inUse.status, 422);
      const unused = await server.api('POST', '/api/admin/roles', { auth: server.adminAuth, body: { name: 'Spare' } });
      assert.equal((await server.api('DELETE', `/api/admin/roles/${unused.body.id}`, { auth: server.adminAuth })).status, 204);
    });
  });
}
