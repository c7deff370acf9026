import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_ADMIN_PASSWORD as CLOUD_ADMIN_PASSWORD } from '../apps/cloud/src/testing.ts';
import { TEST_ADMIN_PASSWORD } from '../apps/projects/src/testing.ts';
import { snapshot } from './browser.ts';
import { submitLogin } from './cloud-browser.ts';
import { cloudAndProjectsInBrowser, openNewStorageForm } from './integration-browser.ts';
import { signIn } from './projects-browser.ts';

const APP_PASSWORD = 'OpenProject-app-password-e2e';
const env = cloudAndProjectsInBrowser();

test('Projects side of "Set up the integration": + Storage, OAuth values both ways, managed folders, enabled in projects, delete', async () => {
  const { cloud, projects, browser } = env;
  await cloud.services.settings.setAppEnabled('integration_openproject', true);
  await cloud.createUser('OpenProject', APP_PASSWORD);
  const parent = (await projects.api('POST', '/api/v3/projects', { auth: projects.adminAuth, body: { name: 'Apollo' } })).body;
  await projects.api('POST', '/api/v3/projects', { auth: projects.adminAuth, body: { name: 'Apollo moon', _links: { parent: { href: `/api/v3/projects/${parent.id}` } } } });
  await projects.api('POST', '/api/v3/projects', { auth: projects.adminAuth, body: { name: 'Gemini' } });

  // Cloud's OAuth client for Projects, as its integration app registers it.
  const nc = await cloud.services.oauth.createClient('OpenProject', 'https://pending.example/');
  await cloud.services.db.updateTable('oauth_clients').set({ redirect_uri: `${projects.url}/oauth_clients/${nc.clientId}/callback` }).where('id', '=', nc.id).execute();

  const page = await (await browser.newContext({ baseURL: projects.url })).newPage();
  await page.goto('/admin/settings/storages');
  await signIn(page, 'admin', TEST_ADMIN_PASSWORD);

  // 2. Create a Nextcloud file storage.
  const general = await openNewStorageForm(page);
  await general.getByLabel('Name').fill('Cloud storage');
  await general.getByLabel('Host URL').fill('http://127.0.0.1:1');
  await general.getByRole('button', { name: 'Save and continue setup' }).click();
  await page.getByText('Host can not be connected to.').waitFor();
  await general.getByLabel('Host URL').fill(cloud.url);
  await general.getByRole('button', { name: 'Save and continue setup' }).click();

  // 3. OpenProject OAuth application details: generated once.
  const details = page.getByRole('region', { name: 'OpenProject OAuth application details' });
  const clientId = await details.getByLabel('OpenProject OAuth Client ID').innerText();
  const clientSecret = await details.getByLabel('OpenProject OAuth Client Secret').innerText();
  assert.ok(clientId.length > 20 && clientSecret.length > 20);
  await snapshot(page, 'projects-storage-oauth-application');
  await details.getByRole('button', { name: 'Done, continue' }).click();

  // 4. Nextcloud OAuth values.
  const nextcloud = page.getByRole('form', { name: 'Nextcloud OAuth' });
  await nextcloud.getByLabel('Nextcloud OAuth Client ID').fill(nc.clientId);
  await nextcloud.getByLabel('Nextcloud OAuth Client Secret').fill(nc.clientSecret);
  await nextcloud.getByRole('button', { name: 'Save and continue' }).click();

  // 5. Automatically managed project folders, the app password checked against Cloud.
  const folders = page.getByRole('form', { name: 'Automatically managed project folders' });
  await folders.getByLabel('Application password').fill('not-the-password');
  await folders.getByRole('button', { name: 'Done, complete setup' }).click();
  await page.getByText('Application password is not valid.').waitFor();
  await folders.getByLabel('Application password').fill(APP_PASSWORD);
  await folders.getByRole('button', { name: 'Done, complete setup' }).click();
  await page.getByText('Storage connected successfully! Remember to activate the storage in the Projects tab for each desired project to use it.').waitFor();
  assert.equal(await page.getByText(clientSecret).count(), 0, 'the secret is not shown again');
  await snapshot(page, 'projects-storage-complete');

  const storage = (await projects.api('GET', '/api/v3/storages', { auth: projects.adminAuth })).body._embedded.elements[0];
  assert.equal(storage.configured, true);
  assert.equal(storage.hasApplicationPassword, true);
  assert.equal(storage._embedded.oauthApplication.clientId, clientId);
  assert.equal(storage._embedded.oauthApplication.clientSecret, undefined);

  // 6. Enabled in projects: search, include sub-projects, automatically managed folders.
  await page.getByRole('link', { name: 'Enabled in projects' }).click();
  await page.getByRole('button', { name: '+ Add projects' }).click();
  // First the admin's own Nextcloud login: Cloud's login and consent, then back to this tab.
  const nudge = page.getByRole('region', { name: 'Login to Nextcloud required' });
  await nudge.getByText('In order to add projects to this storage you need to be logged into Nextcloud. Please, log in and try again.').waitFor();
  await nudge.getByRole('link', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.origin === new URL(cloud.url).origin);
  await submitLogin(page, 'admin', CLOUD_ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Grant access' }).click();
  await page.waitForURL((url) => url.origin === new URL(projects.url).origin && url.searchParams.get('tab') === 'projects');
  await page.getByRole('button', { name: '+ Add projects' }).click();
  const add = page.getByRole('form', { name: 'Add projects' });
  await add.getByLabel('Search projects').fill('apollo');
  assert.equal(await add.getByLabel('Gemini').count(), 0);
  await add.getByLabel('Apollo', { exact: true }).check();
  await add.getByLabel('Include sub-projects').check();
  assert.equal(await add.getByLabel('Project folders').inputValue(), 'automatic');
  await add.getByRole('button', { name: 'Add' }).click();
  const table = page.getByRole('table', { name: 'Enabled in projects' });
  await table.getByRole('row', { name: /Apollo moon/ }).waitFor();
  assert.equal(await table.getByText('New folder with automatically managed permissions').count(), 2);
  await snapshot(page, 'projects-storage-projects');

  // Delete: the dialog says what goes; the name must be typed.
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete file storage' });
  await dialog.getByText('(2 projects)').waitFor();
  await dialog.getByText("Users' Nextcloud connections: 1 tokens and 1 remote identities.").waitFor();
  const confirm = dialog.getByRole('button', { name: 'Delete permanently' });
  assert.equal(await confirm.isDisabled(), true);
  await dialog.getByRole('textbox').fill('Cloud storage');
  await confirm.click();
  await page.waitForURL((url) => url.pathname === '/admin/settings/storages');
  assert.equal((await projects.api('GET', '/api/v3/storages', { auth: projects.adminAuth })).body.total, 0);
});
