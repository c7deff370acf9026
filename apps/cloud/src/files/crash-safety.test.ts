import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir, testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';
import { davClient } from '../dav/test-client.ts';
import { BlobStore } from './blobs.ts';

describe('blob store start-up', () => {
  it('drops temp files a killed process left behind, keeps uploads in flight and finished content', async () => {
    const root = tempDir('blobs-');
    const store = new BlobStore(root);
    await store.init();
    const key = await store.emptyBlob();
    const abandoned = path.join(root, 'tmp', 'half-written-upload');
    fs.writeFileSync(abandoned, 'partial');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(abandoned, twoHoursAgo, twoHoursAgo);
    // Another web process sharing the store is writing this one right now.
    fs.writeFileSync(path.join(root, 'tmp', 'upload-in-flight'), 'streaming');
    await new BlobStore(root).init();
    assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), ['upload-in-flight']);
    assert.ok(fs.existsSync(store.pathOf(key)));
    fs.rmSync(root, { recursive: true, force: true });
  });
});

for (const dialect of testDialects()) {
  describe(`interrupted uploads on ${dialect}`, () => {
    let cloud: TestCloud;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('ivy', 'ivy-password');
    });
    after(() => cloud.stop());

    it('never shows half a file when the client disconnects mid-upload, and keeps the old version', async () => {
      const ivy = davClient(cloud, 'ivy', 'ivy-password');
      await ivy.request('PUT', '/remote.php/dav/files/ivy/doc.txt', { body: 'version 1' });
      const { port } = new URL(cloud.url);
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          socket.write(
            `PUT /remote.php/dav/files/ivy/doc.txt HTTP/1.1\r\nHost: x\r\nAuthorization: ${cloud.basic('ivy', 'ivy-password')}\r\nContent-Length: 100000\r\n\r\n`,
          );
          socket.write(Buffer.alloc(5000, 7), () => socket.destroy());
        });
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
      });
      const tmp = path.join(cloud.services.config.filesDir, 'tmp');
      // The server notices the abort asynchronously; wait (bounded) until its temp file is gone.
      for (let i = 0; i < 200 && fs.readdirSync(tmp).length > 0; i += 1) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(fs.readdirSync(tmp), []);
      assert.equal((await ivy.request('GET', '/remote.php/dav/files/ivy/doc.txt')).text, 'version 1');
    });

    it('sweeps content no file refers to (a crash between content and metadata) in a scheduled job', async () => {
      assert.ok(cloud.services.jobs.scheduled.some((s) => s.name === 'files.sweep-blobs'));
      const blobs = cloud.services.files.blobs;
      const orphan = await blobs.emptyBlob();
      const old = new Date(Date.now() - 2 * 3600_000);
      fs.utimesSync(blobs.pathOf(orphan), old, old);
      const fresh = await blobs.emptyBlob();
      const view = await cloud.services.files.viewFor({ id: 'ivy', displayName: 'ivy' });
      const kept = (await view.get('doc.txt')).node.blob!;
      fs.utimesSync(blobs.pathOf(kept), old, old);
      assert.equal(await cloud.services.files.sweepBlobs(), 1);
      assert.ok(!fs.existsSync(blobs.pathOf(orphan)));
      assert.ok(fs.existsSync(blobs.pathOf(fresh)), 'content younger than the grace period may be an upload being committed');
      assert.equal((await davClient(cloud, 'ivy', 'ivy-password').request('GET', '/remote.php/dav/files/ivy/doc.txt')).text, 'version 1');
    });
  });
}
