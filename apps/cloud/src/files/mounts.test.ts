import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';
import { davClient, propValues, type DavClient } from '../dav/test-client.ts';
import { isWithin } from './paths.ts';
import { PERMISSION, type Mount, type MountProvider } from './types.ts';

/** A group-folder-like provider: `groupfolder::1` at `Team` for members of `team`, with per-path rules. */
const rules: Record<string, number> = { secret: 0, 'hidden.txt': 0, readonly: PERMISSION.read };
const provider = (cloud: TestCloud): MountProvider => ({
  async mountsFor(user) {
    if (!(await cloud.services.users.repository.groupsOf('group_members', user.id)).includes('team')) return [];
    const mount: Mount = {
      mountPoint: 'Team',
      storage: 'groupfolder::1',
      root: '',
      mountType: 'group',
      permissions: (path) => {
        for (const [prefix, bits] of Object.entries(rules)) if (isWithin(path, prefix)) return bits;
        return PERMISSION.all;
      },
    };
    return [mount];
  },
});

const ROOT = '/remote.php/dav/files/alice';

for (const dialect of testDialects()) {
  describe(`mounts and permissions (the group-folder extension point) on ${dialect}`, () => {
    let cloud: TestCloud;
    let alice: DavClient;
    let bob: DavClient;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('alice', 'alice-password', ['team']);
      await cloud.createUser('bob', 'bob-password', ['team']);
      cloud.services.files.addMountProvider(provider(cloud));
      alice = davClient(cloud, 'alice', 'alice-password');
      bob = davClient(cloud, 'bob', 'bob-password');
      // Content the rules hide or protect, created behind the permission layer.
      const admin = await cloud.services.files.storageView({ id: 'admin', displayName: 'admin' }, 'groupfolder::1');
      for (const dir of ['secret', 'readonly']) await admin.mkdir(dir);
      await admin.write('secret/plans.txt', Readable.from([Buffer.from('top secret')]));
      await admin.write('readonly/rules.txt', Readable.from([Buffer.from('read me')]));
      await admin.write('hidden.txt', Readable.from([Buffer.from('not for members')]));
    });
    after(() => cloud.stop());

    it('shows the mount in the home root with group letters and mount properties', async () => {
      const res = await alice.propfind(`${ROOT}/`, ['oc:permissions', 'nc:mount-type', 'nc:is-mount-root'], '1');
      assert.equal(propValues(res.text, 'oc:permissions').get(`${ROOT}/Team/`), 'RMGDNVCK');
      assert.equal(propValues(res.text, 'nc:mount-type').get(`${ROOT}/Team/`), 'group');
      assert.equal(propValues(res.text, 'nc:is-mount-root').get(`${ROOT}/Team/`), 'true');
      assert.equal(propValues(res.text, 'oc:permissions').get(`${ROOT}/`), 'RGDNVCK');
    });

    it('shares content between members through the mount', async () => {
      assert.equal((await alice.request('PUT', `${ROOT}/Team/shared.txt`, { body: 'for the team' })).status, 201);
      assert.equal((await bob.request('GET', '/remote.php/dav/files/bob/Team/shared.txt')).text, 'for the team');
    });

    it('hides what a member may not read, everywhere', async () => {
      const depth1 = await alice.propfind(`${ROOT}/Team`, ['oc:fileid'], '1');
      assert.ok(![...propValues(depth1.text, 'oc:fileid').keys()].some((h) => h.includes('secret')));
      const infinity = await alice.propfind(`${ROOT}/`, ['oc:fileid'], 'infinity');
      assert.ok(![...propValues(infinity.text, 'oc:fileid').keys()].some((h) => h.includes('secret')));
      assert.ok([...propValues(infinity.text, 'oc:fileid').keys()].includes(`${ROOT}/Team/readonly/rules.txt`));
      assert.equal((await alice.request('GET', `${ROOT}/Team/secret/plans.txt`)).status, 404);
      assert.equal((await alice.request('PUT', `${ROOT}/Team/secret/plans.txt`, { body: 'x' })).status, 404);
      assert.equal((await alice.request('COPY', `${ROOT}/Team/secret/plans.txt`, { headers: { destination: `${ROOT}/stolen.txt` } })).status, 404);
    });

    it('never replaces a node the member cannot see', async () => {
      assert.equal((await alice.request('GET', `${ROOT}/Team/hidden.txt`)).status, 404);
      assert.equal((await alice.request('PUT', `${ROOT}/Team/hidden.txt`, { body: 'overwrite?' })).status, 403);
      await alice.request('PUT', `${ROOT}/Team/decoy.txt`, { body: 'decoy' });
      assert.equal((await alice.request('MOVE', `${ROOT}/Team/decoy.txt`, { headers: { destination: `${ROOT}/Team/hidden.txt` } })).status, 403);
      assert.equal((await alice.request('COPY', `${ROOT}/Team/decoy.txt`, { headers: { destination: `${ROOT}/Team/hidden.txt` } })).status, 403);
      const admin = await cloud.services.files.storageView({ id: 'admin', displayName: 'admin' }, 'groupfolder::1');
      const node = (await admin.get('hidden.txt')).node;
      assert.equal(node.size, 'not for members'.length, 'content untouched');
    });

    it('enforces read-only exactly as the letters say', async () => {
      const res = await alice.propfind(`${ROOT}/Team/readonly`, ['oc:permissions'], '1');
      assert.equal(propValues(res.text, 'oc:permissions').get(`${ROOT}/Team/readonly/`), 'MG');
      assert.equal(propValues(res.text, 'oc:permissions').get(`${ROOT}/Team/readonly/rules.txt`), 'MG');
      assert.equal((await alice.request('GET', `${ROOT}/Team/readonly/rules.txt`)).text, 'read me');
      assert.equal((await alice.request('PUT', `${ROOT}/Team/readonly/rules.txt`, { body: 'changed' })).status, 403);
      assert.equal((await alice.request('PUT', `${ROOT}/Team/readonly/new.txt`, { body: 'new' })).status, 403);
      assert.equal((await alice.request('MKCOL', `${ROOT}/Team/readonly/sub`)).status, 403);
      assert.equal((await alice.request('DELETE', `${ROOT}/Team/readonly/rules.txt`)).status, 403);
      assert.equal((await alice.request('MOVE', `${ROOT}/Team/readonly/rules.txt`, { headers: { destination: `${ROOT}/taken.txt` } })).status, 403);
      assert.equal((await alice.request('DELETE', `${ROOT}/Team/readonly`)).status, 403);
      assert.equal((await alice.request('GET', `${ROOT}/Team/readonly/rules.txt`)).text, 'read me');
    });

    it('refuses to delete or move the mount root, and changes the home etag when the mount changes', async () => {
      assert.equal((await alice.request('DELETE', `${ROOT}/Team`)).status, 403);
      assert.equal((await alice.request('MOVE', `${ROOT}/Team`, { headers: { destination: `${ROOT}/Elsewhere` } })).status, 403);
      const before = propValues((await alice.propfind(`${ROOT}/`, ['d:getetag'], '0')).text, 'd:getetag').get(`${ROOT}/`);
      await bob.request('PUT', '/remote.php/dav/files/bob/Team/by-bob.txt', { body: 'b' });
      const after = propValues((await alice.propfind(`${ROOT}/`, ['d:getetag'], '0')).text, 'd:getetag').get(`${ROOT}/`);
      assert.notEqual(after, before);
    });

    it('moves files between the home and a mount keeping the file id', async () => {
      const put = await alice.request('PUT', `${ROOT}/mine.txt`, { body: 'moving in' });
      const moved = await alice.request('MOVE', `${ROOT}/mine.txt`, { headers: { destination: `${ROOT}/Team/mine.txt` } });
      assert.equal(moved.status, 201);
      assert.equal(moved.headers['oc-fileid'], put.headers['oc-fileid']);
      assert.equal((await bob.request('GET', '/remote.php/dav/files/bob/Team/mine.txt')).text, 'moving in');
    });
  });
}
