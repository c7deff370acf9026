import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { occAgainst } from '../cli/occ-testing.ts';
import { startTestCloud, type TestCloud } from '../testing.ts';
import { davClient, propValues } from '../dav/test-client.ts';

for (const dialect of testDialects()) {
  describe(`occ groupfolders:* on ${dialect}`, () => {
    let cloud: TestCloud;
    let occ: (...args: string[]) => Promise<string>;
    let restore: () => void;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('alice', 'alice-password', ['team']);
      ({ occ, restore } = occAgainst(cloud));
    });
    after(async () => {
      restore();
      await cloud.stop();
    });

    it('creates a folder, gives a group named permissions, enables ACL with a manager, and lists it', async () => {
      const id = await occ('groupfolders:create', 'Handbook');
      assert.match(id, /^\d+$/);
      await occ('groupfolders:group', id, 'team', 'read', 'write');
      assert.match(await occ('groupfolders:permissions', id, '--enable', '--manage-add', '--user', 'alice'), /enabled; managers: user:alice/);
      const [folder] = JSON.parse(await occ('groupfolders:list', '--output', 'json'));
      assert.deepEqual(folder, {
        id: Number(id),
        mount_point: 'Handbook',
        groups: { team: 3 },
        quota: -3,
        size: 0,
        acl: true,
        manage: [{ type: 'user', id: 'alice', displayname: 'alice' }],
      });
      assert.match(await occ('groupfolders:list'), /Handbook \(groups: team: read, write; quota: unlimited; acl: on\)/);
      // The running server sees what occ wrote: the folder is mounted read/write for alice.
      const res = await davClient(cloud, 'alice', 'alice-password').propfind('/remote.php/dav/files/alice/Handbook', ['oc:permissions', 'nc:acl-can-manage'], '0');
      assert.equal(propValues(res.text, 'oc:permissions').get('/remote.php/dav/files/alice/Handbook/'), 'MGNV');
      assert.equal(propValues(res.text, 'nc:acl-can-manage').get('/remote.php/dav/files/alice/Handbook/'), '1');
      await occ('groupfolders:group', id, 'team', '--delete');
      assert.equal((await davClient(cloud, 'alice', 'alice-password').propfind('/remote.php/dav/files/alice/Handbook', ['oc:fileid'], '0')).status, 404);
    });

    it('refuses unknown permission names', async () => {
      const id = await occ('groupfolders:create', 'Other');
      await assert.rejects(occ('groupfolders:group', id, 'team', 'fly'), /Unknown permission "fly"/);
    });
  });
}
