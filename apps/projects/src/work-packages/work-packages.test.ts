import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { assertSchema } from '../api/openapi.ts';
import type { TestProjects } from '../testing.ts';
import { filters, href, startFixture, type Account } from './fixture.ts';

for (const dialect of testDialects()) {
  describe(`API v3 work packages, types, statuses, activities and watchers on ${dialect}`, () => {
    let server: TestProjects;
    let alpha: number;
    let beta: number;
    let member: Account;
    let reader: Account;
    let outsider: Account;

    const create = async (auth: string, body: Record<string, unknown>, projectId = alpha) => {
      const response = await server.api('POST', '/api/v3/work_packages', { auth, body: { ...body, _links: { project: href('projects', projectId), ...(body._links as object) } } });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return response.body;
    };
    const count = async () => (await server.api('GET', `/api/v3/work_packages?${filters([])}`, { auth: server.adminAuth })).body.total;

    before(async () => {
      const fixture = await startFixture(dialect);
      ({ server, alpha, beta, member, reader, outsider } = fixture);
      await fixture.addMember(beta, outsider.user.id, 'Member');
    });
    after(() => server.stop());

    it("serves OpenProject's seeded types and statuses, one by one and per project", async () => {
      const types = await server.api('GET', '/api/v3/types', { auth: reader.auth });
      assert.equal(types.status, 200);
      await assertSchema('types_model', types.body);
      for (const element of types.body._embedded.elements) await assertSchema('type_model', element);
      assert.deepEqual(types.body._embedded.elements.map((t: any) => t.name), ['Task', 'Milestone', 'Phase', 'Feature', 'Epic', 'User story', 'Bug']);
      const statuses = await server.api('GET', '/api/v3/statuses', { auth: reader.auth });
      await assertSchema('status_collection_model', statuses.body);
      assert.deepEqual(statuses.body._embedded.elements.map((s: any) => s.name), [
        'New', 'In specification', 'Specified', 'Confirmed', 'To be scheduled', 'Scheduled', 'In progress', 'Developed',
        'In testing', 'Tested', 'Test failed', 'Closed', 'On hold', 'Rejected',
      ]);
      // The Nextcloud app reads colours of one status and one type (Pact interactions 9 and 10).
      const inProgress = await server.api('GET', '/api/v3/statuses/7', { auth: reader.auth });
      await assertSchema('status_model', inProgress.body);
      assert.deepEqual(
        { ...inProgress.body, _links: undefined },
        { _type: 'Status', id: 7, name: 'In progress', isClosed: false, color: '#CC5DE8', isDefault: false, isReadonly: false, excludedFromTotals: false, defaultDoneRatio: 0, position: 7, _links: undefined },
      );
      const phase = await server.api('GET', '/api/v3/types/3', { auth: reader.auth });
      await assertSchema('type_model', phase.body);
      assert.equal(phase.body.name, 'Phase');
      assert.equal((await server.api('GET', '/api/v3/types/99', { auth: reader.auth })).status, 404);
      assert.equal((await server.api('GET', '/api/v3/statuses/abc', { auth: reader.auth })).status, 404);
      assert.equal((await server.api('GET', '/api/v3/types')).status, 401);

      assert.equal((await server.api('GET', `/api/v3/projects/${alpha}/types`, { auth: reader.auth })).body.total, 7);
      assert.equal((await server.api('GET', `/api/v3/projects/${beta}/types`, { auth: reader.auth })).status, 404);
      assert.equal((await server.api('PUT', `/api/projects/${beta}/types`, { auth: member.auth, body: { typeIds: [1] } })).status, 404);
      const restricted = await server.api('PUT', `/api/projects/${beta}/types`, { auth: server.adminAuth, body: { typeIds: [1, 7] } });
      assert.deepEqual(restricted.body._embedded.elements.map((t: any) => t.name), ['Task', 'Bug']);
      assert.equal((await server.api('PUT', `/api/projects/${beta}/types`, { auth: server.adminAuth, body: { typeIds: [99] } })).status, 422);
      const bug = await server.api('POST', `/api/v3/projects/${beta}/work_packages`, { auth: outsider.auth, body: { subject: 'Phase here?', _links: { type: href('types', 3) } } });
      assert.equal(bug.status, 422);
      assert.equal(bug.body.message, 'Type is not set to one of the allowed values.');
    });

    it('creates work packages with defaults, markdown description, author and HAL links', async () => {
      const created = await server.api('POST', '/api/v3/work_packages', {
        auth: member.auth,
        body: {
          subject: 'Write the spec',
          description: { format: 'markdown', raw: 'First *draft*\n\nthen <review> [x](javascript:alert(1))' },
          startDate: '2026-12-01',
          dueDate: '2026-12-04',
          _links: { project: href('projects', alpha), assignee: href('users', member.user.id) },
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await assertSchema('work_package_model', created.body);
      const wp = created.body;
      assert.equal(wp._type, 'WorkPackage');
      assert.equal(wp.lockVersion, 0);
      assert.deepEqual(wp.description, {
        format: 'markdown',
        raw: 'First *draft*\n\nthen <review> [x](javascript:alert(1))',
        html: '<p class="op-uc-p">First <em>draft</em></p>\n<p class="op-uc-p">then &lt;review&gt; [x](javascript:alert(1))</p>',
      }, 'markdown rendered, raw HTML and script links not');
      assert.deepEqual(wp._links.type, { href: '/api/v3/types/1', title: 'Task' });
      assert.deepEqual(wp._links.status, { href: '/api/v3/statuses/1', title: 'New' });
      assert.deepEqual(wp._links.author, { href: `/api/v3/users/${member.user.id}`, title: 'Member Tester' });
      assert.deepEqual(wp._links.assignee, { href: `/api/v3/users/${member.user.id}`, title: 'Member Tester' });
      assert.deepEqual(wp._links.project, { href: `/api/v3/projects/${alpha}`, title: 'Alpha' });
      assert.equal(wp._embedded.type.name, 'Task');
      assert.equal(wp._embedded.status.name, 'New');
      assert.equal(wp.startDate, '2026-12-01');
      assert.equal(wp.dueDate, '2026-12-04');
      assert.ok(wp._links.updateImmediately, 'a Member may edit');
      assert.ok(wp._links.unwatch, 'the author watches');
      const fetched = await server.api('GET', `/api/v3/work_packages/${wp.id}`, { auth: reader.auth });
      assert.equal(fetched.status, 200);
      assert.equal(fetched.body.subject, 'Write the spec');
      assert.equal(fetched.body._links.updateImmediately, undefined, 'a Reader may not edit');
      // A milestone has one date.
      const milestone = await create(member.auth, { subject: 'Launch', date: '2027-01-15', _links: { type: href('types', 2) } });
      assert.equal(milestone.date, '2027-01-15');
      assert.equal(milestone.startDate, undefined);
    });

    it('refuses bad writes with OpenProject errors and changes nothing', async () => {
      const before = await count();
      const cases: [Account | 'admin', string, unknown, number, string][] = [
        [member, '/api/v3/work_packages', { subject: '', _links: { project: href('projects', alpha) } }, 422, "Subject can't be blank."],
        [member, '/api/v3/work_packages', { subject: 'x' }, 422, "Project can't be blank."],
        [member, '/api/v3/work_packages', { subject: 'x', _links: { project: href('projects', beta) } }, 422, 'Project is not set to one of the allowed values.'],
        [member, '/api/v3/work_packages', { subject: 'x', _links: { project: href('projects', alpha), status: href('statuses', 99) } }, 422, 'Status is not set to one of the allowed values.'],
        [member, '/api/v3/work_packages', { subject: 'x', _links: { project: href('projects', alpha), type: href('users', 1) } }, 422, 'Type is not set to one of the allowed values.'],
        [member, '/api/v3/work_packages', { subject: 'x', _links: { project: href('projects', alpha), assignee: href('users', outsider.user.id) } }, 422, 'Assignee is not set to one of the allowed values.'],
        [member, '/api/v3/work_packages', { subject: 'x', startDate: '2026-02-10', dueDate: '2026-02-01', _links: { project: href('projects', alpha) } }, 422, 'Finish date must be greater than or equal to start date.'],
        [member, '/api/v3/work_packages', { subject: 'x', startDate: 'soon', _links: { project: href('projects', alpha) } }, 422, 'Start date is not a valid date.'],
        [member, '/api/v3/work_packages', [1, 2], 400, 'The request body was not a single JSON object.'],
        [reader, '/api/v3/work_packages', { subject: 'x', _links: { project: href('projects', alpha) } }, 403, 'You are not authorized to access this resource.'],
        [reader, `/api/v3/projects/${alpha}/work_packages`, { subject: 'x' }, 403, 'You are not authorized to access this resource.'],
        [outsider, `/api/v3/projects/${alpha}/work_packages`, { subject: 'x' }, 404, 'The requested resource could not be found.'],
        [member, '/api/v3/projects/9999/work_packages', { subject: 'x' }, 404, 'The requested resource could not be found.'],
      ];
      for (const [who, path, body, status, message] of cases) {
        const response = await server.api('POST', path, { auth: who === 'admin' ? server.adminAuth : who.auth, body });
        assert.equal(response.status, status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body._type, 'Error');
        assert.equal(response.body.message, message);
      }
      const several = await server.api('POST', '/api/v3/work_packages', { auth: member.auth, body: { subject: '', _links: { project: href('projects', alpha), status: href('statuses', 99) } } });
      assert.equal(several.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:MultipleErrors');
      assert.deepEqual(several.body._embedded.errors.map((e: any) => e._embedded.details.attribute), ['subject', 'status']);
      assert.equal(await count(), before);
    });

    it('lists with filters (id, typeahead, project, status o/c, assignee me, type, subject), sortBy and pages; hides other projects', async () => {
      const a = await create(member.auth, { subject: 'Alpha bug one', _links: { type: href('types', 7), assignee: href('users', member.user.id) } });
      const b = await create(member.auth, { subject: 'Alpha feature', _links: { type: href('types', 4), status: href('statuses', 12) } });
      const other = await create(outsider.auth, { subject: 'Beta bug' }, beta);
      const list = async (auth: string, params: string) => {
        const response = await server.api('GET', `/api/v3/work_packages?${params}`, { auth });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        await assertSchema('work_packages_model', response.body);
        return response.body;
      };
      const ids = (body: any) => body._embedded.elements.map((e: any) => e.id);

      // Without filters OpenProject lists open work packages only.
      assert.ok(!ids(await list(member.auth, '')).includes(b.id));
      assert.ok(ids(await list(member.auth, filters([{ status: { operator: 'c' } }]))).includes(b.id));
      assert.ok(!ids(await list(member.auth, filters([{ status: { operator: 'o' } }]))).includes(b.id));
      assert.deepEqual(ids(await list(member.auth, filters([{ status: { operator: '=', values: ['12'] } }]))), [b.id]);
      assert.deepEqual(ids(await list(member.auth, filters([{ id: { operator: '=', values: [String(a.id)] } }]))), [a.id]);
      assert.deepEqual(ids(await list(member.auth, filters([{ typeahead: { operator: '**', values: ['bug ONE'] } }]))), [a.id]);
      assert.deepEqual(ids(await list(member.auth, filters([{ typeahead: { operator: '**', values: [`#${b.id}`] } }]))), [b.id]);
      assert.deepEqual(ids(await list(member.auth, filters([{ type: { operator: '=', values: ['7'] } }]))), [a.id]);
      assert.deepEqual(ids(await list(member.auth, filters([{ subject: { operator: '~', values: ['feature'] } }]))), [b.id]);
      const mine = await list(member.auth, filters([{ assignee: { operator: '=', values: ['me'] } }]));
      assert.ok(ids(mine).includes(a.id) && mine._embedded.elements.every((e: any) => e._links.assignee.href === `/api/v3/users/${member.user.id}`));
      assert.equal((await list(member.auth, filters([{ assignee: { operator: '!*' } }, { status: { operator: '*' } }]))).total, (await list(member.auth, filters([]))).total - mine.total);
      // Another project's work packages stay invisible, by filter, id or list.
      assert.deepEqual(ids(await list(member.auth, filters([{ project: { operator: '=', values: [String(beta)] } }]))), []);
      assert.deepEqual(ids(await list(member.auth, filters([{ id: { operator: '=', values: [String(other.id)] } }]))), []);
      assert.equal((await server.api('GET', `/api/v3/work_packages/${other.id}`, { auth: member.auth })).status, 404);
      assert.equal((await server.api('GET', `/api/v3/projects/${beta}/work_packages`, { auth: member.auth })).status, 404);
      assert.deepEqual(ids(await list(outsider.auth, filters([]))), [other.id]);
      // Per project, sorted, paged.
      const perProject = await server.api('GET', `/api/v3/projects/${alpha}/work_packages?${filters([])}&sortBy=${encodeURIComponent('[["subject","desc"]]')}&pageSize=2&offset=2`, { auth: member.auth });
      assert.equal(perProject.status, 200);
      assert.equal(perProject.body.pageSize, 2);
      assert.equal(perProject.body.offset, 2);
      assert.equal(perProject.body.count, 2);
      const all = (await list(member.auth, `${filters([])}&sortBy=${encodeURIComponent('[["subject","desc"]]')}&pageSize=100`))._embedded.elements.map((e: any) => e.subject);
      assert.deepEqual(all, [...all].sort().reverse());
      assert.deepEqual(perProject.body._embedded.elements.map((e: any) => e.subject), all.slice(2, 4));
      // The Nextcloud app's search: typeahead sorted by updatedAt.
      const search = await list(member.auth, `${filters([{ typeahead: { operator: '**', values: ['alpha'] } }])}&sortBy=${encodeURIComponent('[["updatedAt","desc"]]')}`);
      assert.deepEqual(ids(search), [b.id, a.id], 'explicit filters replace the default open-status filter');
      assert.equal((await list(member.auth, 'pageSize=100000')).pageSize, 1000);
    });

    it('answers bad queries with InvalidQuery', async () => {
      const bad = async (params: string, message: string) => {
        const response = await server.api('GET', `/api/v3/work_packages?${params}`, { auth: member.auth });
        assert.equal(response.status, 400, params);
        assert.equal(response.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:InvalidQuery');
        assert.equal(response.body.message, message);
      };
      await bad(filters([{ colour: { operator: '=', values: ['red'] } }]), 'Filters Invalid filter does not exist.');
      await bad('filters=%5B%7B', "unexpected token at '[{'");
      await bad(filters([{ status: { operator: '=', values: ['x'] } }]), 'Filters Status filter has invalid values.');
      await bad(filters([{ assignee: { operator: '~', values: ['1'] } }]), 'Filters Assignee Operator is not set to one of the allowed values.');
      await bad(`sortBy=${encodeURIComponent('[["colour","asc"]]')}`, 'Sort by Invalid order does not exist.');
    });

    it('updates with lockVersion (409 when stale), journals every change and comment', async () => {
      const wp = await create(member.auth, { subject: 'Journaled', description: 'v1' });
      const patch = (auth: string, body: unknown) => server.api('PATCH', `/api/v3/work_packages/${wp.id}`, { auth, body });
      assert.equal((await patch(reader.auth, { lockVersion: 0, subject: 'No' })).status, 403);
      assert.equal((await patch(outsider.auth, { lockVersion: 0, subject: 'No' })).status, 404);
      const missing = await patch(member.auth, { subject: 'No lock' });
      assert.equal(missing.status, 422);
      const updated = await patch(member.auth, { lockVersion: 0, subject: 'Journaled well', _links: { status: href('statuses', 7), assignee: href('users', member.user.id) } });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      await assertSchema('work_package_model', updated.body);
      assert.equal(updated.body.lockVersion, 1);
      assert.equal(updated.body._links.status.title, 'In progress');
      const stale = await patch(member.auth, { lockVersion: 0, subject: 'Lost update' });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:UpdateConflict');
      const invalid = await patch(member.auth, { lockVersion: 1, subject: '' });
      assert.equal(invalid.status, 422);
      const moved = await patch(member.auth, { lockVersion: 1, _links: { project: href('projects', beta) } });
      assert.equal(moved.status, 422, "a project the member cannot see is not a valid target");
      assert.equal((await patch(member.auth, { lockVersion: 1, _links: { assignee: href('users', outsider.user.id) } })).status, 422);
      assert.equal((await patch(member.auth, '{"lockVersion": 1,')).status, 400);
      assert.equal((await server.api('GET', `/api/v3/work_packages/${wp.id}`, { auth: member.auth })).body.subject, 'Journaled well');

      const comment = await server.api('POST', `/api/v3/work_packages/${wp.id}/activities`, { auth: member.auth, body: { comment: { raw: 'Looks *good*' } } });
      assert.equal(comment.status, 201);
      assert.equal(comment.body._type, 'Activity::Comment');
      assert.equal((await server.api('POST', `/api/v3/work_packages/${wp.id}/activities`, { auth: reader.auth, body: { comment: { raw: 'me too' } } })).status, 403);
      assert.equal((await server.api('POST', `/api/v3/work_packages/${wp.id}/activities`, { auth: member.auth, body: { comment: { raw: '  ' } } })).status, 422);
      const activities = await server.api('GET', `/api/v3/work_packages/${wp.id}/activities`, { auth: reader.auth });
      assert.equal(activities.status, 200);
      const elements = activities.body._embedded.elements;
      assert.deepEqual(elements.map((a: any) => a.version), [1, 2, 3]);
      assert.deepEqual(elements[1].details.map((d: any) => d.raw), [
        'Subject changed from Journaled to Journaled well',
        'Status changed from New to In progress',
        'Assignee set to Member Tester',
      ]);
      assert.equal(elements[2].comment.raw, 'Looks *good*');
      assert.equal(elements[2]._links.user.title, 'Member Tester');
      assert.equal((await server.api('GET', `/api/v3/activities/${elements[2].id}`, { auth: reader.auth })).body.comment.raw, 'Looks *good*');
      assert.equal((await server.api('GET', `/api/v3/activities/${elements[2].id}`, { auth: outsider.auth })).status, 404);
      const edited = await server.api('PATCH', `/api/v3/activities/${elements[2].id}`, { auth: member.auth, body: { comment: { raw: 'Looks **great**' } } });
      assert.equal(edited.status, 200);
      assert.equal(edited.body.comment.html, '<p class="op-uc-p">Looks <strong>great</strong></p>');
      assert.equal((await server.api('PATCH', `/api/v3/activities/${elements[2].id}`, { auth: server.adminAuth, body: { comment: { raw: 'Not mine' } } })).status, 403, "only one's own comment");
      assert.equal((await server.api('PATCH', `/api/v3/activities/${elements[1].id}`, { auth: member.auth, body: { comment: { raw: 'A change is no comment' } } })).status, 403);
      assert.equal((await server.api('GET', `/api/v3/work_packages/${wp.id}`, { auth: member.auth })).body.lockVersion, 2, 'a comment is a new version');

      assert.equal((await server.api('DELETE', `/api/v3/work_packages/${wp.id}`, { auth: member.auth })).status, 403, 'Members cannot delete');
      assert.equal((await server.api('DELETE', `/api/v3/work_packages/${wp.id}`, { auth: server.adminAuth })).status, 204);
      assert.equal((await server.api('GET', `/api/v3/work_packages/${wp.id}`, { auth: member.auth })).status, 404);
    });

    it('keeps watchers: author and assignee automatically, add and remove', async () => {
      const wp = await create(server.adminAuth, { subject: 'Watched', _links: { assignee: href('users', member.user.id) } });
      const watchers = async () => (await server.api('GET', `/api/v3/work_packages/${wp.id}/watchers`, { auth: member.auth })).body._embedded.elements.map((u: any) => u.id);
      const adminId = (await server.api('GET', '/api/v3/users/me', { auth: server.adminAuth })).body.id;
      assert.deepEqual(new Set(await watchers()), new Set([adminId, member.user.id]));
      assert.equal((await server.api('POST', `/api/v3/work_packages/${wp.id}/watchers`, { auth: reader.auth, body: { user: href('users', reader.user.id) } })).status, 201, 'anyone who sees it may watch it');
      assert.equal((await server.api('POST', `/api/v3/work_packages/${wp.id}/watchers`, { auth: reader.auth, body: { user: href('users', reader.user.id) } })).status, 200);
      assert.equal((await server.api('POST', `/api/v3/work_packages/${wp.id}/watchers`, { auth: member.auth, body: { user: href('users', outsider.user.id) } })).status, 422, 'who cannot see it cannot watch it');
      assert.equal((await server.api('POST', `/api/v3/work_packages/${wp.id}/watchers`, { auth: outsider.auth, body: { user: href('users', outsider.user.id) } })).status, 404);
      assert.equal((await server.api('GET', `/api/v3/work_packages/${wp.id}`, { auth: reader.auth })).body._links.unwatch.href, `/api/v3/work_packages/${wp.id}/watchers/${reader.user.id}`);
      assert.equal((await server.api('DELETE', `/api/v3/work_packages/${wp.id}/watchers/${member.user.id}`, { auth: reader.auth })).status, 403);
      assert.equal((await server.api('DELETE', `/api/v3/work_packages/${wp.id}/watchers/${reader.user.id}`, { auth: reader.auth })).status, 204);
      assert.equal((await server.api('DELETE', `/api/v3/work_packages/${wp.id}/watchers/${reader.user.id}`, { auth: reader.auth })).status, 404);
      assert.deepEqual(new Set(await watchers()), new Set([adminId, member.user.id]));
    });

    it('answers the Nextcloud app: available projects, the create form, available assignees, create (Pact 23-26)', async () => {
      const available = await server.api('GET', `/api/v3/work_packages/available_projects?${filters([{ userAction: { operator: '&=', values: ['work_packages/create'] } }])}&pageSize=100`, { auth: member.auth });
      assert.equal(available.status, 200);
      await assertSchema('project_collection_model', available.body);
      assert.deepEqual(available.body._embedded.elements.map((p: any) => p.id), [alpha]);
      assert.deepEqual((await server.api('GET', '/api/v3/work_packages/available_projects', { auth: reader.auth })).body.total, 0, 'a Reader cannot create anywhere');
      const wpInAlpha = (await server.api('GET', `/api/v3/projects/${alpha}/work_packages`, { auth: member.auth })).body._embedded.elements[0].id;
      const moveTargets = await server.api('GET', `/api/v3/work_packages/${wpInAlpha}/available_projects`, { auth: member.auth });
      await assertSchema('available_projects_for_work_package_model', moveTargets.body);
      assert.deepEqual(moveTargets.body._embedded.elements.map((p: any) => p.id), [alpha]);
      assert.equal((await server.api('GET', `/api/v3/work_packages/${wpInAlpha}/available_projects`, { auth: reader.auth })).status, 403);
      assert.equal((await server.api('GET', `/api/v3/work_packages/${wpInAlpha}/available_projects`, { auth: outsider.auth })).status, 404);
      const typeahead = await server.api('GET', `/api/v3/work_packages/available_projects?${filters([{ typeahead: { operator: '**', values: ['alp'] } }])}`, { auth: server.adminAuth });
      assert.deepEqual(typeahead.body._embedded.elements.map((p: any) => p.name), ['Alpha']);

      const body = {
        _links: { type: { href: '/api/v3/types/2', title: 'Milestone' }, status: { href: '/api/v3/statuses/1', title: 'New' }, project: { href: `/api/v3/projects/${alpha}`, title: 'Alpha' }, assignee: { href: `/api/v3/users/${member.user.id}`, title: 'Member' } },
        subject: 'This is a new work package',
        description: { format: 'markdown', raw: 'this is a default description for milestone type', html: null },
      };
      const before = await count();
      const form = await server.api('POST', `/api/v3/projects/${alpha}/work_packages/form`, { auth: member.auth, body });
      assert.equal(form.status, 200, JSON.stringify(form.body));
      await assertSchema('work_package_form_model', form.body);
      assert.equal(form.body._type, 'Form');
      assert.deepEqual(form.body._embedded.validationErrors, {});
      assert.equal(form.body._embedded.payload.subject, 'This is a new work package');
      assert.equal(form.body._embedded.payload.description.raw, 'this is a default description for milestone type');
      assert.equal(form.body._embedded.payload._links.assignee.href, `/api/v3/users/${member.user.id}`);
      assert.deepEqual(form.body._embedded.schema.type._embedded.allowedValues.map((t: any) => t.name).slice(0, 2), ['Task', 'Milestone']);
      assert.equal(form.body._embedded.schema.status._embedded.allowedValues[0].name, 'New');
      const invalid = await server.api('POST', `/api/v3/projects/${alpha}/work_packages/form`, { auth: member.auth, body: { subject: '', _links: { status: href('statuses', 99) } } });
      assert.deepEqual(Object.keys(invalid.body._embedded.validationErrors).sort(), ['status', 'subject']);
      assert.equal(invalid.body._embedded.validationErrors.status.message, 'Status is not set to one of the allowed values.');
      const empty = await server.api('POST', '/api/v3/work_packages/form', { auth: member.auth });
      assert.equal(empty.status, 200);
      assert.ok(empty.body._embedded.validationErrors.project);
      assert.equal((await server.api('POST', `/api/v3/projects/${alpha}/work_packages/form`, { auth: reader.auth, body })).status, 403);
      assert.equal((await server.api('POST', `/api/v3/projects/${alpha}/work_packages/form`, { auth: outsider.auth, body })).status, 404);
      assert.equal(await count(), before, 'a form saves nothing');

      const assignees = await server.api('GET', `/api/v3/projects/${alpha}/available_assignees`, { auth: member.auth });
      assert.equal(assignees.status, 200);
      assert.deepEqual(assignees.body._embedded.elements.map((u: any) => u._links.self.href), [`/api/v3/users/${member.user.id}`], 'Readers are not assignable');
      assert.equal((await server.api('GET', `/api/v3/projects/${alpha}/available_assignees`, { auth: outsider.auth })).status, 404);

      const created = await server.api('POST', '/api/v3/work_packages', { auth: member.auth, body });
      assert.equal(created.status, 201);
      assert.equal(created.body._embedded.type.name, 'Milestone');
      assert.equal(created.body._embedded.status.name, 'New');
      assert.equal(created.body.description.html, '<p class="op-uc-p">this is a default description for milestone type</p>');
      const schema = await server.api('GET', created.body._links.schema.href, { auth: reader.auth });
      assert.equal(schema.status, 200);
      await assertSchema('work_package_schema_model', schema.body);
      const edit = await server.api('POST', `/api/v3/work_packages/${created.body.id}/form`, { auth: member.auth, body: { subject: 'Renamed' } });
      assert.equal(edit.body._embedded.payload.subject, 'Renamed');
      assert.equal(edit.body._embedded.payload.lockVersion, 0);
    });
  });
}
