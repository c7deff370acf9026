import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { assertSchema } from '../api/openapi.ts';
import type { TestProjects } from '../testing.ts';
import { filters, href, startFixture, type Account } from '../work-packages/fixture.ts';
import { NOTIFY_JOB } from '../work-packages/service.ts';
import { mentionsIn } from './mentions.ts';

const UNREAD = filters([{ readIAN: { operator: '=', values: ['f'] } }]);

describe('mentions', () => {
  it("finds @logins and OpenProject's mention markup", () => {
    const text = 'Hi @ann and @bob.smith. <mention class="mention" data-id="7" data-type="user" data-text="@Carl">@Carl</mention> mail me@example.org, @Group <mention data-id="9" data-type="group">@g</mention>';
    assert.deepEqual(mentionsIn(text), { ids: [7], logins: ['ann', 'bob.smith', 'group'] });
  });
});

for (const dialect of testDialects()) {
  describe(`API v3 notifications on ${dialect}`, () => {
    let server: TestProjects;
    let alpha: number;
    let beta: number;
    let adminId: number;
    let member: Account;
    let reader: Account;
    let outsider: Account;

    /** Wait (bounded) until every notification job has run. */
    const settled = async () => {
      for (let i = 0; i < 500; i += 1) {
        await server.worker!.drain();
        const open = await server.services.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('name', '=', NOTIFY_JOB)
          .where('status', 'in', ['pending', 'running'])
          .executeTakeFirstOrThrow();
        if (Number(open.n) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.fail('notification jobs did not finish');
    };
    const notifications = async (auth: string, params = '') => {
      await settled();
      const response = await server.api('GET', `/api/v3/notifications?pageSize=-1&${params}`, { auth });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      await assertSchema('notification_collection_model', response.body);
      return response.body;
    };
    const create = async (auth: string, body: Record<string, unknown>, projectId = alpha) => {
      const response = await server.api('POST', `/api/v3/projects/${projectId}/work_packages`, { auth, body });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return response.body;
    };

    before(async () => {
      const fixture = await startFixture(dialect);
      ({ server, alpha, beta, member, reader, outsider } = fixture);
      adminId = (await server.api('GET', '/api/v3/users/me', { auth: server.adminAuth })).body.id;
      await fixture.addMember(beta, member.user.id, 'Member');
    });
    after(() => server.stop());

    it('notifies the assignee and mentioned people, never the author, never who cannot see it', async () => {
      const wp = await create(server.adminAuth, {
        subject: 'Review the budget',
        description: `Please check, @reader. <mention class="mention" data-id="${outsider.user.id}" data-type="user" data-text="@Outsider">@Outsider</mention>`,
        _links: { assignee: href('users', member.user.id) },
      });
      const forMember = await notifications(member.auth, UNREAD);
      assert.equal(forMember.total, 1);
      const [n] = forMember._embedded.elements;
      assert.equal(n._type, 'Notification');
      assert.equal(n.reason, 'assigned');
      assert.equal(n.readIAN, false);
      assert.deepEqual(n._links.resource, { href: `/api/v3/work_packages/${wp.id}`, title: 'Review the budget' });
      assert.deepEqual(n._links.project, { href: `/api/v3/projects/${alpha}`, title: 'Alpha' });
      assert.equal(n._links.actor.href, `/api/v3/users/${adminId}`);
      assert.equal(n._embedded.actor.id, adminId);
      assert.equal(n._links.readIAN.href, `/api/v3/notifications/${n.id}/read_ian`);
      assert.equal(n._embedded.resource.subject, 'Review the budget');
      assert.deepEqual((await notifications(reader.auth))._embedded.elements.map((e: any) => e.reason), ['mentioned']);
      assert.equal((await notifications(outsider.auth)).total, 0, 'the outsider cannot see Alpha');
      assert.equal((await notifications(server.adminAuth)).total, 0, 'no notification for your own change');
      const quiet = await server.api('POST', `/api/v3/projects/${alpha}/work_packages?notify=false`, { auth: server.adminAuth, body: { subject: 'Imported', _links: { assignee: href('users', member.user.id) } } });
      assert.equal(quiet.status, 201);
      assert.equal((await notifications(member.auth, UNREAD)).total, 1, 'notify=false makes no notification');
      const one = await server.api('GET', `/api/v3/notifications/${n.id}`, { auth: member.auth });
      assert.equal(one.status, 200);
      await assertSchema('notification_model', one.body);
      assert.equal((await server.api('GET', `/api/v3/notifications/${n.id}`, { auth: reader.auth })).status, 404, "another user's notification");
    });

    it('notifies watchers of updates and comments (with mentions), not the one who made them', async () => {
      const wp = await create(member.auth, { subject: 'Ship it' });
      await server.api('POST', `/api/v3/work_packages/${wp.id}/watchers`, { auth: reader.auth, body: { user: href('users', reader.user.id) } });
      const before = { admin: (await notifications(server.adminAuth)).total, reader: (await notifications(reader.auth)).total, member: (await notifications(member.auth)).total };
      const updated = await server.api('PATCH', `/api/v3/work_packages/${wp.id}`, { auth: member.auth, body: { lockVersion: 0, _links: { status: href('statuses', 7) } } });
      assert.equal(updated.status, 200);
      const readerList = await notifications(reader.auth, filters([{ resourceId: { operator: '=', values: [String(wp.id)] } }]));
      assert.deepEqual(readerList._embedded.elements.map((e: any) => e.reason), ['watched']);
      assert.equal((await notifications(member.auth)).total, before.member, 'the author changed it herself');
      assert.equal((await notifications(server.adminAuth)).total, before.admin, 'the admin does not watch it');

      const comment = await server.api('POST', `/api/v3/work_packages/${wp.id}/activities`, { auth: server.adminAuth, body: { comment: { raw: 'Ready, @member?' } } });
      assert.equal(comment.status, 201);
      const memberList = await notifications(member.auth, filters([{ reason: { operator: '=', values: ['mentioned'] } }, { resourceId: { operator: '=', values: [String(wp.id)] } }]));
      assert.equal(memberList.total, 1);
      assert.equal(memberList._embedded.elements[0]._links.activity.href, `/api/v3/activities/${comment.body.id}`);
      assert.equal((await notifications(reader.auth)).total, before.reader + 2, 'the watcher hears of the comment too');
      assert.equal((await notifications(server.adminAuth)).total, before.admin);
    });

    it('notifies only newly mentioned people when a description is edited', async () => {
      const wp = await create(server.adminAuth, { subject: 'Plan' });
      const mentions = async (auth: string) =>
        (await notifications(auth, filters([{ reason: { operator: '=', values: ['mentioned'] } }, { resourceId: { operator: '=', values: [String(wp.id)] } }]))).total;
      let lockVersion = 0;
      const edit = async (raw: string) => {
        const response = await server.api('PATCH', `/api/v3/work_packages/${wp.id}`, { auth: server.adminAuth, body: { lockVersion, description: { raw } } });
        assert.equal(response.status, 200);
        lockVersion = response.body.lockVersion;
      };
      await edit('Over to @reader');
      assert.equal(await mentions(reader.auth), 1);
      await edit('Over to @reader and @member');
      assert.equal(await mentions(reader.auth), 1, 'an old mention stays quiet');
      assert.equal(await mentions(member.auth), 1);
      const activities = await server.api('GET', `/api/v3/work_packages/${wp.id}/activities`, { auth: reader.auth });
      assert.equal(activities.body._embedded.elements[2].details[0].raw, 'Description changed');
    });

    it('makes each notification once, even when the job runs again (retry after a crash)', async () => {
      const wp = await create(server.adminAuth, { subject: 'Retried', _links: { assignee: href('users', member.user.id) } });
      const ofWp = filters([{ resourceId: { operator: '=', values: [String(wp.id)] } }]);
      assert.equal((await notifications(member.auth, ofWp)).total, 1);
      const journal = (await server.api('GET', `/api/v3/work_packages/${wp.id}/activities`, { auth: member.auth })).body._embedded.elements[0];
      await server.services.jobs.handlers[NOTIFY_JOB]!({ journalId: journal.id }, undefined as never);
      assert.equal((await notifications(member.auth, ofWp)).total, 1);
    });

    it('filters by project and reason; rejects unknown filters', async () => {
      const inBeta = await create(server.adminAuth, { subject: 'Beta task', _links: { assignee: href('users', member.user.id) } }, beta);
      const byProject = await notifications(member.auth, filters([{ project: { operator: '=', values: [String(beta)] } }]));
      assert.deepEqual(byProject._embedded.elements.map((e: any) => e._links.resource.href), [`/api/v3/work_packages/${inBeta.id}`]);
      const assigned = await notifications(member.auth, filters([{ reason: { operator: '=', values: ['assigned'] } }]));
      assert.ok(assigned._embedded.elements.every((e: any) => e.reason === 'assigned'));
      const bad = await server.api('GET', `/api/v3/notifications?${filters([{ colour: { operator: '=', values: ['x'] } }])}`, { auth: member.auth });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errorIdentifier, 'urn:openproject-org:api:v3:errors:InvalidQuery');
      assert.equal((await server.api('GET', `/api/v3/notifications?${filters([{ reason: { operator: '=', values: ['bored'] } }])}`, { auth: member.auth })).status, 400);
      const paged = await server.api('GET', '/api/v3/notifications?pageSize=1&offset=2', { auth: member.auth });
      assert.equal(paged.body.count, 1);
      assert.equal(paged.body.pageSize, 1);
    });

    it("marks read and unread as the Nextcloud app does (Pact 1, 17, 18)", async () => {
      const unread = await notifications(member.auth, UNREAD);
      assert.ok(unread.total >= 2);
      const wpId = Number(unread._embedded.elements[0]._links.resource.href.split('/').pop());
      const ofWp = unread._embedded.elements.filter((e: any) => e._links.resource.href.endsWith(`/${wpId}`)).length;

      const markRead = await server.api('POST', `/api/v3/notifications/read_ian?${filters([{ resourceId: { operator: '=', values: [String(wpId)] } }])}`, {
        auth: member.auth,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(markRead.status, 204);
      assert.equal((await notifications(member.auth, UNREAD)).total, unread.total - ofWp);
      const read = await notifications(member.auth, filters([{ readIAN: { operator: '=', values: ['t'] } }]));
      assert.ok(read._embedded.elements.every((e: any) => e.readIAN === true && e._links.unreadIAN));

      const unknown = await server.api('POST', `/api/v3/notifications/read_ian?${filters([{ resourceId: { operator: '=', values: ['789'] } }])}`, { auth: member.auth });
      assert.equal(unknown.status, 400);
      assert.deepEqual(unknown.body, { _type: 'Error', errorIdentifier: 'urn:openproject-org:api:v3:errors:InvalidQuery', message: ['Filters Resource filter has invalid values.'] });
      const malformed = await server.api('POST', '/api/v3/notifications/read_ian?filters=%5B%7B', { auth: member.auth });
      assert.equal(malformed.status, 400);
      assert.ok(Array.isArray(malformed.body.message));

      const one = read._embedded.elements[0];
      assert.equal((await server.api('POST', `/api/v3/notifications/${one.id}/unread_ian`, { auth: member.auth })).status, 204);
      assert.equal((await server.api('GET', `/api/v3/notifications/${one.id}`, { auth: member.auth })).body.readIAN, false);
      assert.equal((await server.api('POST', `/api/v3/notifications/${one.id}/read_ian`, { auth: reader.auth })).status, 404, "not the reader's");
      assert.equal((await server.api('POST', `/api/v3/notifications/${one.id}/read_ian`, { auth: member.auth })).status, 204);

      assert.equal((await server.api('POST', '/api/v3/notifications/read_ian', { auth: member.auth })).status, 204);
      assert.equal((await notifications(member.auth, UNREAD)).total, 0);
      assert.equal((await server.api('POST', `/api/v3/notifications/unread_ian?${filters([{ project: { operator: '=', values: [String(beta)] } }])}`, { auth: member.auth })).status, 204);
      assert.deepEqual([...new Set((await notifications(member.auth, UNREAD))._embedded.elements.map((e: any) => e._links.project.href))], [`/api/v3/projects/${beta}`]);
      assert.equal((await notifications(reader.auth, UNREAD)).total > 0, true, "other users' notifications are untouched");
    });
  });
}
