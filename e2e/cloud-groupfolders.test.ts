import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_ADMIN_PASSWORD } from '../apps/cloud/src/testing.ts';
import { cloudInBrowser, snapshot, submitLogin } from './cloud-browser.ts';

const env = cloudInBrowser();

test('group folders in the browser: create, assign a group with permissions, and deny a member a sub-folder with the ACL editor', async () => {
  const { cloud, browser } = env;
  const admin = cloud.basic('admin', TEST_ADMIN_PASSWORD);
  const ocs = { authorization: admin, 'OCS-APIRequest': 'true', accept: 'application/json' };
  await cloud.createUser('dana', 'dana-password-1', ['team']);
  const joined = await fetch(`${cloud.url}/ocs/v2.php/cloud/users/admin/groups`, {
    method: 'POST',
    headers: { ...ocs, 'content-type': 'application/json' },
    body: JSON.stringify({ groupid: 'team' }),
  });
  assert.equal(joined.status, 200);

  const context = await browser.newContext({ baseURL: cloud.url });
  const page = await context.newPage();
  await page.goto('/settings/admin/groupfolders');
  await submitLogin(page, 'admin', TEST_ADMIN_PASSWORD);

  await page.getByLabel('Folder name').fill('Team space');
  await page.getByRole('button', { name: 'Create' }).click();
  const section = page.getByRole('region', { name: 'Group folder Team space' });
  await section.getByLabel('Add group').selectOption('team');
  await section.getByLabel('Delete permission for team').uncheck();
  await section.getByLabel('Advanced permissions').check();
  await section.getByRole('textbox', { name: /^Manager/ }).fill('admin');
  await section.getByRole('button', { name: 'Add manager' }).click();
  await section.getByRole('list', { name: 'Managers of Team space' }).getByText('admin').waitFor();

  const folders = await fetch(`${cloud.url}/index.php/apps/groupfolders/folders`, { headers: ocs });
  const folder = Object.values(((await folders.json()) as { ocs: { data: Record<string, { mount_point: string; groups: Record<string, number>; acl: boolean }> } }).ocs.data)[0];
  assert.deepEqual({ mount: folder?.mount_point, groups: folder?.groups, acl: folder?.acl }, { mount: 'Team space', groups: { team: 31 & ~8 }, acl: true });

  const mkcol = await fetch(`${cloud.url}/remote.php/dav/files/admin/Team%20space/Secret`, { method: 'MKCOL', headers: { authorization: admin } });
  assert.equal(mkcol.status, 201);

  await section.getByRole('button', { name: 'Edit access rules' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Path inside the folder').fill('Secret');
  await dialog.getByRole('button', { name: 'Load rules' }).click();
  await dialog.getByText('No rules on this path').waitFor();
  await dialog.getByLabel('Rule for').selectOption('user');
  await dialog.getByLabel('User or group id').fill('dana');
  await dialog.getByRole('button', { name: 'Add rule' }).click();
  await dialog.getByLabel('Read for dana').selectOption('deny');
  await dialog.getByRole('button', { name: 'Save rules' }).click();
  await dialog.getByText('Rules saved.').waitFor();
  await snapshot(page, 'acl-editor');

  const dana = { authorization: cloud.basic('dana', 'dana-password-1'), depth: '1' };
  const listing = await fetch(`${cloud.url}/remote.php/dav/files/dana/Team%20space/`, { method: 'PROPFIND', headers: dana });
  assert.equal(listing.status, 207);
  assert.doesNotMatch(await listing.text(), /Secret/, 'the denied sub-folder is not listed');
  const secret = await fetch(`${cloud.url}/remote.php/dav/files/dana/Team%20space/Secret/`, { method: 'PROPFIND', headers: dana });
  assert.equal(secret.status, 404);
  await context.close();
});
