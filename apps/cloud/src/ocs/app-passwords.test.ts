import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';

for (const dialect of testDialects()) {
  describe(`app passwords on ${dialect}`, () => {
    let cloud: TestCloud;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('pia', 'pia-password');
    });
    after(() => cloud.stop());

    const ocs = (method: string, path: string, authorization: string, headers: Record<string, string> = {}) =>
      fetch(`${cloud.url}/ocs/v2.php/${path}`, {
        method,
        headers: { Authorization: authorization, 'OCS-APIRequest': 'true', Accept: 'application/json', ...headers },
      });
    const whoami = async (authorization: string) => (await fetch(`${cloud.url}/ocs/v1.php/cloud/user?format=json`, { headers: { Authorization: authorization } })).status;

    it('exchanges the real password for an app password, which then works, rotates and is revoked', async () => {
      const password = cloud.basic('pia', 'pia-password');
      const got = await ocs('GET', 'core/getapppassword', password, { 'User-Agent': 'Mozilla/5.0 (Linux) mirall/3.7.3' });
      assert.equal(got.status, 200);
      const appPassword = ((await got.json()) as any).ocs.data.apppassword as string;
      assert.match(appPassword, /^[A-Za-z0-9]{72}$/);
      const viaApp = cloud.basic('pia', appPassword);
      assert.equal(await whoami(viaApp), 200);
      const listed = await cloud.services.auth.listAppPasswords('pia');
      assert.equal(listed[0]!.name, 'Mozilla/5.0 (Linux) mirall/3.7.3', 'named after the client');

      const nested = await ocs('GET', 'core/getapppassword', viaApp);
      assert.equal(nested.status, 403, 'an app password cannot mint another one');
      assert.equal(((await nested.json()) as any).ocs.meta.message, 'You cannot request an new apppassword with an apppassword');

      const rotated = await ocs('POST', 'core/apppassword/rotate', viaApp);
      assert.equal(rotated.status, 200);
      const next = ((await rotated.json()) as any).ocs.data.apppassword as string;
      assert.equal(next.length, 72);
      assert.equal(await whoami(viaApp), 401, 'the old secret stops working');
      const viaNext = cloud.basic('pia', next);
      assert.equal(await whoami(viaNext), 200);

      assert.equal((await ocs('DELETE', 'core/apppassword', password)).status, 403, 'deleting needs the app password itself');
      assert.equal((await ocs('DELETE', 'core/apppassword', viaNext)).status, 200);
      assert.equal(await whoami(viaNext), 401);
      assert.equal(await whoami(password), 200, 'the real password still works');
    });

    it('lets the personal settings page list, create (shown once) and revoke app passwords with a session', async () => {
      const { cookie, requesttoken } = await cloud.login('pia');
      const base = `${cloud.url}/index.php/settings/personal/authtokens`;

      const forged = await fetch(base, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
      assert.equal(forged.status, 412, 'a cross-site POST without the CSRF token is refused');

      const created = await fetch(base, {
        method: 'POST',
        headers: { cookie, requesttoken, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Laptop rclone' }),
      });
      assert.equal(created.status, 200);
      const body = (await created.json()) as any;
      assert.equal(body.loginName, 'pia');
      assert.equal(body.token.length, 72);
      assert.equal(body.deviceToken.name, 'Laptop rclone');
      assert.equal(body.deviceToken.type, 1);
      assert.equal(await whoami(cloud.basic('pia', body.token)), 200);

      const list = (await (await fetch(base, { headers: { cookie } })).json()) as any[];
      const entry = list.find((t) => t.id === body.deviceToken.id);
      assert.deepEqual(Object.keys(entry).sort(), ['canDelete', 'canRename', 'current', 'id', 'lastActivity', 'name', 'type']);
      assert.equal(JSON.stringify(list).includes(body.token), false, 'the secret is never listed');

      const other = await cloud.services.auth.createAppPassword(await cloud.services.auth.login('admin', 'admin-password-for-tests', '127.0.0.1'), 'admin device');
      const foreign = await fetch(`${base}/${other.id}`, { method: 'DELETE', headers: { cookie, requesttoken } });
      assert.equal(foreign.status, 404, "another user's app password cannot be revoked");

      const revoked = await fetch(`${base}/${body.deviceToken.id}`, { method: 'DELETE', headers: { cookie, requesttoken } });
      assert.equal(revoked.status, 200);
      assert.equal(await whoami(cloud.basic('pia', body.token)), 401);
      assert.equal((await fetch(base)).status, 401);
    });
  });
}
