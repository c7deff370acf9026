import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { assertSchema } from '../api/openapi.ts';
import { startTestProjects, type TestProjects } from '../testing.ts';

const filtersParam = (filters: unknown) => `filters=${encodeURIComponent(JSON.stringify(filters))}`;

for (const dialect of testDialects()) {
  describe(`API v3 projects and permissions on ${dialect}`, () => {
    let server: TestProjects;
    let roles: Record<string, number>;
    let demo: any;
    let sub: any;
    let reader: { user: { id: number }; auth: string };
    let lead: { user: { id: number }; auth: string };
    let outsider: { user: { id: number }; auth: string };

    const addMember = async (projectId: number, userId: number, role: string) => {
      const response = await server.api('POST', '/api/v3/memberships', {
        auth: server.adminAuth,
        body: { _links: { project: { href: `/api/v3/projects/${projectId}` }, principal: { href: `/api/v3/users/${userId}` }, roles: [{ href: `/api/v3/roles/${roles[role]}` }] } },
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
    };

    before(async () => {
      server = await startTestProjects(dialect);
      const list = await server.api('GET', '/api/v3/roles', { auth: server.adminAuth });
      roles = Object.fromEntries(list.body._embedded.elements.map((r: any) => [r.name, r.id]));
      reader = await server.createUser('reader');
      lead = await server.createUser('lead');
      outsider = await server.createUser('outsider');
    });
    after(() => server.stop());

    it('creates a project (identifier from the name) and a sub-project with its parent link', async () => {
      const created = await server.api('POST', '/api/v3/projects', {
        auth: server.adminAuth,
        body: { name: 'Demo project', description: { raw: 'All about **demos**' }, public: false },
      });
      assert.equal(created.status, 201);
      demo = created.body;
      assert.equal(demo.identifier, 'demo-project');
      assert.equal(demo.description.raw, 'All about **demos**');
      assert.equal(demo.active, true);
      assert.equal(demo._links.parent.href, null);
      await assertSchema('project_model', demo);
      const child = await server.api('POST', '/api/v3/projects', {
        auth: server.adminAuth,
        body: { name: 'Demo sub', identifier: 'demo-sub', _links: { parent: { href: `/api/v3/projects/${demo.id}` } } },
      });
      assert.equal(child.status, 201);
      sub = child.body;
      assert.deepEqual(sub._links.parent, { href: `/api/v3/projects/${demo.id}`, title: 'Demo project' });
      assert.deepEqual(sub._links.ancestors.map((a: any) => a.href), [`/api/v3/projects/${demo.id}`]);
      await assertSchema('project_model', sub);
      const byIdentifier = await server.api('GET', '/api/v3/projects/demo-sub', { auth: server.adminAuth });
      assert.equal(byIdentifier.body.id, sub.id);
      await addMember(demo.id, reader.user.id, 'Reader');
      await addMember(demo.id, lead.user.id, 'Project admin');
    });

    it('refuses invalid projects with constraint errors and creates nothing', async () => {
      const count = async () => (await server.api('GET', '/api/v3/projects', { auth: server.adminAuth })).body.total;
      const before = await count();
      const cases: [unknown, number, string][] = [
        [{ name: '', identifier: 'fine' }, 422, "Name can't be blank."],
        [{ name: 'X', identifier: 'Has Spaces' }, 422, 'Identifier is invalid.'],
        [{ name: 'X', identifier: 'demo-project' }, 422, 'Identifier has already been taken.'],
        [{ name: 'X', identifier: '123' }, 422, 'Identifier is invalid.'],
        [{ name: 'X', _links: { parent: { href: '/api/v3/projects/999999' } } }, 422, 'Subproject of is invalid.'],
        [{ name: 'X', _links: { parent: { href: '/api/v3/users/1' } } }, 422, 'Subproject of is invalid.'],
        [{ name: 42 }, 422, 'Name is invalid.'],
      ];
      for (const [body, status, message] of cases) {
        const response = await server.api('POST', '/api/v3/projects', { auth: server.adminAuth, body });
        assert.equal(response.status, status, JSON.stringify(body));
        assert.equal(response.body.message, message);
        await assertSchema('error_response', response.body);
      }
      assert.equal(await count(), before);
    });

    it('hides projects from non-members (404) and lets a Reader see but not edit', async () => {
      for (const path of [`/api/v3/projects/${demo.id}`, '/api/v3/projects/demo-project', '/api/v3/projects/999999']) {
        const hidden = await server.api('GET', path, { auth: outsider.auth });
        assert.equal(hidden.status, 404);
        assert.equal(hidden.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:NotFound');
        assert.equal(hidden.body.message, 'The requested resource could not be found.');
      }
      assert.equal((await server.api('GET', '/api/v3/projects', { auth: outsider.auth })).body.total, 0);
      assert.equal((await server.api('PATCH', `/api/v3/projects/${demo.id}`, { auth: outsider.auth, body: { name: 'Hacked' } })).status, 404);

      const seen = await server.api('GET', `/api/v3/projects/${demo.id}`, { auth: reader.auth });
      assert.equal(seen.status, 200);
      assert.equal(seen.body._links.updateImmediately, undefined, 'no edit link for a Reader');
      assert.equal(seen.body._links.createWorkPackage, undefined);
      const edit = await server.api('PATCH', `/api/v3/projects/${demo.id}`, { auth: reader.auth, body: { name: 'Renamed by reader' } });
      assert.equal(edit.status, 403);
      assert.equal(edit.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:MissingPermission');
      assert.equal((await server.api('GET', `/api/v3/projects/${demo.id}`, { auth: server.adminAuth })).body.name, 'Demo project');
      // The sub-project has no members: the Reader of the parent does not see it.
      assert.equal((await server.api('GET', `/api/v3/projects/${sub.id}`, { auth: reader.auth })).status, 404);
    });

    it('lets a project admin member edit the project and create sub-projects; top-level creation is for admins', async () => {
      const edit = await server.api('PATCH', `/api/v3/projects/${demo.id}`, { auth: lead.auth, body: { description: 'Edited by the lead' } });
      assert.equal(edit.status, 200);
      assert.equal(edit.body.description.raw, 'Edited by the lead');
      const child = await server.api('POST', '/api/v3/projects', { auth: lead.auth, body: { name: 'Lead child', _links: { parent: { href: `/api/v3/projects/${demo.id}` } } } });
      assert.equal(child.status, 201);
      assert.equal((await server.api('GET', `/api/v3/projects/${child.body.id}`, { auth: lead.auth })).status, 200, 'the creator is a member');
      const readerChild = await server.api('POST', '/api/v3/projects', { auth: reader.auth, body: { name: 'Reader child', _links: { parent: { href: `/api/v3/projects/${demo.id}` } } } });
      assert.equal(readerChild.status, 403);
      const outsiderChild = await server.api('POST', '/api/v3/projects', { auth: outsider.auth, body: { name: 'Outsider child', _links: { parent: { href: `/api/v3/projects/${demo.id}` } } } });
      assert.equal(outsiderChild.status, 422, "another project's id is just an invalid link");
      assert.equal((await server.api('POST', '/api/v3/projects', { auth: lead.auth, body: { name: 'Top level' } })).status, 403);
      const cycle = await server.api('PATCH', `/api/v3/projects/${demo.id}`, { auth: server.adminAuth, body: { _links: { parent: { href: `/api/v3/projects/${sub.id}` } } } });
      assert.equal(cycle.status, 422);
      assert.equal((await server.api('GET', `/api/v3/projects/${demo.id}`, { auth: server.adminAuth })).body._links.parent.href, null);
    });

    it('filters, sorts and paginates the project list as OpenProject does', async () => {
      const list = async (query: string, auth = server.adminAuth) => server.api('GET', `/api/v3/projects?${query}`, { auth });
      const all = await list('sortBy=' + encodeURIComponent('[["name","desc"]]'));
      assert.equal(all.status, 200);
      await assertSchema('project_collection_model', all.body);
      const names = all.body._embedded.elements.map((p: any) => p.name);
      assert.deepEqual(names, [...names].sort().reverse());
      const byName = await list(filtersParam([{ name_and_identifier: { operator: '~', values: ['SUB'] } }]));
      assert.deepEqual(byName.body._embedded.elements.map((p: any) => p.identifier), ['demo-sub']);
      const children = await list(filtersParam([{ parent_id: { operator: '=', values: [String(demo.id)] } }]));
      assert.equal(children.body.total, 2);
      const descendants = await list(filtersParam([{ ancestor: { operator: '=', values: [String(demo.id)] } }]));
      assert.equal(descendants.body.total, 2);
      const mine = await list(filtersParam([{ principal: { operator: '=', values: ['me'] } }]), reader.auth);
      assert.deepEqual(mine.body._embedded.elements.map((p: any) => p.id), [demo.id]);
      const creatable = await list(filtersParam([{ userAction: { operator: '&=', values: ['projects/read', 'projects/update'] } }]), reader.auth);
      assert.equal(creatable.body.total, 0, 'a Reader cannot update');
      const leadCan = await list(filtersParam([{ userAction: { operator: '&=', values: ['projects/update'] } }]), lead.auth);
      assert.equal(leadCan.body.total, 2);
      const paged = await list('pageSize=1&offset=2');
      assert.equal(paged.body.count, 1);
      assert.equal(paged.body.offset, 2);
      assert.ok(paged.body._links.nextByOffset && paged.body._links.previousByOffset);
      const huge = await list('pageSize=100000');
      assert.equal(huge.body.pageSize, 1000);
      const countOnly = await list('pageSize=0');
      assert.equal(countOnly.body.count, 0);
      assert.ok(countOnly.body.total >= 3);
    });

    it('answers bad queries with InvalidQuery errors', async () => {
      const cases: [string, string][] = [
        [filtersParam([{ bogus: { operator: '=', values: ['1'] } }]), 'Filters Invalid filter does not exist.'],
        ['filters=' + encodeURIComponent('[{"id":{"operator":"=","values":["1"]}'), `unexpected token at '[{"id":{"operator":"=","values":["1"]}'`],
        [filtersParam([{ id: { operator: '<>', values: ['1'] } }]), 'Filters Project Operator is not set to one of the allowed values.'],
        [filtersParam([{ id: { operator: '=', values: ['abc'] } }]), 'Filters Project filter has invalid values.'],
        [filtersParam({ id: 1 }), 'Filters must be a JSON array of objects.'],
        [filtersParam([{ userAction: { operator: '=', values: ['rockets/launch'] } }]), 'Filters User action filter has invalid values.'],
        ['sortBy=' + encodeURIComponent('[["colour","asc"]]'), 'Sort by Invalid order does not exist.'],
      ];
      for (const [query, message] of cases) {
        const response = await server.api('GET', `/api/v3/projects?${query}`, { auth: server.adminAuth });
        assert.equal(response.status, 400, query);
        assert.equal(response.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:InvalidQuery');
        assert.equal(response.body.message, message);
      }
    });

    it('switches modules per project; disabled modules take their permissions away', async () => {
      const modules = await server.api('GET', `/api/projects/${demo.id}/modules`, { auth: reader.auth });
      assert.equal(modules.status, 200);
      const enabled = (m: any) => m.body.modules.filter((x: any) => x.enabled).map((x: any) => x.name);
      assert.ok(enabled(modules).includes('storages'));
      assert.equal(modules.body.modules.find((m: any) => m.name === 'storages').label, 'File storages');
      assert.equal((await server.api('PUT', `/api/projects/${demo.id}/modules`, { auth: reader.auth, body: { enabled: [] } })).status, 403);
      assert.ok((await server.api('GET', `/api/v3/projects/${demo.id}`, { auth: lead.auth })).body._links.createWorkPackage);
      const off = await server.api('PUT', `/api/projects/${demo.id}/modules`, { auth: lead.auth, body: { enabled: ['storages'] } });
      assert.deepEqual(enabled(off), ['storages']);
      assert.equal((await server.api('GET', `/api/v3/projects/${demo.id}`, { auth: lead.auth })).body._links.createWorkPackage, undefined);
      assert.equal(await server.services.permissions.allowed(lead.user as any, 'add_work_packages', demo.id), false);
      assert.equal(await server.services.permissions.allowed({ id: 1, admin: 1 }, 'add_work_packages', demo.id), false, 'not even admins');
      assert.equal(await server.services.permissions.allowed(lead.user as any, 'read_files', demo.id), true);
      const unknown = await server.api('PUT', `/api/projects/${demo.id}/modules`, { auth: lead.auth, body: { enabled: ['teleport'] } });
      assert.equal(unknown.status, 422);
      await server.api('PUT', `/api/projects/${demo.id}/modules`, { auth: lead.auth, body: { enabled: ['work_package_tracking', 'storages'] } });
      assert.equal(await server.services.permissions.allowed(lead.user as any, 'add_work_packages', demo.id), true);
    });

    it('archives a project with its sub-projects (admins only); members no longer see it', async () => {
      assert.equal((await server.api('PATCH', `/api/v3/projects/${demo.id}`, { auth: lead.auth, body: { active: false } })).status, 403);
      const archived = await server.api('PATCH', `/api/v3/projects/${demo.id}`, { auth: server.adminAuth, body: { active: false } });
      assert.equal(archived.status, 200);
      assert.equal(archived.body.active, false);
      assert.equal((await server.api('GET', `/api/v3/projects/${sub.id}`, { auth: server.adminAuth })).body.active, false);
      assert.equal((await server.api('GET', `/api/v3/projects/${demo.id}`, { auth: reader.auth })).status, 404);
      const inactive = await server.api('GET', `/api/v3/projects?${filtersParam([{ active: { operator: '=', values: ['f'] } }])}`, { auth: server.adminAuth });
      assert.equal(inactive.body.total, 3);
      await server.api('PATCH', `/api/v3/projects/${demo.id}`, { auth: server.adminAuth, body: { active: true } });
      assert.equal((await server.api('GET', `/api/v3/projects/${demo.id}`, { auth: reader.auth })).status, 200);
    });

    it('deletes projects (admins only)', async () => {
      const temp = await server.api('POST', '/api/v3/projects', { auth: server.adminAuth, body: { name: 'Temporary' } });
      await addMember(temp.body.id, lead.user.id, 'Project admin');
      assert.equal((await server.api('DELETE', `/api/v3/projects/${temp.body.id}`, { auth: lead.auth })).status, 403);
      assert.equal((await server.api('DELETE', `/api/v3/projects/${temp.body.id}`, { auth: server.adminAuth })).status, 204);
      assert.equal((await server.api('GET', `/api/v3/projects/${temp.body.id}`, { auth: server.adminAuth })).status, 404);
    });
  });
}
