import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { tempDir, testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';

const run = promisify(execFile);

for (const dialect of testDialects()) {
  describe(`litmus inside a group folder with ACL on ${dialect}`, () => {
    let cloud: TestCloud;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('litmus', 'litmus-password', ['team']);
      const { groupFolders } = cloud.services;
      const id = (await groupFolders.create('Team')).folder.id;
      await groupFolders.addGroup(id, 'team');
      await groupFolders.setAcl(id, true);
      // A rule on the folder root, so every request goes through ACL evaluation.
      const root = (await cloud.services.files.repository.findByPath(`groupfolder::${id}`, ''))!;
      await groupFolders.repository.replaceRules(id, root.id, [{ mappingType: 'group', mappingId: 'team', mask: 31, permissions: 31 }]);
    });
    after(() => cloud.stop());

    it('passes basic, copymove, props and http in full at /remote.php/dav/files/litmus/Team/', async () => {
      const { stdout } = await run('litmus', ['-k', `${cloud.url}/remote.php/dav/files/litmus/Team/`, 'litmus', 'litmus-password'], {
        cwd: tempDir('litmus-gf-'),
        maxBuffer: 16 * 1024 * 1024,
      }).catch((error: { stdout: string }) => error);
      for (const suite of ['basic', 'copymove', 'props', 'http']) {
        const summary = new RegExp(`<- summary for \`${suite}': of (\\d+) tests run: (\\d+) passed, (\\d+) failed`).exec(stdout);
        assert.ok(summary, `${suite} ran:\n${stdout}`);
        assert.equal(summary[3], '0', `${suite} failures:\n${stdout}`);
        assert.equal(summary[2], summary[1], suite);
      }
    });
  });
}
