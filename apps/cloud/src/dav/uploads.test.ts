import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';
import { davClient, propValues, type DavClient } from './test-client.ts';
import { cleanupUploads } from './uploads.ts';

const FILES = '/remote.php/dav/files/carol';
const UPLOADS = '/remote.php/dav/uploads/carol';

for (const dialect of testDialects()) {
  describe(`chunked uploads on ${dialect}`, () => {
    let cloud: TestCloud;
    let carol: DavClient;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('carol', 'carol-password');
      await cloud.createUser('dan', 'dan-password');
      carol = davClient(cloud, 'carol', 'carol-password');
    });
    after(() => cloud.stop());

    it('assembles v1 chunks (nextcloudcmd’s names) in order into the target and removes the staging folder', async () => {
      const parts = [crypto.randomBytes(3000), crypto.randomBytes(3000), crypto.randomBytes(1234)];
      const whole = Buffer.concat(parts);
      assert.equal((await carol.request('MKCOL', `${UPLOADS}/540932084`, { headers: { 'oc-total-length': String(whole.length) } })).status, 201);
      // Upload out of order: assembly sorts by name.
      for (const i of [2, 0, 1]) {
        const res = await carol.request('PUT', `${UPLOADS}/540932084/${String(i).padStart(16, '0')}`, { body: parts[i]!, headers: { 'oc-chunk-offset': String(i * 3000) } });
        assert.equal(res.status, 201);
      }
      const listing = await carol.propfind(`${UPLOADS}/540932084`, ['d:getcontentlength'], '1');
      assert.equal(propValues(listing.text, 'd:getcontentlength').size, 3, 'a client can see which chunks arrived');
      await carol.request('MKCOL', `${FILES}/sub`);
      const move = await carol.request('MOVE', `${UPLOADS}/540932084/.file`, {
        headers: {
          destination: `${FILES}/sub/big.bin`,
          'oc-total-length': String(whole.length),
          'x-oc-mtime': '1700000000',
          'oc-checksum': 'SHA1:abc',
        },
      });
      assert.equal(move.status, 201);
      assert.ok(move.headers.etag);
      assert.equal(move.headers['oc-etag'], move.headers.etag);
      assert.ok(move.headers['oc-fileid']);
      assert.equal(move.headers['x-oc-mtime'], 'accepted');
      const raw = await fetch(`${cloud.url}${FILES}/sub/big.bin`, { headers: { authorization: cloud.basic('carol', 'carol-password') } });
      assert.deepEqual(Buffer.from(await raw.arrayBuffer()), whole);
      assert.equal(raw.headers.get('oc-checksum'), 'SHA1:abc');
      assert.equal((await carol.request('PROPFIND', `${UPLOADS}/540932084`, { headers: { depth: '0' } })).status, 404);

      // A second upload onto the same path keeps the file id (204).
      await carol.request('MKCOL', `${UPLOADS}/77`);
      await carol.request('PUT', `${UPLOADS}/77/0000000000000000`, { body: 'new content' });
      const replace = await carol.request('MOVE', `${UPLOADS}/77/.file`, { headers: { destination: `${cloud.url}${FILES}/sub/big.bin` } });
      assert.equal(replace.status, 204);
      assert.equal(replace.headers['oc-fileid'], move.headers['oc-fileid']);
      assert.equal((await carol.request('GET', `${FILES}/sub/big.bin`)).text, 'new content');
    });

    it('assembles v2 chunks numerically and validates names and the total length', async () => {
      const destination = `${cloud.url}${FILES}/v2.txt`;
      const headers = { destination };
      await carol.request('MKCOL', `${UPLOADS}/web-123`, { headers });
      assert.equal((await carol.request('PUT', `${UPLOADS}/web-123/0`, { body: 'x', headers })).status, 400);
      assert.equal((await carol.request('PUT', `${UPLOADS}/web-123/10001`, { body: 'x', headers })).status, 400);
      for (const [name, body] of [['10', 'c'], ['2', 'b'], ['1', 'a']] as const) {
        assert.equal((await carol.request('PUT', `${UPLOADS}/web-123/${name}`, { body, headers })).status, 201);
      }
      const wrong = await carol.request('MOVE', `${UPLOADS}/web-123/.file`, { headers: { ...headers, 'oc-total-length': '5' } });
      assert.equal(wrong.status, 400);
      assert.match(wrong.text, /Chunks on server do not sum up to 5 but to 3 bytes/);
      const ok = await carol.request('MOVE', `${UPLOADS}/web-123/.file`, { headers: { ...headers, 'oc-total-length': '3' } });
      assert.equal(ok.status, 201);
      assert.equal((await carol.request('GET', `${FILES}/v2.txt`)).text, 'abc');
    });

    it('refuses files at the staging root, other users’ staging, and moves into other trees', async () => {
      assert.equal((await carol.request('PUT', `${UPLOADS}/loose.bin`, { body: 'x' })).status, 403);
      assert.equal((await carol.request('MKCOL', '/remote.php/dav/uploads/dan/1')).status, 404);
      await carol.request('MKCOL', `${UPLOADS}/9`);
      await carol.request('PUT', `${UPLOADS}/9/0`, { body: 'x' });
      assert.equal((await carol.request('MOVE', `${UPLOADS}/9/.file`, { headers: { destination: '/remote.php/dav/files/dan/x.bin' } })).status, 403);
      assert.equal((await carol.request('DELETE', `${UPLOADS}/9`)).status, 204, 'a client can abort an upload');
    });

    it('cleans upload folders idle for more than a day in the scheduled job', async () => {
      assert.ok(cloud.services.jobs.handlers['files.cleanup-uploads']);
      assert.ok(cloud.services.jobs.scheduled.some((s) => s.name === 'files.cleanup-uploads'));
      await carol.request('MKCOL', `${UPLOADS}/abandoned`);
      await carol.request('PUT', `${UPLOADS}/abandoned/0`, { body: 'stale' });
      assert.equal(await cleanupUploads(cloud.services), 0, 'fresh folders stay');
      assert.equal(await cleanupUploads(cloud.services, Date.now() + 25 * 3600_000), 1);
      assert.equal((await carol.request('PROPFIND', `${UPLOADS}/abandoned`, { headers: { depth: '0' } })).status, 404);
    });
  });
}
