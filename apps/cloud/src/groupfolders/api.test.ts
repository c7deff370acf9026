import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, TEST_ADMIN_PASSWORD, type TestCloud } from '../testing.ts';

interface Ocs {
  http: number;
  meta: { status: string; statuscode: number; message: string };
  data: any;
}

for (const dialect of testDialects()) {
  describe(`groupfolders REST API on ${dialect}`, () => {
    let cloud: TestCloud;
    const call = async (method: string, path: string, params?: Record<string, string>, user = 'admin', password = TEST_ADMIN_PASSWORD): Promise<Ocs> => {
      const res = await fetch(`${cloud.url}/index.php/apps/groupfolders${path}`, {
        method,
        headers: {
          authorization: cloud.basic(user, password),
          'ocs-apirequest': 'true',
          accept: 'application/json',
          ...(params ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(params ? { body: new URLSearchParams(params).toString() } : {}),
      });
      const body = (await res.json()) as { ocs: Omit<Ocs, 'http'> };
      return { http: res.status, ...body.ocs };
    };
    let id: number;

    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('alice', 'alice-password', ['team']);
      await cloud.createUser('bob', 'bob-password', ['other']);
      await cloud.services.users.createGroup('OpenProject');
    });
    after(() => cloud.stop());

    it('creates a folder and answers the folder object in the OCS v1 envelope', async () => {
      const created = await call('POST', '/folders', { mountpoint: 'Team' });
      assert.equal(created.http, 200);
      assert.deepEqual(created.meta, { status: 'ok', statuscode: 100, message: 'OK', totalitems: '', itemsperpage: '' });
      id = created.data.id;
      assert.deepEqual(created.data, {
        id,
        mount_point: 'Team',
        quota: -3,
        acl: false,
        acl_default_no_permission: false,
        size: 0,
        groups: [],
        group_details: [],
        manage: [],
        team_circle_id: null,
      });
    });

    it('refuses a second folder at the same mount point and unknown folders, with the app messages', async () => {
      const duplicate = await call('POST', '/folders', { mountpoint: 'Team' });
      assert.equal(duplicate.http, 200);
      assert.deepEqual([duplicate.meta.statuscode, duplicate.meta.message], [400, 'Mount point already exists']);
      const missing = await call('GET', '/folders/999');
      assert.deepEqual([missing.meta.statuscode, missing.meta.message], [404, 'Groupfolder not found']);
      const missingDelete = await call('DELETE', '/folders/999');
      assert.equal(missingDelete.meta.statuscode, 404);
    });

    it('assigns groups with permission bits, quota, ACL and managers', async () => {
      const added = await call('POST', `/folders/${id}/groups`, { group: 'team' });
      assert.equal(added.data.success, true);
      assert.deepEqual(added.data.folder.groups, { team: 31 });
      assert.deepEqual(added.data.folder.group_details, { team: { displayName: 'team', permissions: 31, type: 'group' } });
      const again = await call('POST', `/folders/${id}/groups`, { group: 'team' });
      assert.deepEqual([again.meta.statuscode, again.meta.message], [400, 'Group already assigned to this Groupfolder']);
      await call('POST', `/folders/${id}/groups`, { group: 'OpenProject' });
      const permissions = await call('POST', `/folders/${id}/groups/team`, { permissions: '7' });
      assert.deepEqual(permissions.data.folder.groups, { OpenProject: 31, team: 7 });
      assert.equal((await call('POST', `/folders/${id}/quota`, { quota: '1073741824' })).data.folder.quota, 1073741824);
      assert.equal((await call('POST', `/folders/${id}/acl`, { acl: '1' })).data.folder.acl, true);
      const managed = await call('POST', `/folders/${id}/manageACL`, { mappingType: 'user', mappingId: 'alice', manageAcl: 'true' });
      assert.deepEqual(managed.data.folder.manage, [{ type: 'user', id: 'alice', displayname: 'alice' }]);
      const removed = await call('DELETE', `/folders/${id}/groups/OpenProject`);
      assert.deepEqual(removed.data.folder.groups, { team: 7 });
    });

    it('forgets a deleted group, and refuses groups that do not exist', async () => {
      await cloud.services.users.createGroup('temporary');
      await call('POST', `/folders/${id}/groups`, { group: 'temporary' });
      await cloud.services.users.deleteGroup('temporary');
      assert.deepEqual((await call('GET', `/folders/${id}`)).data.groups, { team: 7 });
      const unknown = await call('POST', `/folders/${id}/groups`, { group: 'nobody' });
      assert.equal(unknown.meta.statuscode, 404);
    });

    it('lists folders keyed by id; members see only their groups, others nothing', async () => {
      const second = (await call('POST', '/folders', { mountpoint: 'Second' })).data.id as number;
      const list = await call('GET', '/folders');
      assert.deepEqual(Object.keys(list.data).sort(), [String(id), String(second)].sort());
      assert.equal(list.data[String(id)].mount_point, 'Team');
      const alice = await call('GET', '/folders', undefined, 'alice', 'alice-password');
      assert.deepEqual(Object.keys(alice.data), [String(id)]);
      assert.deepEqual(alice.data[String(id)].groups, { team: 7 });
      const bob = await call('GET', '/folders', undefined, 'bob', 'bob-password');
      assert.deepEqual(bob.data, []);
      assert.equal((await call('GET', `/folders/${second}`, undefined, 'alice', 'alice-password')).meta.statuscode, 404);
      await call('DELETE', `/folders/${second}`);
    });

    it('is admin-only for changes', async () => {
      const refused = await call('POST', '/folders', { mountpoint: 'Mine' }, 'alice', 'alice-password');
      assert.deepEqual([refused.meta.statuscode, refused.meta.message], [403, 'Logged in account must be an admin']);
      const acl = await call('POST', `/folders/${id}/acl`, { acl: '0' }, 'alice', 'alice-password');
      assert.equal(acl.meta.statuscode, 403);
    });

    it('renames the mount point, refusing one that exists', async () => {
      await call('POST', '/folders', { mountpoint: 'Taken' });
      const clash = await call('POST', `/folders/${id}/mountpoint`, { mountpoint: 'Taken' });
      assert.deepEqual([clash.meta.statuscode, clash.meta.message], [400, 'Mount point already exists']);
      const renamed = await call('POST', `/folders/${id}/mountpoint`, { mountpoint: 'Team Space' });
      assert.equal(renamed.data.folder.mount_point, 'Team Space');
      assert.equal((await call('PUT', `/folders/${id}`, { mountPoint: 'Team' })).data.folder.mount_point, 'Team');
    });

    it('searches the users and groups of a folder', async () => {
      const found = await call('GET', `/folders/${id}/search?search=ali`);
      assert.deepEqual(found.data, { users: [{ uid: 'alice', displayname: 'alice' }], groups: [], circles: [] });
      const groups = await call('GET', `/folders/${id}/search?search=tea`);
      assert.deepEqual(groups.data.groups, [{ gid: 'team', displayname: 'team' }]);
    });

    it('renders groups as attributed elements in XML', async () => {
      const res = await fetch(`${cloud.url}/index.php/apps/groupfolders/folders/${id}`, {
        headers: { authorization: cloud.basic('admin', TEST_ADMIN_PASSWORD), 'ocs-apirequest': 'true' },
      });
      const xml = await res.text();
      assert.match(xml, /<statuscode>100<\/statuscode>/);
      assert.match(xml, /<groups>\s*<element group_id="team" permissions="7" display-name="team" type="group"\/>\s*<\/groups>/);
    });

    it('advertises the capability to members', async () => {
      const caps = async (user: string, password: string) => {
        const res = await fetch(`${cloud.url}/ocs/v2.php/cloud/capabilities?format=json`, { headers: { authorization: cloud.basic(user, password), 'ocs-apirequest': 'true' } });
        return ((await res.json()) as { ocs: { data: { capabilities: Record<string, unknown> } } }).ocs.data.capabilities.groupfolders;
      };
      assert.deepEqual(await caps('alice', 'alice-password'), { appVersion: '20.1.7', hasGroupFolders: true });
      assert.deepEqual(await caps('bob', 'bob-password'), { appVersion: '20.1.7', hasGroupFolders: false });
    });

    it('unmounts every folder and drops the capability while the app is disabled', async () => {
      const root = `${cloud.url}/remote.php/dav/files/alice/Team`;
      const propfind = () => fetch(root, { method: 'PROPFIND', headers: { authorization: cloud.basic('alice', 'alice-password'), depth: '0' } });
      assert.equal((await propfind()).status, 207);
      await cloud.services.settings.setAppEnabled('groupfolders', false);
      assert.equal((await propfind()).status, 404);
      await cloud.services.settings.setAppEnabled('groupfolders', true);
      assert.equal((await propfind()).status, 207);
    });

    it('deletes a folder with its content', async () => {
      await fetch(`${cloud.url}/remote.php/dav/files/alice/Team/note.txt`, { method: 'PUT', headers: { authorization: cloud.basic('alice', 'alice-password') }, body: 'x' });
      assert.deepEqual((await call('DELETE', `/folders/${id}`)).data, { success: true });
      assert.equal((await call('GET', `/folders/${id}`)).meta.statuscode, 404);
      assert.equal(await cloud.services.files.repository.findByPath(`groupfolder::${id}`, 'note.txt'), undefined);
    });
  });
}
