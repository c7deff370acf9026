import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';

/** The value of a hidden form field in an HTML page. */
function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  assert.ok(match, `page has a ${name} field`);
  return match[1]!;
}

function formAction(html: string): string {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  assert.ok(match, 'page has a form');
  return match[1]!.replace(/&amp;/g, '&');
}

for (const dialect of testDialects()) {
  describe(`login flow v2 on ${dialect}`, () => {
    let cloud: TestCloud;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('lena', 'lena-password');
    });
    after(() => cloud.stop());

    const start = async () => {
      const response = await fetch(`${cloud.url}/index.php/login/v2`, { method: 'POST', headers: { 'User-Agent': 'Desktop <client>' } });
      assert.equal(response.status, 200);
      return (await response.json()) as { poll: { token: string; endpoint: string }; login: string };
    };
    const poll = (endpoint: string, token: string) =>
      fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}` });

    it('logs in on the flow page, grants once, and the client polls the app password exactly once', async () => {
      const flow = await start();
      assert.equal(flow.poll.token.length, 128);
      assert.equal(flow.poll.endpoint, `${cloud.url}/login/v2/poll`);
      assert.match(flow.login, new RegExp(`^${cloud.url}/login/v2/flow/[A-Za-z0-9]{128}$`));
      assert.equal((await poll(flow.poll.endpoint, flow.poll.token)).status, 404, 'nothing to collect before the grant');

      const page = await fetch(flow.login);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('x-frame-options'), 'DENY');
      const loginHtml = await page.text();
      assert.match(loginHtml, /Desktop &lt;client&gt;/, 'the client name is shown, escaped');

      const submitLogin = (body: string) =>
        fetch(`${cloud.url}${formAction(loginHtml)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          redirect: 'manual',
        });
      const wrong = await submitLogin('user=lena&password=nope');
      assert.equal(wrong.status, 401);
      assert.match(await wrong.text(), /Wrong login or password/);

      const loggedIn = await submitLogin('user=lena&password=lena-password');
      assert.equal(loggedIn.status, 303);
      const cookie = loggedIn.headers.get('set-cookie')!.split(';')[0]!;
      const grantHtml = await (await fetch(new URL(loggedIn.headers.get('location')!, cloud.url), { headers: { cookie } })).text();
      assert.match(grantHtml, /Grant access/);

      const forged = await fetch(`${cloud.url}${formAction(grantHtml)}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'requesttoken=forged',
      });
      assert.equal(forged.status, 403, 'the grant needs the page’s CSRF token');

      const granted = await fetch(`${cloud.url}${formAction(grantHtml)}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `requesttoken=${encodeURIComponent(hiddenField(grantHtml, 'requesttoken'))}`,
      });
      assert.equal(granted.status, 200);
      assert.match(await granted.text(), /Account connected/);

      const first = await poll(flow.poll.endpoint, flow.poll.token);
      assert.equal(first.status, 200);
      const credentials = (await first.json()) as { server: string; loginName: string; appPassword: string };
      assert.equal(credentials.server, cloud.url);
      assert.equal(credentials.loginName, 'lena');
      assert.match(credentials.appPassword, /^[A-Za-z0-9]{72}$/);
      assert.equal((await poll(flow.poll.endpoint, flow.poll.token)).status, 404, 'a second poll gets nothing');
      assert.equal((await fetch(flow.login)).status, 404, 'the login link is used up');

      const dav = await fetch(`${cloud.url}/ocs/v1.php/cloud/user?format=json`, { headers: { Authorization: cloud.basic('lena', credentials.appPassword) } });
      assert.equal(dav.status, 200);
      assert.equal(((await dav.json()) as any).ocs.data.id, 'lena');
      assert.equal((await cloud.services.auth.listAppPasswords('lena'))[0]!.name, 'Desktop <client>');
    });

    it('reuses an existing browser session and also answers polls on /index.php/login/v2/poll', async () => {
      const flow = await start();
      const { cookie } = await cloud.login('lena');
      const html = await (await fetch(flow.login.replace('/login/v2/', '/index.php/login/v2/'), { headers: { cookie } })).text();
      assert.match(html, /Grant access/);
      const granted = await fetch(`${cloud.url}${formAction(html)}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `requesttoken=${encodeURIComponent(hiddenField(html, 'requesttoken'))}`,
      });
      assert.equal(granted.status, 200);
      const polled = await poll(`${cloud.url}/index.php/login/v2/poll`, flow.poll.token);
      assert.equal(polled.status, 200);
      assert.equal(((await polled.json()) as any).loginName, 'lena');
    });

    it('stores only hashes of the tokens and expires flows after 20 minutes', async () => {
      const flow = await start();
      const rows = await cloud.services.db.selectFrom('login_flow_v2').selectAll().execute();
      const serialized = JSON.stringify(rows);
      assert.equal(serialized.includes(flow.poll.token), false);
      assert.equal(serialized.includes(flow.login.split('/').pop()!), false);
      const row = rows.at(-1)!;
      assert.equal(row.expires_at - row.created_at, 20 * 60_000);
      await cloud.services.db.updateTable('login_flow_v2').set({ expires_at: Date.now() - 1 }).where('id', '=', row.id).execute();
      assert.equal((await fetch(flow.login)).status, 404);
      assert.equal((await poll(flow.poll.endpoint, flow.poll.token)).status, 404);
      assert.equal((await fetch(`${cloud.url}/login/v2/flow/unknown-token`)).status, 404);
    });
  });
}
