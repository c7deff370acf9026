import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { test } from 'node:test';
import { TEST_ADMIN_PASSWORD } from '../apps/cloud/src/testing.ts';
import { cloudInBrowser, snapshot, submitLogin } from './cloud-browser.ts';

const env = cloudInBrowser();

test('files in the browser: log in, new folder, upload, download, rename, delete, restore from the trash', async () => {
  const { cloud, browser } = env;
  const context = await browser.newContext({ baseURL: cloud.url, acceptDownloads: true });
  const page = await context.newPage();
  const admin = cloud.basic('admin', TEST_ADMIN_PASSWORD);
  const content = Buffer.from(`Quarterly figures ✓ ${'x'.repeat(5000)}\n`);
  const davFile = (path: string) => fetch(`${cloud.url}/remote.php/dav/files/admin${path}`, { headers: { authorization: admin } });

  // An anonymous visit goes to the login page and comes back afterwards.
  await page.goto('/index.php/apps/files');
  await page.waitForURL(/\/login\?redirect_url=/);
  assert.equal(new URL(page.url()).searchParams.get('redirect_url'), '/index.php/apps/files');
  await submitLogin(page, 'admin', TEST_ADMIN_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/index.php/apps/files');

  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByLabel('Folder name').fill('Reports 2026');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('link', { name: 'Reports 2026' }).click();
  await page.waitForURL((url) => url.searchParams.get('dir') === '/Reports 2026');
  await page.getByText('This folder is empty.').waitFor();

  await page.locator('input[type=file]').setInputFiles({ name: 'figures ö.txt', mimeType: 'text/plain', buffer: content });
  await page.getByRole('link', { name: 'figures ö.txt' }).waitFor();
  assert.deepEqual(Buffer.from(await (await davFile('/Reports%202026/figures%20%C3%B6.txt')).arrayBuffer()), content);
  await snapshot(page, 'files-uploaded');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'figures ö.txt' }).click()]);
  assert.equal(download.suggestedFilename(), 'figures ö.txt');
  assert.deepEqual(await fs.readFile(await download.path()), content);

  await page.getByRole('button', { name: 'Actions for figures ö.txt' }).click();
  await page.getByRole('menuitem', { name: 'Rename' }).click();
  await page.getByLabel('New name').fill('summary.txt');
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('link', { name: 'summary.txt' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'figures ö.txt' }).count(), 0);
  assert.equal((await davFile('/Reports%202026/summary.txt')).status, 200);
  assert.equal((await davFile('/Reports%202026/figures%20%C3%B6.txt')).status, 404);

  await page.getByRole('button', { name: 'Actions for summary.txt' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByText('This folder is empty.').waitFor();
  assert.equal((await davFile('/Reports%202026/summary.txt')).status, 404);

  await page.getByRole('link', { name: 'Deleted files' }).click();
  const row = page.getByRole('row', { name: /summary\.txt/ });
  await row.waitFor();
  assert.match(await row.innerText(), /Reports 2026/);
  await snapshot(page, 'trash');
  await page.getByRole('button', { name: 'Restore summary.txt' }).click();
  await page.getByRole('status').filter({ hasText: 'Restored summary.txt' }).waitFor();
  assert.deepEqual(Buffer.from(await (await davFile('/Reports%202026/summary.txt')).arrayBuffer()), content);

  // Nextcloud's "open in web UI" link for the restored file lands in its folder.
  const propfind = await fetch(`${cloud.url}/remote.php/dav/files/admin/Reports%202026/summary.txt`, {
    method: 'PROPFIND',
    headers: { authorization: admin, depth: '0' },
    body: '<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><oc:fileid/></d:prop></d:propfind>',
  });
  const fileId = /<oc:fileid>(\d+)<\/oc:fileid>/.exec(await propfind.text())?.[1];
  assert.ok(fileId, 'the restored file has an oc:fileid');
  await page.goto(`/index.php/f/${fileId}`);
  await page.waitForURL((url) => url.pathname === `/apps/files/files/${fileId}` && url.searchParams.get('dir') === '/Reports 2026');
  await page.getByRole('link', { name: 'summary.txt' }).waitFor();

  // Move it up to the root folder.
  await page.getByRole('button', { name: 'Actions for summary.txt' }).click();
  await page.getByRole('menuitem', { name: 'Move' }).click();
  await page.getByLabel('Destination folder').fill('/');
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await page.getByText('This folder is empty.').waitFor();
  assert.deepEqual(Buffer.from(await (await davFile('/summary.txt')).arrayBuffer()), content);

  // A file dropped on the page is uploaded into the open folder.
  await page.getByRole('link', { name: 'All files' }).first().click();
  const dropped = await page.evaluateHandle(
    '(() => { const dt = new DataTransfer(); dt.items.add(new File(["dropped bytes"], "dropped.txt", { type: "text/plain" })); return dt; })()',
  );
  await page.getByRole('table', { name: 'Files' }).dispatchEvent('drop', { dataTransfer: dropped });
  await page.getByRole('link', { name: 'dropped.txt' }).waitFor();
  assert.equal(await (await davFile('/dropped.txt')).text(), 'dropped bytes');

  // Emptying the trash bin deletes for good.
  await page.getByRole('button', { name: 'Actions for dropped.txt' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('link', { name: 'dropped.txt' }).waitFor({ state: 'detached' });
  await page.getByRole('link', { name: 'Deleted files' }).click();
  await page.getByRole('button', { name: 'Empty deleted files' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Empty deleted files' }).click();
  await page.getByText('No deleted files.').waitFor();
  const trash = await fetch(`${cloud.url}/remote.php/dav/trashbin/admin/trash/`, { method: 'PROPFIND', headers: { authorization: admin, depth: '1' } });
  assert.doesNotMatch(await trash.text(), /dropped\.txt/);
  await context.close();
});
