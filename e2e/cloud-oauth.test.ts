import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestCloud, TEST_ADMIN_PASSWORD, type TestCloud } from '../apps/cloud/src/testing.ts';
import { ensureCloudWebBuilt, launchChromium, snapshot, submitLogin } from './cloud-browser.ts';

let cloud: TestCloud;
let browser: Browser;

before(async () => {
  await ensureCloudWebBuilt();
  cloud = await startTestCloud('sqlite');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await cloud?.stop();
});

test('OAuth in the browser: authorize → log in → consent → back to the client with a code that works', async () => {
  const redirectUri = 'http://client.test/callback';
  const client = await cloud.services.oauth.createClient('Project tool', redirectUri);
  const context = await browser.newContext({ baseURL: cloud.url });
  const page = await context.newPage();
  // The client's callback is not a real site: answer it here and keep the URL the browser was sent to.
  let callback: URL | undefined;
  await page.route('http://client.test/**', async (route) => {
    callback = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' });
  });

  await page.goto(`/index.php/apps/oauth2/authorize?response_type=code&client_id=${client.clientId}&state=xyz`);
  await page.waitForURL(/\/login\?redirect_url=/);
  await submitLogin(page, 'admin', TEST_ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/index.php/apps/oauth2/authorize');
  await page.getByText('Project tool').first().waitFor();
  await snapshot(page, 'oauth-consent');
  await page.getByRole('button', { name: 'Grant access' }).click();
  await page.waitForURL((url) => url.host === 'client.test');

  assert.ok(callback);
  assert.equal(callback.searchParams.get('state'), 'xyz');
  const code = callback.searchParams.get('code');
  assert.ok(code);
  const response = await fetch(`${cloud.url}/index.php/apps/oauth2/api/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: client.clientId, client_secret: client.clientSecret }),
  });
  assert.equal(response.status, 200);
  const tokens = (await response.json()) as { access_token: string; user_id: string };
  assert.equal(tokens.user_id, 'admin');
  const me = await fetch(`${cloud.url}/api/session`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(((await me.json()) as { user: { id: string } }).user.id, 'admin');
});
