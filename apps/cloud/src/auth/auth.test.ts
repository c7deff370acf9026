import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, TEST_ADMIN_PASSWORD, type TestCloud } from '../testing.ts';

for (const dialect of testDialects()) {
  describe(`accounts and sessions on ${dialect}`, () => {
    let cloud: TestCloud;
    before(async () => {
      cloud = await startTestCloud(dialect);
    });
    after(() => cloud.stop());

    it('answers status.php without authentication', async () => {
      const response = await fetch(`${cloud.url}/status.php`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as any;
      assert.equal(body.installed, true);
      assert.equal(body.maintenance, false);
      assert.match(body.version, /^\d+\.\d+\.\d+\.\d+$/);
    });

    it('logs in with the initial admin password, keeps the session, and logs out', async () => {
      const login = await fetch(`${cloud.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'admin', password: TEST_ADMIN_PASSWORD }),
      });
      assert.equal(login.status, 200);
      const cookie = login.headers.get('set-cookie')?.split(';')[0];
      assert.ok(cookie);
      const me = await fetch(`${cloud.url}/api/session`, { headers: { cookie } });
      const body = (await me.json()) as any;
      assert.equal(body.user.id, 'admin');
      assert.equal(body.isAdmin, true);
      const logout = await fetch(`${cloud.url}/api/session`, { method: 'DELETE', headers: { cookie } });
      assert.equal(logout.status, 204);
      assert.equal((await fetch(`${cloud.url}/api/session`, { headers: { cookie } })).status, 401);
    });

    it('refuses a wrong password with a stable code', async () => {
      const response = await fetch(`${cloud.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'admin', password: 'wrong' }),
      });
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as any).error.code, 'invalid_credentials');
    });

    it('accepts logins case-insensitively and refuses disabled accounts', async () => {
      await cloud.createUser('Carol', 'carol-password');
      const context = await cloud.services.auth.login('carol', 'carol-password', '127.0.0.9');
      assert.equal(context.user.id, 'Carol');
      await cloud.services.users.update('Carol', { enabled: false });
      await assert.rejects(cloud.services.auth.login('Carol', 'carol-password', '127.0.0.9'), { code: 'invalid_credentials' });
    });

    it('app passwords work for Basic auth until revoked, and cannot mint more app passwords', async () => {
      await cloud.createUser('dave', 'dave-password');
      const owner = await cloud.services.auth.login('dave', 'dave-password', '127.0.0.10');
      const app = await cloud.services.auth.createAppPassword(owner, 'test client');
      assert.equal(app.password.length, 72);
      const viaApp = await cloud.services.auth.authenticate({ authorization: cloud.basic('dave', app.password) }, '127.0.0.10');
      assert.equal(viaApp?.method, 'app_password');
      await assert.rejects(cloud.services.auth.createAppPassword(viaApp!, 'nested'), { code: 'app_password_forbidden' });
      await cloud.services.auth.revokeToken('dave', app.id);
      await assert.rejects(
        cloud.services.auth.authenticate({ authorization: cloud.basic('dave', app.password) }, '127.0.0.10'),
        { code: 'invalid_credentials' },
      );
    });

    it('never deletes or disables the last administrator', async () => {
      await assert.rejects(cloud.services.users.delete('admin'), { code: 'last_admin' });
      await assert.rejects(cloud.services.users.update('admin', { enabled: false }), { code: 'last_admin' });
    });
  });
}

describe('brute-force throttle', () => {
  it('delays and finally refuses repeated failures from one address', async () => {
    const cloud = await startTestCloud('sqlite', { CLOUD_BRUTEFORCE_PROTECTION: 'on', CLOUD_BRUTEFORCE_BASE_DELAY_MS: '1' });
    try {
      for (let i = 0; i < 9; i += 1) {
        await assert.rejects(cloud.services.auth.login('admin', 'nope', '10.9.9.9'), { code: 'invalid_credentials' });
      }
      await assert.rejects(cloud.services.auth.login('admin', TEST_ADMIN_PASSWORD, '10.9.9.9'), { code: 'throttled' });
      const other = await cloud.services.auth.login('admin', TEST_ADMIN_PASSWORD, '10.9.9.10');
      assert.equal(other.user.id, 'admin', 'other addresses are not affected');
    } finally {
      await cloud.stop();
    }
  });
});
