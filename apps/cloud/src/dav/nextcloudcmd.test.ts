import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { tempDir, testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';
import { davClient, propValues, type DavClient } from './test-client.ts';

const exec = promisify(execFile);
const FILES = '/remote.php/dav/files/nick';

/** The desktop sync engine, isolated in its own HOME; returns the requests it logged (method + path). */
async function sync(cloud: TestCloud, local: string, home: string): Promise<{ method: string; path: string }[]> {
  const result = await exec('nextcloudcmd', ['--non-interactive', '-u', 'nick', '-p', 'nick-password-1', local, cloud.url], {
    env: { ...process.env, HOME: home },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { code: number; stdout: string; stderr: string }) => {
    throw new Error(`nextcloudcmd exited ${error.code}:\n${error.stderr.slice(-4000)}`);
  });
  const log = result.stdout + result.stderr;
  assert.doesNotMatch(log, /Missing ETag from server|Missing File ID from server|did not acknowledge the last chunk/);
  return [...log.matchAll(/accessmanager \]:\s+\d+ "(\w+)" "([^"]+)"/g)].map((m) => ({ method: m[1]!, path: new URL(m[2]!).pathname }));
}

const transfers = (requests: { method: string; path: string }[]) =>
  requests.filter((r) => ['PUT', 'GET', 'MOVE', 'DELETE', 'MKCOL', 'COPY'].includes(r.method) && r.path.startsWith('/remote.php/dav/'));

for (const dialect of testDialects()) {
  describe(`nextcloudcmd (desktop sync engine) against Cloud on ${dialect}`, () => {
    let cloud: TestCloud;
    let nick: DavClient;
    const work = tempDir('nextcloudcmd-');
    const local = path.join(work, 'local');
    const home = path.join(work, 'home');
    const big = crypto.randomBytes(25_000_000);

    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('nick', 'nick-password-1');
      nick = davClient(cloud, 'nick', 'nick-password-1');
      fs.mkdirSync(path.join(local, 'sub'), { recursive: true });
      fs.mkdirSync(path.join(local, 'Ünïcode dir'), { recursive: true });
      fs.mkdirSync(home);
      fs.writeFileSync(path.join(local, 'a.txt'), 'hello');
      fs.writeFileSync(path.join(local, 'sub', 'big.bin'), big);
      fs.writeFileSync(path.join(local, 'Ünïcode dir', 'x y.txt'), 'spaces and umlauts');
      await nick.request('MKCOL', `${FILES}/from-server`);
      await nick.request('PUT', `${FILES}/from-server/r.txt`, { body: 'made on the server' });
    });
    after(async () => {
      await cloud.stop();
      fs.rmSync(work, { recursive: true, force: true });
    });

    it('syncs both ways, uploading the big file in chunks', async () => {
      const requests = await sync(cloud, local, home);
      assert.ok(requests.some((r) => r.method === 'MKCOL' && r.path.startsWith('/remote.php/dav/uploads/nick/')), 'chunked upload used');
      const remoteBig = await fetch(`${cloud.url}${FILES}/sub/big.bin`, { headers: { authorization: cloud.basic('nick', 'nick-password-1') } });
      assert.deepEqual(Buffer.from(await remoteBig.arrayBuffer()), big);
      assert.equal((await nick.request('GET', `${FILES}/%C3%9Cn%C3%AFcode%20dir/x%20y.txt`)).text, 'spaces and umlauts');
      assert.equal(fs.readFileSync(path.join(local, 'from-server', 'r.txt'), 'utf8'), 'made on the server');
    });

    it('transfers nothing on a second run', async () => {
      const before = await nick.propfind(`${FILES}/`, ['d:getetag'], 'infinity');
      const requests = await sync(cloud, local, home);
      assert.deepEqual(transfers(requests), []);
      const after = await nick.propfind(`${FILES}/`, ['d:getetag'], 'infinity');
      assert.deepEqual(propValues(after.text, 'd:getetag'), propValues(before.text, 'd:getetag'));
    });

    it('carries a local edit, rename and delete to the server (the rename as a MOVE keeping the file id)', async () => {
      const idBefore = propValues((await nick.propfind(`${FILES}/%C3%9Cn%C3%AFcode%20dir/x%20y.txt`, ['oc:fileid'], '0')).text, 'oc:fileid');
      fs.writeFileSync(path.join(local, 'a.txt'), 'hello, edited locally');
      fs.renameSync(path.join(local, 'Ünïcode dir', 'x y.txt'), path.join(local, 'Ünïcode dir', 'renamed.txt'));
      fs.rmSync(path.join(local, 'from-server', 'r.txt'));
      const requests = await sync(cloud, local, home);
      assert.ok(requests.some((r) => r.method === 'MOVE'), 'rename sent as MOVE');
      assert.equal((await nick.request('GET', `${FILES}/a.txt`)).text, 'hello, edited locally');
      assert.equal((await nick.request('GET', `${FILES}/%C3%9Cn%C3%AFcode%20dir/x%20y.txt`)).status, 404);
      const idAfter = propValues((await nick.propfind(`${FILES}/%C3%9Cn%C3%AFcode%20dir/renamed.txt`, ['oc:fileid'], '0')).text, 'oc:fileid');
      assert.deepEqual([...idAfter.values()], [...idBefore.values()]);
      assert.equal((await nick.request('GET', `${FILES}/from-server/r.txt`)).status, 404);
      const trash = await nick.propfind('/remote.php/dav/trashbin/nick/trash/', ['nc:trashbin-filename']);
      assert.ok([...propValues(trash.text, 'nc:trashbin-filename').values()].includes('r.txt'), 'the deleted file waits in the trash');
    });

    it('carries a server-side edit, rename and delete to the local folder', async () => {
      await nick.request('PUT', `${FILES}/a.txt`, { body: 'edited on the server, longer' });
      await nick.request('MOVE', `${FILES}/%C3%9Cn%C3%AFcode%20dir/renamed.txt`, { headers: { destination: `${FILES}/moved%20on%20server.txt` } });
      await nick.request('DELETE', `${FILES}/sub/big.bin`);
      await sync(cloud, local, home);
      assert.equal(fs.readFileSync(path.join(local, 'a.txt'), 'utf8'), 'edited on the server, longer');
      assert.equal(fs.readFileSync(path.join(local, 'moved on server.txt'), 'utf8'), 'spaces and umlauts');
      assert.ok(!fs.existsSync(path.join(local, 'Ünïcode dir', 'renamed.txt')));
      assert.ok(!fs.existsSync(path.join(local, 'sub', 'big.bin')));
    });
  });
}
