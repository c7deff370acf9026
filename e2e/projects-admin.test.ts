import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_ADMIN_PASSWORD, apiKeyAuth } from '../apps/projects/src/testing.ts';
import { snapshot } from './browser.ts';
import { projectsInBrowser, signIn, signOut } from './projects-browser.ts';

const env = projectsInBrowser();

test('administration: users created, locked and deleted; a file permission granted in the matrix; an OAuth application with its secret shown once', async () => {
  const { projects, browser } = env;
  const context = await browser.newContext({ baseURL: projects.url });
  const page = await context.newPage();
  await page.goto('/admin/users');
  await signIn(page, 'admin', TEST_ADMIN_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/admin/users');

  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Username').fill('dave');
  await form.getByLabel('First name').fill('Dave');
  await form.getByLabel('Last name').fill('Lister');
  await form.getByLabel('Email').fill('dave@example.org');
  await form.getByLabel('Password').fill('dave-password-1');
  await form.getByRole('button', { name: 'Create' }).click();
  const daveRow = page.getByRole('row', { name: /dave@example\.org/ });
  await daveRow.getByText('Active').waitFor();
  // The same login again: OpenProject's message is shown.
  await form.getByLabel('Username').fill('dave');
  await form.getByLabel('First name').fill('Dave');
  await form.getByLabel('Last name').fill('Again');
  await form.getByLabel('Password').fill('dave-password-1');
  await form.getByRole('button', { name: 'Create' }).click();
  assert.match(await page.getByRole('alert').innerText(), /taken/i);
  await snapshot(page, 'projects-admin-users');

  // Locked, Dave cannot sign in.
  await page.getByRole('button', { name: 'Lock dave' }).click();
  await daveRow.getByText('Locked').waitFor();
  await signOut(page);
  await page.getByLabel('Username').fill('dave');
  await page.getByLabel('Password').fill('dave-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  await signIn(page, 'admin', TEST_ADMIN_PASSWORD);

  // Roles and permissions: the Reader role gets "Manage file links".
  await page.goto('/admin/roles');
  const grant = page.getByRole('checkbox', { name: 'Reader: Manage file links' });
  assert.equal(await grant.isChecked(), false);
  await grant.check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').getByText('Successful update.').waitFor();
  const reader = (await projects.api('GET', '/api/admin/roles', { auth: projects.adminAuth })).body.roles.find((r: { name: string }) => r.name === 'Reader');
  assert.ok(reader.permissions.includes('manage_file_links'));
  await snapshot(page, 'projects-admin-roles');

  // OAuth applications: the secret is shown once and works at the token endpoint.
  await page.getByRole('link', { name: 'OAuth applications' }).click();
  const appForm = page.getByRole('form', { name: 'New OAuth application' });
  await appForm.getByLabel('Name').fill('Cloud');
  await appForm.getByLabel('Redirect URI').fill('https://cloud.example/apps/integration_openproject/oauth-redirect');
  await appForm.getByRole('button', { name: 'Create' }).click();
  const clientId = (await page.getByLabel('Client ID', { exact: true }).innerText()).trim();
  const clientSecret = (await page.getByLabel('Client secret', { exact: true }).innerText()).trim();
  await page.getByRole('cell', { name: 'Cloud', exact: true }).waitFor();
  const token = await fetch(`${projects.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: 'not-a-code', redirect_uri: 'https://cloud.example/apps/integration_openproject/oauth-redirect', client_id: clientId, client_secret: clientSecret }),
  });
  assert.equal(((await token.json()) as { error: string }).error, 'invalid_grant', 'the client authenticates with the secret shown (the made-up code is what fails)');
  await snapshot(page, 'projects-admin-oauth');
  await page.getByRole('button', { name: 'Delete Cloud' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('cell', { name: 'Cloud', exact: true }).waitFor({ state: 'detached' });

  // Deleted, Dave is gone.
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Delete dave' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await daveRow.waitFor({ state: 'detached' });
  assert.equal(await projects.services.users.findByLogin('dave'), undefined);
  await context.close();
});

test('a member edits a work package and comments; switches a module off; creates and revokes an API key in My account', async () => {
  const { projects, browser } = env;
  const { user: erin } = await projects.createUser('erin');
  const project = await projects.api('POST', '/api/v3/projects', { auth: projects.adminAuth, body: { name: 'Gemini', identifier: 'gemini' } });
  const projectAdmin = (await projects.services.roles.list()).find((r) => r.name === 'Project admin')!;
  await projects.api('POST', '/api/v3/memberships', {
    auth: projects.adminAuth,
    body: { _links: { project: { href: `/api/v3/projects/${project.body.id}` }, principal: { href: `/api/v3/users/${erin.id}` }, roles: [{ href: `/api/v3/roles/${projectAdmin.id}` }] } },
  });
  const wp = await projects.api('POST', '/api/v3/projects/gemini/work_packages', { auth: projects.adminAuth, body: { subject: 'Dock with Agena' } });
  assert.equal(wp.status, 201);

  const context = await browser.newContext({ baseURL: projects.url });
  const page = await context.newPage();
  await page.goto(`/work_packages/${wp.body.id}`);
  await signIn(page, 'erin', 'erin-password');
  await page.getByRole('heading', { name: /Dock with Agena/ }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0, 'no administration for a non-admin');

  await page.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit work package' });
  await edit.getByLabel('Subject').fill('Dock with the Agena target');
  await edit.getByLabel('Status').selectOption({ label: 'In progress' });
  await edit.getByLabel('Assignee').selectOption({ label: 'Erin Tester' });
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: /Dock with the Agena target/ }).waitFor();
  const activity = page.getByRole('region', { name: 'Activity' });
  await activity.getByText(/Status changed from New to In progress/).waitFor();
  await page.getByRole('textbox', { name: 'Comment' }).fill('Docking at 6:14 pm.');
  await page.getByRole('button', { name: 'Save comment' }).click();
  await activity.getByText('Docking at 6:14 pm.').waitFor();
  await snapshot(page, 'projects-work-package-activity');
  const stored = await projects.api('GET', `/api/v3/work_packages/${wp.body.id}`, { auth: projects.adminAuth });
  assert.equal(stored.body._links.status.title, 'In progress');
  assert.equal(stored.body._links.assignee.title, 'Erin Tester');

  await page.getByRole('link', { name: 'Modules' }).click();
  await page.getByRole('checkbox', { name: 'File storages' }).uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Successful update.').waitFor();
  const modules = await projects.api('GET', '/api/projects/gemini/modules', { auth: projects.adminAuth });
  assert.equal(modules.body.modules.find((m: { name: string }) => m.name === 'storages').enabled, false);

  await page.getByRole('link', { name: 'My account' }).click();
  await page.getByLabel('Token name').fill('Scripts');
  await page.getByRole('button', { name: '+ API token' }).click();
  const key = (await page.getByLabel('API key', { exact: true }).innerText()).trim();
  const me = await projects.api('GET', '/api/v3/users/me', { auth: apiKeyAuth(key) });
  assert.equal(me.body.login, 'erin');
  await page.getByRole('button', { name: 'Revoke Scripts' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('cell', { name: 'Scripts', exact: true }).waitFor({ state: 'detached' });
  assert.equal((await projects.api('GET', '/api/v3/users/me', { auth: apiKeyAuth(key) })).status, 401);
  await context.close();
});
