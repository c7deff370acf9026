import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { tempDir, testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';

const run = promisify(execFile);

/** `<- summary for `basic': of 16 tests run: 16 passed, 0 failed. 100.0%` → per suite counts. */
function summaries(output: string): Map<string, { run: number; passed: number; failed: number }> {
  const result = new Map<string, { run: number; passed: number; failed: number }>();
  for (const m of output.matchAll(/<- summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed/g)) {
    result.set(m[1]!, { run: Number(m[2]), passed: Number(m[3]), failed: Number(m[4]) });
  }
  return result;
}

for (const dialect of testDialects()) {
  describe(`litmus against Cloud on ${dialect}`, () => {
    let cloud: TestCloud;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('litmus', 'litmus-password');
    });
    after(() => cloud.stop());

    for (const root of ['/remote.php/dav/files/litmus/', '/remote.php/webdav/']) {
      it(`passes basic, copymove, props and http in full at ${root} (locks skipped)`, async () => {
        // -k runs every suite; its exit status is not meaningful, the summary lines are.
        const { stdout } = await run('litmus', ['-k', `${cloud.url}${root}`, 'litmus', 'litmus-password'], {
          cwd: tempDir('litmus-'),
          maxBuffer: 16 * 1024 * 1024,
        }).catch((error: { stdout: string }) => error);
        const suites = summaries(stdout);
        for (const suite of ['basic', 'copymove', 'props', 'http', 'locks']) {
          const summary = suites.get(suite);
          assert.ok(summary, `${suite} ran:\n${stdout}`);
          assert.equal(summary.failed, 0, `${suite} failures:\n${stdout}`);
          assert.equal(summary.passed, summary.run, suite);
        }
        assert.match(stdout, /locking tests skipped,\s*server does not claim Class 2 compliance/);
      });
    }
  });
}
