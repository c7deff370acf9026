import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_ADMIN_PASSWORD as CLOUD_ADMIN_PASSWORD } from '../apps/cloud/src/testing.ts';
import { TEST_ADMIN_PASSWORD as PROJECTS_ADMIN_PASSWORD } from '../apps/projects/src/testing.ts';
import { snapshot } from './browser.ts';
import { submitLogin } from './cloud-browser.ts';
import { cloudAndProjectsInBrowser, enableOpenProjectIntegration, openNewStorageForm } from './integration-browser.ts';
import { signIn } from './projects-browser.ts';

const env = cloudAndProjectsInBrowser();

// The seed's "Set up the integration", step by step, in two tabs; every value crosses from one tab
// to the other by reading it off the page, as an administrator copies it. Switching tabs brings the
// tab to the front, as a person does (Chromium throttles the frames of a background tab).
test('the seed\'s "Set up the integration" in two tabs: three green check marks in Cloud, setup complete in Projects, storage enabled in a project with managed folders', async () => {
  const { cloud, projects } = env;
  await projects.api('POST', '/api/v3/projects', { auth: projects.adminAuth, body: { name: 'Apollo' } });
  const { cloudTab, projectsTab } = await env.twoTabs();

  // 1. Cloud: Apps → Integration (search "OpenProject") → enable; Settings → OpenProject Integration; host + Save.
  await cloudTab.bringToFront();
  await cloudTab.goto(`${cloud.url}/settings/apps`);
  await submitLogin(cloudTab, 'admin', CLOUD_ADMIN_PASSWORD);
  await enableOpenProjectIntegration(cloudTab);
  await cloudTab.getByLabel('OpenProject host').fill(projects.url);
  await cloudTab.getByRole('button', { name: 'Save' }).click();
  await cloudTab.getByRole('button', { name: 'Edit server information' }).waitFor();

  // 2. Projects: Administration → Files → External file storages → + Storage; name, Host URL.
  await projectsTab.bringToFront();
  await projectsTab.goto(`${projects.url}/admin/settings/storages`);
  await signIn(projectsTab, 'admin', PROJECTS_ADMIN_PASSWORD);
  const general = await openNewStorageForm(projectsTab);
  await general.getByLabel('Name').fill('Our Cloud');
  await general.getByLabel('Host URL').fill(cloud.url);
  await general.getByRole('button', { name: 'Save and continue setup' }).click();

  // 3. Projects' generated OAuth values into Cloud's OpenProject OAuth fields; Save.
  const details = projectsTab.getByRole('region', { name: 'OpenProject OAuth application details' });
  const opClientId = await details.getByLabel('OpenProject OAuth Client ID').innerText();
  const opClientSecret = await details.getByLabel('OpenProject OAuth Client Secret').innerText();
  await cloudTab.bringToFront();
  await cloudTab.getByLabel('OpenProject OAuth client ID').fill(opClientId);
  await cloudTab.getByLabel('OpenProject OAuth client secret').fill(opClientSecret);
  await cloudTab.getByRole('button', { name: 'Save' }).click();

  // 4. Cloud's generated OAuth values back into Projects: Done, continue → Save and continue.
  const ncClientId = (await cloudTab.getByLabel('Nextcloud OAuth client ID').textContent())!;
  const ncClientSecret = (await cloudTab.getByLabel('Nextcloud OAuth client secret').textContent())!;
  await projectsTab.bringToFront();
  await details.getByRole('button', { name: 'Done, continue' }).click();
  const nextcloud = projectsTab.getByRole('form', { name: 'Nextcloud OAuth' });
  await nextcloud.getByLabel('Nextcloud OAuth Client ID').fill(ncClientId);
  await nextcloud.getByLabel('Nextcloud OAuth Client Secret').fill(ncClientSecret);
  await nextcloud.getByRole('button', { name: 'Save and continue' }).click();

  // 5. Automatically managed project folders: yes in Projects; Cloud makes the user, group and folder.
  const folders = projectsTab.getByRole('form', { name: 'Automatically managed project folders' });
  assert.equal(await folders.getByLabel('Automatically managed folders').isChecked(), true);
  await cloudTab.bringToFront();
  await cloudTab.getByRole('button', { name: 'Yes, I have copied these values' }).click();
  await cloudTab.getByRole('button', { name: 'Setup OpenProject user, group and folder' }).click();
  const appPassword = (await cloudTab.getByLabel('Application Password').textContent())!;
  await projectsTab.bringToFront();
  await folders.getByLabel('Application password').fill(appPassword);
  await folders.getByRole('button', { name: 'Done, complete setup' }).click();
  await projectsTab.getByText('Storage connected successfully! Remember to activate the storage in the Projects tab for each desired project to use it.').waitFor();
  await cloudTab.bringToFront();
  await cloudTab.getByRole('button', { name: 'Done, complete setup' }).click();
  await cloudTab.getByText('Default user settings').waitFor();
  assert.equal(await cloudTab.getByLabel('Step complete').count(), 3, 'three green check marks');
  // The page's diagnostics follow the completed setup: every check passes (none left over from earlier steps).
  const checks = cloudTab.getByRole('list', { name: 'Diagnostics checks' });
  await checks.getByLabel('app_password: passed').waitFor();
  assert.equal(await checks.getByLabel(/: failed$/).count(), 0, 'no failing diagnostics once the setup is complete');
  await snapshot(cloudTab, 'integration-setup-cloud-complete');
  await snapshot(projectsTab, 'integration-setup-projects-complete');

  // Both sides agree the setup is complete, and each holds the other's values.
  const storage = (await projects.api('GET', '/api/v3/storages', { auth: projects.adminAuth })).body._embedded.elements[0];
  assert.equal(storage.configured, true);
  assert.equal(storage.hasApplicationPassword, true);
  assert.equal(storage._embedded.oauthClientCredentials.clientId, ncClientId);
  assert.deepEqual((await projects.api('GET', `/api/admin/storages/${storage.id}/setup`, { auth: projects.adminAuth })).body.incomplete, []);
  assert.equal(await cloud.services.integrationOpenProject.isConfigOk(), true);
  assert.equal(await cloud.services.integrationOpenProject.get('openproject_client_id'), opClientId);

  // 6. Enabled in projects → + Add projects: the admin's Nextcloud login (Cloud's consent, same browser), then Apollo with managed folders.
  await projectsTab.bringToFront();
  await projectsTab.getByRole('link', { name: 'Enabled in projects' }).click();
  await projectsTab.getByRole('button', { name: '+ Add projects' }).click();
  await projectsTab.getByRole('region', { name: 'Login to Nextcloud required' }).getByRole('link', { name: 'Log in' }).click();
  await projectsTab.getByRole('button', { name: 'Grant access' }).click();
  await projectsTab.waitForURL((url) => url.origin === new URL(projects.url).origin && url.searchParams.get('tab') === 'projects');
  await projectsTab.getByRole('button', { name: '+ Add projects' }).click();
  const add = projectsTab.getByRole('form', { name: 'Add projects' });
  await add.getByLabel('Search projects').fill('Apollo');
  await add.getByLabel('Apollo', { exact: true }).check();
  assert.equal(await add.getByLabel('Project folders').inputValue(), 'automatic');
  await add.getByRole('button', { name: 'Add' }).click();
  const table = projectsTab.getByRole('table', { name: 'Enabled in projects' });
  await table.getByRole('row', { name: /Apollo/ }).getByText('New folder with automatically managed permissions').waitFor();
  await snapshot(projectsTab, 'integration-setup-enabled-in-projects');
});
