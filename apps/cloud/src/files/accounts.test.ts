import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';
import { davClient, propValues } from '../dav/test-client.ts';

for (const dialect of testDialects()) {
  describe(`files of deleted accounts on ${dialect}`, () => {
    let cloud: TestCloud;
    before(async () => {
      cloud = await startTestCloud(dialect);
    });
    after(() => cloud.stop());

    it('removes a deleted user’s files, trash and content, so a new account with the same id starts empty', async () => {
      await cloud.createUser('zoe', 'zoe-password');
      const zoe = davClient(cloud, 'zoe', 'zoe-password');
      await zoe.request('MKCOL', '/remote.php/dav/files/zoe/private');
      await zoe.request('PUT', '/remote.php/dav/files/zoe/private/diary.txt', { body: 'dear diary' });
      await zoe.request('PUT', '/remote.php/dav/files/zoe/old.txt', { body: 'old' });
      await zoe.request('DELETE', '/remote.php/dav/files/zoe/old.txt');
      const blobDir = `${cloud.services.config.filesDir}/blobs`;
      const contentFiles = () => fs.readdirSync(blobDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
      assert.equal(contentFiles(), 2);

      await cloud.services.users.delete('zoe');
      assert.equal(contentFiles(), 0);
      await cloud.createUser('zoe', 'new-zoe-password');
      const again = davClient(cloud, 'zoe', 'new-zoe-password');
      const listing = await again.propfind('/remote.php/dav/files/zoe/', ['oc:fileid'], 'infinity');
      assert.deepEqual([...propValues(listing.text, 'oc:fileid').keys()], ['/remote.php/dav/files/zoe/']);
      const trash = await again.propfind('/remote.php/dav/trashbin/zoe/trash/', ['nc:trashbin-filename']);
      assert.equal(propValues(trash.text, 'nc:trashbin-filename').size, 0);
    });
  });
}
