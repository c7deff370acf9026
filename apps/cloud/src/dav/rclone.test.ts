import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { tempDir, testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';

const exec = promisify(execFile);

/** A local tree of 220 files: nested folders, spaces, non-ASCII names, one 100 MiB file; whole-second mtimes. */
function makeTree(root: string): void {
  const dirs = ['', 'docs', 'docs/Überblick', 'photos 2024', 'photos 2024/été', 'ñandú', 'deep/a/b/c'];
  for (const dir of dirs) fs.mkdirSync(path.join(root, dir), { recursive: true });
  let n = 0;
  for (let i = 0; i < 219; i += 1) {
    const dir = dirs[i % dirs.length]!;
    const name = i % 3 === 0 ? `file ${i}.txt` : i % 3 === 1 ? `Grüße-${i} ä ö.md` : `日本語 ${i}.bin`;
    const file = path.join(root, dir, name);
    fs.writeFileSync(file, crypto.randomBytes(i * 37));
    const seconds = 1_600_000_000 + i * 1000;
    fs.utimesSync(file, seconds, seconds);
    n += 1;
  }
  const big = path.join(root, 'big file ü.bin');
  const fd = fs.openSync(big, 'w');
  for (let i = 0; i < 100; i += 1) fs.writeSync(fd, crypto.randomBytes(1024 * 1024));
  fs.closeSync(fd);
  fs.utimesSync(big, 1_650_000_000, 1_650_000_000);
  assert.equal(n + 1, 220);
}

for (const dialect of testDialects()) {
  describe(`rclone (webdav, vendor nextcloud) against Cloud on ${dialect}`, () => {
    let cloud: TestCloud;
    let env: NodeJS.ProcessEnv;
    const work = tempDir('rclone-');
    const source = path.join(work, 'source');
    const back = path.join(work, 'back');
    const rclone = async (...args: string[]) => (await exec('rclone', ['--config', '/dev/null', ...args], { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
    /** `rclone lsl` lines (size, mtime, path), sorted; sub-second digits dropped (DAV keeps seconds). */
    const lsl = async (target: string) =>
      (await rclone('lsl', target))
        .split('\n')
        .filter(Boolean)
        .map((l) => l.trim().replace(/\.\d{9}/, ''))
        .sort();

    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('rita', 'rita-password-1');
      const { stdout: obscured } = await exec('rclone', ['obscure', 'rita-password-1']);
      env = {
        ...process.env,
        RCLONE_CONFIG_NC_TYPE: 'webdav',
        RCLONE_CONFIG_NC_URL: `${cloud.url}/remote.php/dav/files/rita`,
        RCLONE_CONFIG_NC_VENDOR: 'nextcloud',
        RCLONE_CONFIG_NC_USER: 'rita',
        RCLONE_CONFIG_NC_PASS: obscured.trim(),
      };
      makeTree(source);
    });
    after(async () => {
      await cloud.stop();
      fs.rmSync(work, { recursive: true, force: true });
    });

    it('copies a tree up and back with identical content and modification times', async () => {
      await rclone('copy', source, 'nc:tree');
      const check = await exec('rclone', ['--config', '/dev/null', 'check', source, 'nc:tree'], { env }).catch((e: { stderr: string }) => e);
      assert.match(check.stderr, / 0 differences found/, check.stderr);
      assert.match(check.stderr, /220 matching files/, check.stderr);
      assert.deepEqual(await lsl('nc:tree'), await lsl(source), 'sizes and mtimes kept on the server');

      await rclone('copy', 'nc:tree', back);
      const local = await exec('rclone', ['--config', '/dev/null', 'check', source, back], { env }).catch((e: { stderr: string }) => e);
      assert.match(local.stderr, / 0 differences found/, local.stderr);
      assert.deepEqual(await lsl(back), await lsl(source), 'sizes and mtimes kept on the way back');
    });

    it('transfers nothing on a second sync, and supports moveto, copyto, ranged reads, about and purge', async () => {
      const sync = await exec('rclone', ['--config', '/dev/null', 'sync', source, 'nc:tree', '-v', '--stats-one-line'], { env });
      assert.doesNotMatch(sync.stderr, /: Copied/, sync.stderr);
      await rclone('moveto', 'nc:tree/file 0.txt', 'nc:tree/moved 0.txt');
      assert.deepEqual((await lsl('nc:tree/moved 0.txt')).length, 1);
      await rclone('copyto', 'nc:tree/photos 2024/file 3.txt', 'nc:tree/copy 3.txt');
      const original = fs.readFileSync(path.join(source, 'photos 2024/file 3.txt'));
      const ranged = await exec('rclone', ['--config', '/dev/null', 'cat', 'nc:tree/copy 3.txt', '--offset', '1', '--count', '3'], { env, encoding: 'buffer' });
      assert.deepEqual(ranged.stdout, original.subarray(1, 4));
      const about = await rclone('about', 'nc:', '--json');
      assert.ok(JSON.parse(about).used >= 100 * 1024 * 1024);
      await rclone('purge', 'nc:tree');
      assert.equal((await rclone('lsf', 'nc:')).trim(), '');
    });
  });
}
