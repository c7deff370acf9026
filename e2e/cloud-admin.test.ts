import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { TEST_ADMIN_PASSWORD } from '../apps/cloud/src/testing.ts';
import { cloudInBrowser, snapshot, submitLogin } from './cloud-browser.ts';

const env = cloudInBrowser();

async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/login/);
}

test('admin pages: a group and a user created in the browser can log in, get an app password, be disabled and deleted', async () => {
  const { cloud, browser } = env;
  const context = await browser.newContext({ baseURL: cloud.url });
  const page = await context.newPage();

  await page.goto('/settings/users');
  await submitLogin(page, 'admin', TEST_ADMIN_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/settings/users');

  await page.getByRole('link', { name: 'Groups' }).click();
  await page.getByLabel('Group name').fill('staff');
  await page.getByRole('button', { name: 'Add group' }).click();
  await page.getByRole('cell', { name: 'staff', exact: true }).waitFor();

  await page.getByRole('link', { name: 'Users' }).click();
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Account name').fill('carol');
  await form.getByLabel('Display name').fill('Carol Example');
  await form.getByLabel('Password').fill('carol-password-1');
  await form.getByLabel('Email').fill('carol@example.com');
  await form.getByLabel('Groups').fill('staff');
  await form.getByRole('button', { name: 'Add new user' }).click();
  const carolRow = page.getByRole('row', { name: /carol/ });
  await carolRow.getByRole('cell', { name: 'Carol Example' }).waitFor();
  assert.match(await carolRow.innerText(), /carol@example\.com[\s\S]*staff/);

  // The same account again: the server's reason is shown.
  await form.getByLabel('Account name').fill('carol');
  await form.getByLabel('Password').fill('carol-password-1');
  await form.getByRole('button', { name: 'Add new user' }).click();
  assert.match(await page.getByRole('alert').innerText(), /exist/i);
  await snapshot(page, 'admin-users');

  await page.getByRole('button', { name: 'Edit carol' }).click();
  await page.getByRole('dialog').getByLabel('Display name').fill('Carol E.');
  await page.getByRole('dialog').getByRole('group', { name: 'Group admin for' }).getByLabel('staff').check();
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await carolRow.getByRole('cell', { name: 'Carol E.' }).waitFor();
  await carolRow.getByText('staff (group admin)').waitFor();
  const subadmins = await fetch(`${cloud.url}/ocs/v2.php/cloud/users/carol/subadmins`, {
    headers: { authorization: cloud.basic('admin', TEST_ADMIN_PASSWORD), 'OCS-APIRequest': 'true', accept: 'application/json' },
  });
  assert.deepEqual(((await subadmins.json()) as { ocs: { data: string[] } }).ocs.data, ['staff']);

  // Carol logs in: files, her own settings, the users of her group, no other admin pages.
  await logOut(page);
  await submitLogin(page, 'carol', 'carol-password-1');
  assert.equal(new URL(page.url()).pathname, '/apps/files');
  assert.equal(await page.getByRole('link', { name: 'Groups' }).count(), 0);
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('cell', { name: 'Carol E.' }).waitFor();
  await page.goto('/settings/groups');
  await page.getByText('Only administrators may see this page.').waitFor();

  await page.goto('/settings/user/security');
  await page.getByLabel('App name').fill('Laptop sync');
  await page.getByRole('button', { name: 'Create new app password' }).click();
  const appPassword = (await page.getByLabel('App password', { exact: true }).innerText()).trim();
  await page.getByRole('cell', { name: 'Laptop sync', exact: true }).waitFor();
  const dav = await fetch(`${cloud.url}/remote.php/dav/files/carol/`, {
    method: 'PROPFIND',
    headers: { authorization: cloud.basic('carol', appPassword), depth: '0' },
  });
  assert.equal(dav.status, 207, `the app password shown once works for WebDAV: ${appPassword} ${await dav.text()}`);
  await snapshot(page, 'app-passwords');

  // Disabled, Carol can no longer log in; deleted, she is gone.
  await logOut(page);
  await submitLogin(page, 'admin', TEST_ADMIN_PASSWORD);
  await page.goto('/settings/users');
  await page.getByRole('button', { name: 'Disable carol' }).click();
  await carolRow.getByText('Disabled').waitFor();
  await logOut(page);
  await page.getByLabel('Account name or email').fill('carol');
  await page.getByLabel('Password').fill('carol-password-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');

  await submitLogin(page, 'admin', TEST_ADMIN_PASSWORD);
  await page.goto('/settings/users');
  await page.getByRole('button', { name: 'Delete carol' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await carolRow.waitFor({ state: 'detached' });
  const gone = await fetch(`${cloud.url}/ocs/v2.php/cloud/users/carol`, {
    headers: { authorization: cloud.basic('admin', TEST_ADMIN_PASSWORD), 'OCS-APIRequest': 'true', accept: 'application/json' },
  });
  assert.equal(gone.status, 404);
  await context.close();
});

test('admin pages: an OAuth client shows its secret once and can be deleted; apps can be switched off and on', async () => {
  const { cloud, browser } = env;
  const context = await browser.newContext({ baseURL: cloud.url });
  const page = await context.newPage();
  await page.goto('/index.php/settings/admin/oauth2');
  await submitLogin(page, 'admin', TEST_ADMIN_PASSWORD);

  await page.getByLabel('Name').fill('Projects');
  await page.getByLabel('Redirection URI').fill('https://projects.example/oauth_clients/abc/callback');
  await page.getByRole('button', { name: 'Add' }).click();
  const secret = (await page.getByLabel('Client secret').innerText()).trim();
  assert.match(secret, /^[A-Za-z0-9]{64}$/);
  const row = page.getByRole('row', { name: /Projects/ });
  await row.waitFor();
  assert.match(await row.innerText(), /https:\/\/projects\.example\/oauth_clients\/abc\/callback/);
  await snapshot(page, 'oauth-clients');
  await page.reload();
  assert.equal(await page.getByLabel('Client secret').count(), 0, 'the secret is not shown again');
  await page.getByRole('button', { name: 'Delete client Projects' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });

  await page.getByRole('link', { name: 'Apps' }).click();
  await page.getByRole('button', { name: 'Disable files_trashbin' }).click();
  await page.getByRole('button', { name: 'Enable files_trashbin' }).waitFor();
  const disabled = await fetch(`${cloud.url}/ocs/v2.php/cloud/apps?filter=disabled`, {
    headers: { authorization: cloud.basic('admin', TEST_ADMIN_PASSWORD), 'OCS-APIRequest': 'true', accept: 'application/json' },
  });
  assert.ok(((await disabled.json()) as { ocs: { data: { apps: string[] } } }).ocs.data.apps.includes('files_trashbin'));
  await page.getByRole('button', { name: 'Enable files_trashbin' }).click();
  await page.getByRole('button', { name: 'Disable files_trashbin' }).waitFor();
  await context.close();
});
