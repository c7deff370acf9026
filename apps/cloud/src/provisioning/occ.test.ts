import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { occAgainst } from '../cli/occ-testing.ts';
import { startTestCloud, type TestCloud } from '../testing.ts';

for (const dialect of testDialects()) {
  describe(`occ account commands on ${dialect}`, () => {
    let cloud: TestCloud;
    let cli: ReturnType<typeof occAgainst>;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('sam', 'sam-password', ['staff']);
      await cloud.services.users.setSubadmin('staff', 'sam', true);
      cli = occAgainst(cloud);
    });
    after(async () => {
      cli.restore();
      await cloud.stop();
    });

    /** Run `occ …` in-process against the test Cloud's database and return what it printed. */
    const occ = (...args: string[]): Promise<string> => cli.occ(...args);

    it('user:info shows groups, sub-admin groups and quota, as plain text or JSON', async () => {
      const info = JSON.parse(await occ('user:info', 'sam', '--output', 'json'));
      assert.equal(info.user_id, 'sam');
      assert.deepEqual(info.groups, ['staff']);
      assert.deepEqual(info.subadmin, ['staff']);
      assert.equal(info.quota, 'none');
      assert.equal(info.enabled, true);
      const plain = await occ('user:info', 'sam');
      assert.match(plain, /^ {2}- user_id: sam$/m);
      assert.match(plain, /^ {2}- groups:\n {4}- staff$/m);
    });

    it('group:list shows each group with its members', async () => {
      assert.deepEqual(JSON.parse(await occ('group:list', '--output', 'json')), { admin: ['admin'], staff: ['sam'] });
      assert.match(await occ('group:list'), /^ {2}- staff:\n {4}- sam$/m);
    });

    it('app:list follows app:disable', async () => {
      await occ('app:disable', 'groupfolders');
      const apps = JSON.parse(await occ('app:list', '--output', 'json'));
      assert.ok('groupfolders' in apps.disabled);
      assert.ok('files' in apps.enabled);
      assert.match(await occ('app:list'), /^Enabled:\n(.|\n)*Disabled:\n {2}- groupfolders: /m);
    });
  });
}
