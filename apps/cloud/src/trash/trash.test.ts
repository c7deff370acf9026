import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';
import { davClient, propValues, type DavClient } from '../dav/test-client.ts';

const FILES = '/remote.php/dav/files/erin';
const TRASH = '/remote.php/dav/trashbin/erin/trash';
const TRASH_PROPS = ['nc:trashbin-filename', 'nc:trashbin-original-location', 'nc:trashbin-deletion-time', 'oc:fileid', 'd:getcontentlength'];

for (const dialect of testDialects()) {
  describe(`trash bin on ${dialect}`, () => {
    let cloud: TestCloud;
    let erin: DavClient;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('erin', 'erin-password');
      await cloud.createUser('fay', 'fay-password');
      erin = davClient(cloud, 'erin', 'erin-password');
    });
    after(() => cloud.stop());

    const trashListing = async () => {
      const res = await erin.propfind(`${TRASH}/`, TRASH_PROPS, '1');
      assert.equal(res.status, 207);
      return res.text;
    };

    it('moves deleted files to the trash and restores them where they were, with the same file id', async () => {
      await erin.request('MKCOL', `${FILES}/docs`);
      const put = await erin.request('PUT', `${FILES}/docs/report%20%C3%BC.txt`, { body: 'quarterly' });
      assert.equal((await erin.request('DELETE', `${FILES}/docs/report%20%C3%BC.txt`)).status, 204);
      assert.equal((await erin.request('GET', `${FILES}/docs/report%20%C3%BC.txt`)).status, 404);

      const listing = await trashListing();
      const names = propValues(listing, 'nc:trashbin-filename');
      const [href] = [...names.keys()].filter((h) => h !== `${TRASH}/`);
      assert.ok(href, listing);
      assert.match(href, /^\/remote\.php\/dav\/trashbin\/erin\/trash\/report%20%c3%bc\.txt\.d\d+$/);
      assert.equal(names.get(href), 'report ü.txt');
      assert.equal(propValues(listing, 'nc:trashbin-original-location').get(href), 'docs/report ü.txt');
      assert.ok(Math.abs(Number(propValues(listing, 'nc:trashbin-deletion-time').get(href)) - Date.now() / 1000) < 60);
      assert.equal(propValues(listing, 'd:getcontentlength').get(href), '9');

      const restore = await erin.request('MOVE', href, { headers: { destination: `${cloud.url}/remote.php/dav/trashbin/erin/restore/report%20%C3%BC.txt` } });
      assert.equal(restore.status, 201);
      const back = await erin.request('GET', `${FILES}/docs/report%20%C3%BC.txt`);
      assert.equal(back.text, 'quarterly');
      assert.equal(back.headers['oc-fileid'], put.headers['oc-fileid']);
      assert.equal(propValues(await trashListing(), 'nc:trashbin-filename').size, 0);
    });

    it('deletes folders with their content and restores to the root when the original folder is gone', async () => {
      await erin.request('MKCOL', `${FILES}/tmp`);
      await erin.request('MKCOL', `${FILES}/tmp/inner`);
      await erin.request('PUT', `${FILES}/tmp/inner/a.txt`, { body: 'a' });
      await erin.request('DELETE', `${FILES}/tmp/inner`);
      await erin.request('DELETE', `${FILES}/tmp`);
      const items = [...propValues(await trashListing(), 'nc:trashbin-filename')];
      const inner = items.find(([, name]) => name === 'inner')![0];
      // Browsing inside a deleted folder works.
      const inside = await erin.propfind(inner, ['oc:fileid'], '1');
      assert.ok([...propValues(inside.text, 'oc:fileid').keys()].some((h) => h.endsWith('/a.txt')));
      const restored = await erin.request('MOVE', inner, { headers: { destination: '/remote.php/dav/trashbin/erin/restore/inner' } });
      assert.equal(restored.status, 201);
      assert.equal((await erin.request('GET', `${FILES}/inner/a.txt`)).text, 'a', 'restored at the root');
    });

    it('purges single items and empties the whole trash, freeing the content on disk', async () => {
      await erin.request('PUT', `${FILES}/gone.txt`, { body: 'bye' });
      const blobs = () => fs.readdirSync(`${cloud.services.config.filesDir}/blobs`, { recursive: true }).length;
      await erin.request('DELETE', `${FILES}/gone.txt`);
      const before = blobs();
      const [href] = [...propValues(await trashListing(), 'nc:trashbin-filename')].find(([, n]) => n === 'gone.txt')!;
      assert.equal((await erin.request('DELETE', href)).status, 204);
      assert.ok(blobs() < before, 'content removed from disk');
      await erin.request('PUT', `${FILES}/x.txt`, { body: 'x' });
      await erin.request('DELETE', `${FILES}/x.txt`);
      await erin.request('MKCOL', `${FILES}/inner/deeper`);
      await erin.request('PUT', `${FILES}/inner/deeper/y.txt`, { body: 'y' });
      await erin.request('DELETE', `${FILES}/inner`);
      const contentFiles = () => fs.readdirSync(`${cloud.services.config.filesDir}/blobs`, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
      const stored = contentFiles();
      assert.equal((await erin.request('DELETE', `${TRASH}/`)).status, 204);
      assert.equal(propValues(await trashListing(), 'nc:trashbin-filename').size, 0);
      assert.equal(contentFiles(), stored - 3, 'every file of the emptied trash, nested ones included, left the disk');
    });

    it('purges items older than 30 days in the scheduled job', async () => {
      assert.ok(cloud.services.jobs.scheduled.some((s) => s.name === 'trash.expire'));
      await erin.request('PUT', `${FILES}/old.txt`, { body: 'old' });
      await erin.request('DELETE', `${FILES}/old.txt`);
      assert.equal(await cloud.services.trash.expire(Date.now() + 29 * 24 * 3600_000), 0);
      assert.equal(await cloud.services.trash.expire(Date.now() + 31 * 24 * 3600_000), 1);
      assert.equal(propValues(await trashListing(), 'nc:trashbin-filename').size, 0);
    });

    it('keeps each user’s trash private', async () => {
      await erin.request('PUT', `${FILES}/private.txt`, { body: 'p' });
      await erin.request('DELETE', `${FILES}/private.txt`);
      const fay = davClient(cloud, 'fay', 'fay-password');
      assert.equal((await fay.propfind(`${TRASH}/`, ['oc:fileid'])).status, 404);
      const own = await fay.propfind('/remote.php/dav/trashbin/fay/trash/', ['nc:trashbin-filename']);
      assert.equal(propValues(own.text, 'nc:trashbin-filename').size, 0);
    });
  });
}
