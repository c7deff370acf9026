import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_ADMIN_PASSWORD } from '../apps/cloud/src/testing.ts';
import { snapshot, submitLogin } from './cloud-browser.ts';
import { cloudAndProjectsInBrowser, enableOpenProjectIntegration } from './integration-browser.ts';

// The host refusal for a local address is part of this test: allow_local_remote_servers starts unset.
const env = cloudAndProjectsInBrowser({ allowLocalRemoteServers: false });

/** A real OpenProject OAuth application in Projects: Cloud checks the values it is given against it. */
async function openProjectClient(): Promise<{ id: string; secret: string }> {
  const { cloud, projects } = env;
  const { application, clientSecret } = await projects.services.oauth.createApplication(null, {
    name: 'Nextcloud',
    redirectUris: [`${cloud.url}/index.php/apps/integration_openproject/oauth-redirect`],
  });
  return { id: application.uid, secret: clientSecret! };
}

test("Cloud's OpenProject Integration page: host, OAuth values both ways, project folders, three check marks, defaults, reset", async () => {
  const { cloud, projects, browser } = env;
  const page = await (await browser.newContext({ baseURL: cloud.url })).newPage();
  // The seed: Apps → Integration (or search "OpenProject") → enable, then Settings → OpenProject Integration.
  await page.goto('/settings/apps');
  await submitLogin(page, 'admin', TEST_ADMIN_PASSWORD);
  await enableOpenProjectIntegration(page);

  // 1. OpenProject host: a local Projects is refused until allow_local_remote_servers is set.
  await page.getByLabel('OpenProject host').fill(projects.url);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Please enter a valid OpenProject hostname. Accessing OpenProject servers with local addresses is not allowed.', { exact: false }).waitFor();
  await page.getByText('npm run occ -- config:system:set allow_local_remote_servers --value 1', { exact: false }).waitFor();
  await cloud.services.settings.repository.setSystem('allow_local_remote_servers', '1');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Edit server information' }).waitFor();

  // 3. OpenProject's OAuth values, then Cloud's own, shown once.
  const opClient = await openProjectClient();
  await page.getByLabel('OpenProject OAuth client ID').fill(opClient.id);
  await page.getByLabel('OpenProject OAuth client secret').fill(opClient.secret);
  await page.getByRole('button', { name: 'Save' }).click();
  const clientId = (await page.getByLabel('Nextcloud OAuth client ID').textContent())!;
  const clientSecret = (await page.getByLabel('Nextcloud OAuth client secret').textContent())!;
  assert.match(clientId, /^[A-Za-z0-9]{64}$/);
  assert.match(clientSecret, /^[A-Za-z0-9]{64}$/);
  const [client] = await cloud.services.oauth.listClients();
  assert.equal(client!.redirectUri, `${projects.url}/oauth_clients/${clientId}/callback`);
  await snapshot(page, 'openproject-nc-oauth-values');
  await page.getByRole('button', { name: 'Yes, I have copied these values' }).click();

  // 5. Project folders: user, group and folder made, the app password shown once and working.
  await page.getByRole('button', { name: 'Setup OpenProject user, group and folder' }).click();
  const password = (await page.getByLabel('Application Password').textContent())!;
  const dav = await fetch(`${cloud.url}/remote.php/webdav/`, { method: 'PROPFIND', headers: { authorization: cloud.basic('OpenProject', password), depth: '0' } });
  assert.equal(dav.status, 207);
  await page.getByRole('button', { name: 'Done, complete setup' }).click();
  await page.getByText('Default user settings').waitFor();
  assert.equal(await page.getByLabel('Step complete').count(), 3);
  await snapshot(page, 'openproject-integration-complete');

  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/admin-config') && r.status() === 200),
    page.getByLabel('Enable navigation link').click(),
  ]);
  assert.equal(await cloud.services.integrationOpenProject.get('default_enable_navigation'), '1');

  // Reset: confirmed, then the page starts over; the OAuth client is gone.
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('button', { name: 'Yes, reset' }).click();
  await page.getByLabel('OpenProject host').waitFor();
  assert.deepEqual(await cloud.services.oauth.listClients(), []);
});

test('a pre-existing OpenProject user is reported with the seed message and repaired from the page', async () => {
  const { cloud, projects, browser } = env;
  const opClient = await openProjectClient();
  await cloud.services.integrationOpenProject.setConfig({
    openproject_instance_url: projects.url,
    openproject_client_id: opClient.id,
    openproject_client_secret: opClient.secret,
  });
  await cloud.services.integrationOpenProject.recreateNcOAuthClient();
  await cloud.services.settings.setAppEnabled('integration_openproject', false);
  await cloud.services.users.delete('OpenProject');
  await cloud.services.users.create({ id: 'OpenProject', password: 'some-password-1' });
  await cloud.services.settings.setAppEnabled('integration_openproject', true);

  const page = await (await browser.newContext({ baseURL: cloud.url })).newPage();
  await page.goto('/settings/admin/openproject');
  await submitLogin(page, 'admin', TEST_ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Setup OpenProject user, group and folder' }).click();
  await page.getByRole('alert').filter({ hasText: 'The user "OpenProject" already exists' }).waitFor();
  await page.getByRole('button', { name: 'Use the existing user, group and folder' }).click();
  await page.getByRole('button', { name: 'Yes, use them' }).click();
  await page.getByLabel('Application Password').waitFor();
  assert.equal(await cloud.services.integrationOpenProject.isProjectFolderSetupComplete(), true);
});

test('terms of service: the admin writes terms, a user must accept them before using Cloud', async () => {
  const { cloud, browser } = env;
  await cloud.services.settings.setAppEnabled('terms_of_service', true);
  await cloud.createUser('alice');
  const adminPage = await (await browser.newContext({ baseURL: cloud.url })).newPage();
  await adminPage.goto('/settings/admin/terms_of_service');
  await submitLogin(adminPage, 'admin', TEST_ADMIN_PASSWORD);
  await adminPage.getByLabel('Terms text').fill('Be kind to each other.');
  await adminPage.getByRole('button', { name: 'Save terms' }).click();
  await adminPage.getByRole('cell', { name: 'Be kind to each other.' }).waitFor();
  // Written while the integration is on: the OpenProject user accepted them at once.
  assert.equal(await cloud.services.terms.hasSigned('OpenProject'), true);

  const page = await (await browser.newContext({ baseURL: cloud.url })).newPage();
  await page.goto('/apps/files');
  await submitLogin(page, 'alice', 'alice-password');
  await page.getByText('Be kind to each other.').waitFor();
  assert.equal(await page.getByRole('link', { name: 'All files' }).count(), 0);
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('link', { name: 'All files' }).first().waitFor();
  assert.equal(await cloud.services.terms.hasSigned('alice'), true);
});
