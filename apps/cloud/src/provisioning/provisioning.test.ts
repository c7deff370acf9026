import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, TEST_ADMIN_PASSWORD, type TestCloud } from '../testing.ts';
import { loadCassette, resend } from '../ocs/cassettes.ts';

const REPLAYED = [
  'nextcloud/add_user_to_group_success.yml',
  'nextcloud/add_user_to_group_not_existing_group.yml',
  'nextcloud/add_user_to_group_not_existing_user.yml',
  'nextcloud/remove_user_from_group_success.yml',
  'nextcloud/remove_user_from_group_no_user.yml',
  'nextcloud/remove_user_from_group_not_existing_group.yml',
  'nextcloud/remove_user_from_group_not_existing_user.yml',
  'nextcloud/group_users_success.yml',
  'nextcloud/group_users_not_existing_group.yml',
];

for (const dialect of testDialects()) {
  describe(`provisioning API on ${dialect}`, () => {
    let cloud: TestCloud;
    let admin: string;
    before(async () => {
      cloud = await startTestCloud(dialect);
      admin = cloud.basic('admin', TEST_ADMIN_PASSWORD);
      await cloud.createUser('m.jade@death.star', 'jade-password');
      await cloud.createUser('d.vader@death.star', 'vader-password');
      await cloud.createUser('sam', 'sam-password', ['staff']);
      await cloud.createUser('una', 'una-password', ['staff']);
      await cloud.createUser('otto', 'otto-password', ['other']);
      await cloud.services.users.setSubadmin('staff', 'sam', true);
      await cloud.services.users.addToGroup('staff', 'admin');
    });
    after(() => cloud.stop());

    const call = async (method: string, path: string, auth: string, body?: Record<string, string>, version = 1) => {
      const response = await fetch(`${cloud.url}/ocs/v${version}.php/cloud/${path}${path.includes('?') ? '&' : '?'}format=json`, {
        method,
        headers: { Authorization: auth, 'OCS-APIRequest': 'true', ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(body ? { body: new URLSearchParams(body).toString() } : {}),
      });
      const json = (await response.json()) as any;
      return { status: response.status, code: json.ocs.meta.statuscode as number, message: json.ocs.meta.message as string, data: json.ocs.data };
    };
    const as = (user: string) => cloud.basic(user, `${user}-password`);

    for (const file of REPLAYED) {
      it(`replays ${file}: same statuses, content types and XML bodies`, async () => {
        for (const recorded of loadCassette(file)) {
          const response = await resend(cloud.url, recorded, admin);
          const where = `${recorded.method} ${recorded.path}`;
          assert.equal(response.status, recorded.status, where);
          assert.equal(response.headers.get('content-type'), recorded.responseHeaders['content-type'], where);
          assert.equal(await response.text(), recorded.responseBody, where);
        }
      });
    }

    it('creates, reads, edits, disables, enables and deletes a user (form and JSON bodies)', async () => {
      const created = await call('POST', 'users', admin, { userid: 'frank', password: 'frank-password', displayName: 'Frank K.', email: 'frank@example.org', 'groups[]': 'staff', quota: '1 GB' });
      assert.deepEqual([created.code, created.data], [100, { id: 'frank' }]);
      const viaJson = await fetch(`${cloud.url}/ocs/v2.php/cloud/users?format=json`, {
        method: 'POST',
        headers: { Authorization: admin, 'OCS-APIRequest': 'true', 'content-type': 'application/json' },
        body: JSON.stringify({ userid: 'gina', password: 'gina-password', groups: ['staff', 'other'] }),
      });
      assert.equal(viaJson.status, 200);
      assert.deepEqual(await cloud.services.users.groupsOf('gina'), ['other', 'staff']);

      const frank = await call('GET', 'users/frank', admin);
      assert.equal(frank.data.displayname, 'Frank K.');
      assert.equal(frank.data.email, 'frank@example.org');
      assert.equal(frank.data.quota.quota, 1024 ** 3);
      assert.deepEqual(frank.data.groups, ['staff']);

      assert.equal((await call('PUT', 'users/frank', admin, { key: 'email', value: 'f@example.org' })).code, 100);
      assert.equal((await call('PUT', 'users/frank', admin, { key: 'phone', value: '+49 123' })).code, 100);
      assert.equal((await call('PUT', 'users/frank', admin, { key: 'email', value: 'not an address' })).code, 102);
      assert.equal((await call('PUT', 'users/frank', admin, { key: 'quota', value: 'lots' })).code, 102);
      assert.equal((await call('PUT', 'users/frank', admin, { key: 'favourite_colour', value: 'red' })).code, 103);
      assert.equal((await call('PUT', 'users/nobody', admin, { key: 'email', value: 'a@b.c' })).code, 101);
      const edited = await call('GET', 'users/frank', admin);
      assert.equal(edited.data.email, 'f@example.org');
      assert.equal(edited.data.phone, '+49 123');

      assert.equal((await call('PUT', 'users/frank/disable', admin)).code, 100);
      const refused = await fetch(`${cloud.url}/ocs/v1.php/cloud/user`, { headers: { Authorization: as('frank') } });
      assert.equal(refused.status, 401, 'a disabled user cannot sign in');
      assert.equal((await call('PUT', 'users/frank/enable', admin)).code, 100);
      assert.equal((await call('GET', 'users/frank', as('frank'))).data.id, 'frank');
      assert.equal((await call('DELETE', 'users/frank', admin)).code, 100);
      assert.equal((await call('DELETE', 'users/frank', admin)).code, 101);
      assert.equal((await call('GET', 'users/frank', admin)).code, 404);
    });

    it('answers user creation problems with the documented codes', async () => {
      assert.equal((await call('POST', 'users', admin, { userid: 'bad/id', password: 'long-enough' })).code, 101);
      assert.equal((await call('POST', 'users', admin, { userid: 'sam', password: 'long-enough' })).code, 102);
      assert.equal((await call('POST', 'users', admin, { userid: 'hal', password: 'long-enough', 'groups[]': 'nope' })).code, 104);
      assert.equal((await call('POST', 'users', admin, { userid: 'hal', password: 'short' })).code, 107);
      assert.equal((await call('POST', 'users', admin, { userid: 'hal' })).code, 108);
      assert.equal((await call('POST', 'users', admin, { userid: 'hal', email: 'hal@example.org' })).code, 109);
      assert.equal((await call('POST', 'users', as('una'), { userid: 'hal', password: 'long-enough' })).code, 403);
      const v2 = await call('POST', 'users', admin, { userid: 'sam', password: 'long-enough' }, 2);
      assert.deepEqual([v2.status, v2.code], [400, 102]);
      assert.equal(await cloud.services.users.find('hal'), undefined, 'nothing was created');
    });

    it('lets sub-admins manage the non-admin members of their groups only', async () => {
      // sam is sub-admin of staff: una is a member, otto is not, admin is an admin.
      assert.deepEqual((await call('GET', 'users', as('sam'))).data.users.sort(), ['gina', 'sam', 'una']);
      assert.equal((await call('GET', 'users/una', as('sam'))).data.id, 'una');
      assert.equal((await call('GET', 'users/otto', as('sam'))).code, 404);
      assert.equal((await call('GET', 'users/admin', as('sam'))).code, 404, 'sub-admins never manage admins');
      assert.equal((await call('PUT', 'users/otto', as('sam'), { key: 'email', value: 'o@example.org' })).code, 101);
      assert.equal((await call('PUT', 'users/una', as('sam'), { key: 'quota', value: '5 GB' })).code, 100);
      assert.equal((await call('PUT', 'users/otto/disable', as('sam'))).code, 101);
      assert.equal((await call('DELETE', 'users/otto', as('sam'))).code, 101);
      assert.ok(await cloud.services.users.find('otto'));
      // Sub-admins create users only into their groups.
      assert.equal((await call('POST', 'users', as('sam'), { userid: 'ivy', password: 'ivy-password' })).code, 106);
      assert.equal((await call('POST', 'users', as('sam'), { userid: 'ivy', password: 'ivy-password', 'groups[]': 'other' })).code, 105);
      assert.equal((await call('POST', 'users', as('sam'), { userid: 'ivy', password: 'ivy-password', 'groups[]': 'staff' })).code, 100);
      // Group membership: only for groups they manage.
      assert.equal((await call('POST', 'users/otto/groups', as('sam'), { groupid: 'staff' })).code, 100);
      assert.equal((await call('POST', 'users/una/groups', as('sam'), { groupid: 'other' })).code, 104);
      assert.equal((await call('DELETE', 'users/otto/groups?groupid=staff', as('sam'))).code, 100);
      assert.equal((await call('DELETE', 'users/sam/groups?groupid=staff', as('sam'))).code, 105);
      assert.deepEqual((await call('GET', 'groups/staff', as('sam'))).data.users.includes('una'), true);
      assert.equal((await call('GET', 'groups/other', as('sam'))).code, 403);
    });

    it('keeps plain users to themselves', async () => {
      assert.equal((await call('GET', 'users', as('una'))).code, 403);
      assert.equal((await call('GET', 'users/otto', as('una'))).code, 404);
      assert.equal((await call('PUT', 'users/otto', as('una'), { key: 'displayname', value: 'Hacked' })).code, 101);
      assert.equal((await cloud.services.users.get('otto')).display_name, 'otto');
      assert.equal((await call('PUT', 'users/una', as('una'), { key: 'displayname', value: 'Una U.' })).code, 100);
      assert.equal((await call('PUT', 'users/una', as('una'), { key: 'quota', value: '100 GB' })).code, 103, 'no raising your own quota');
      assert.equal((await call('DELETE', 'users/otto', as('una'))).code, 101);
      assert.equal((await call('POST', 'users/una/groups', as('una'), { groupid: 'admin' })).code, 104);
      assert.equal((await call('POST', 'groups', as('una'), { groupid: 'mine' })).code, 403);
      const v2 = await call('POST', 'groups', as('una'), { groupid: 'mine' }, 2);
      assert.equal(v2.status, 403);
      assert.deepEqual((await call('GET', 'groups', as('una'))).data.groups, ['staff']);
      assert.deepEqual((await call('GET', 'users/una/groups', as('una'))).data.groups, ['staff']);
    });

    it('manages groups and sub-admins with the documented codes', async () => {
      assert.equal((await call('POST', 'groups', admin, { groupid: 'crew', displayname: 'The Crew' })).code, 100);
      assert.equal((await call('POST', 'groups', admin, { groupid: 'crew' })).code, 102);
      assert.equal((await call('POST', 'groups', admin, { groupid: '' })).code, 101);
      assert.ok((await call('GET', 'groups?search=cre', admin)).data.groups.includes('crew'));
      const details = await call('GET', 'groups/details?search=crew', admin);
      assert.deepEqual(details.data.groups[0], { id: 'crew', displayname: 'The Crew', usercount: 0, disabled: 0, canAdd: true, canRemove: true });

      assert.equal((await call('PUT', 'groups/crew', admin, { key: 'displayname', value: 'Crew of the Ghost' })).code, 100);
      assert.equal((await call('PUT', 'groups/crew', admin, { key: 'colour', value: 'red' })).code, 101);
      assert.equal((await call('POST', 'users/una/groups', admin, { groupid: 'crew' })).code, 100);
      const members = await call('GET', 'groups/crew/users/details', admin);
      assert.deepEqual(Object.keys(members.data.users), ['una']);
      assert.deepEqual(members.data.users.una.groups, ['crew', 'staff']);
      const users = await call('GET', 'users/details?search=una', admin, undefined, 2);
      assert.equal(users.status, 200);
      assert.equal(users.data.users.una.id, 'una');
      assert.equal((await call('GET', 'groups/details?search=crew', admin)).data.groups[0].displayname, 'Crew of the Ghost');
      assert.equal((await call('POST', 'users/una/subadmins', admin, { groupid: 'crew' })).code, 100);
      assert.deepEqual((await call('GET', 'users/una/subadmins', admin)).data, ['crew']);
      assert.deepEqual((await call('GET', 'groups/crew/subadmins', admin)).data, ['una']);
      assert.equal((await call('POST', 'users/nobody/subadmins', admin, { groupid: 'crew' })).code, 101);
      assert.equal((await call('POST', 'users/una/subadmins', admin, { groupid: 'nope' })).code, 102);
      assert.equal((await call('POST', 'users/una/subadmins', admin, { groupid: 'admin' })).code, 103);
      assert.equal((await call('POST', 'users/una/subadmins', as('una'), { groupid: 'staff' })).code, 403);
      assert.equal((await call('DELETE', 'users/una/subadmins?groupid=crew', admin)).code, 100);
      assert.equal((await call('DELETE', 'users/una/subadmins?groupid=crew', admin)).code, 102);
      assert.equal((await call('GET', 'groups/nope/subadmins', admin)).code, 101);

      assert.equal((await call('DELETE', 'groups/admin', admin)).code, 102);
      assert.equal((await call('DELETE', 'groups/crew', admin)).code, 100);
      assert.equal((await call('DELETE', 'groups/crew', admin)).code, 101);
      assert.equal((await call('DELETE', 'users/admin/groups?groupid=admin', admin)).code, 105, 'admins cannot leave the admin group themselves');
      assert.equal((await call('POST', 'users/una/groups', admin, {})).code, 101);
    });

    it('lists, reads, enables and disables apps for administrators', async () => {
      const enabled = await call('GET', 'apps?filter=enabled', admin);
      assert.ok(enabled.data.apps.includes('files'));
      assert.equal((await call('GET', 'apps?filter=sideways', admin)).code, 101);
      assert.equal((await call('DELETE', 'apps/groupfolders', admin)).code, 100);
      assert.ok((await call('GET', 'apps?filter=disabled', admin)).data.apps.includes('groupfolders'));
      assert.equal((await call('GET', 'apps/groupfolders', admin)).data.enabled, false);
      assert.equal((await call('POST', 'apps/groupfolders', admin)).code, 100);
      assert.equal(await cloud.services.settings.isAppEnabled('groupfolders'), true);
      assert.equal((await call('GET', 'apps/no_such_app', admin)).code, 998);
      assert.equal((await call('GET', 'apps/no_such_app', admin, undefined, 2)).status, 404);
      assert.equal((await call('POST', 'apps/groupfolders', as('una'))).code, 403);
    });
  });
}
