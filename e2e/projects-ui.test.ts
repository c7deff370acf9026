import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_ADMIN_PASSWORD } from '../apps/projects/src/testing.ts';
import { snapshot } from './browser.ts';
import { projectsInBrowser, signIn, signOut } from './projects-browser.ts';

const env = projectsInBrowser();

test('admin creates a project, a sub-project and a member; a work package assigned to the member notifies them', async () => {
  const { projects, browser } = env;
  const { auth: bobAuth } = await projects.createUser('bob');
  const context = await browser.newContext({ baseURL: projects.url });
  const page = await context.newPage();

  // A page behind the login comes back after signing in.
  await page.goto('/projects');
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('back_url') === '/projects');
  await signIn(page, 'admin', TEST_ADMIN_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/projects');

  await page.getByRole('button', { name: '+ Project' }).click();
  const form = page.getByRole('form', { name: 'New project' });
  await form.getByLabel('Name').fill('Apollo');
  await form.getByLabel('Description').fill('Landing on the moon.');
  await form.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL('**/projects/apollo');
  await page.getByText('Landing on the moon.').waitFor();

  await page.getByRole('button', { name: '+ Subproject' }).click();
  await page.getByRole('form', { name: 'New project' }).getByLabel('Name').fill('Lunar module');
  await page.getByRole('form', { name: 'New project' }).getByRole('button', { name: 'Create' }).click();
  await page.waitForURL('**/projects/lunar-module');
  await page.getByText('Subproject of').getByRole('link', { name: 'Apollo' }).click();
  await page.getByRole('region', { name: 'Subprojects' }).getByRole('link', { name: 'Lunar module' }).waitFor();
  await snapshot(page, 'projects-overview');

  await page.getByRole('navigation', { name: 'Project menu' }).getByRole('link', { name: 'Members' }).click();
  const addMember = page.getByRole('form', { name: 'Add member' });
  await addMember.getByLabel('User').selectOption({ label: 'Bob Tester' });
  await addMember.getByLabel('Role').selectOption({ label: 'Member' });
  await addMember.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('cell', { name: 'Bob Tester', exact: true }).waitFor();
  assert.equal(await page.getByLabel('Role of Bob Tester').inputValue(), String((await projects.services.roles.list()).find((r) => r.name === 'Member')!.id));
  await snapshot(page, 'projects-members');

  await page.getByRole('link', { name: 'Work packages' }).click();
  await page.getByRole('button', { name: '+ Create' }).click();
  const wpForm = page.getByRole('form', { name: 'New work package' });
  await wpForm.getByLabel('Subject').fill('Check the landing gear');
  await wpForm.getByLabel('Assignee').selectOption({ label: 'Bob Tester' });
  await wpForm.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: /Check the landing gear/ }).waitFor();
  assert.match(await page.getByRole('definition').filter({ hasText: 'Bob Tester' }).innerText(), /Bob Tester/);
  await page.getByRole('navigation', { name: 'Work package tabs' }).getByRole('link', { name: 'Files' }).click();
  await page.getByText('No files linked').waitFor();
  await snapshot(page, 'projects-work-package');

  // The table lists it, and the assignee filter finds it.
  await page.getByRole('link', { name: 'Work packages' }).click();
  await page.getByRole('form', { name: 'Filters' }).getByLabel('Assignee').selectOption({ label: 'Bob Tester' });
  await page.getByRole('table', { name: 'Work packages' }).getByRole('link', { name: 'Check the landing gear' }).waitFor();
  await page.getByRole('form', { name: 'Filters' }).getByLabel('Assignee').selectOption({ label: 'nobody' });
  await page.getByText('No work packages to display.').waitFor();

  // The "assigned" notification is made by a queue job.
  await projects.worker!.drain();
  await signOut(page);
  await signIn(page, 'bob', 'bob-password');
  await page.getByLabel('1 unread').waitFor();
  await page.getByRole('link', { name: /Notifications/ }).click();
  const notification = page.getByRole('list', { name: 'Notifications' }).getByRole('listitem').filter({ hasText: 'Check the landing gear' });
  await notification.getByText('Assigned').waitFor();
  await snapshot(page, 'projects-notifications');

  await notification.getByRole('button', { name: 'Mark as read' }).click();
  await page.getByText('New notifications will appear here').waitFor();
  await page.getByLabel('1 unread').waitFor({ state: 'detached' });
  const unread = await projects.api('GET', `/api/v3/notifications?filters=${encodeURIComponent('[{"read_ian":{"operator":"=","values":["f"]}}]')}`, { auth: bobAuth });
  assert.equal(unread.body.total, 0, 'marked read in the browser, the notification is read over API v3 too');

  // The notification links to the work package.
  await page.getByRole('button', { name: 'Read', exact: true }).click();
  await page.getByRole('link', { name: /Check the landing gear/ }).click();
  await page.getByRole('heading', { name: /Check the landing gear/ }).waitFor();
  await context.close();
});

test('the sign-in page follows back_url to the OAuth consent page (a full page load of a server page)', async () => {
  const { projects, browser } = env;
  const redirect = 'https://cloud.example/apps/integration_openproject/oauth-redirect';
  const { application } = await projects.services.oauth.createApplication(null, { name: 'Cloud', redirectUris: [redirect] });
  const authorize = `/oauth/authorize?${new URLSearchParams({ client_id: application.uid, redirect_uri: redirect, response_type: 'code', state: 's1' })}`;
  const context = await browser.newContext({ baseURL: projects.url });
  const page = await context.newPage();
  await page.goto(`/login?back_url=${encodeURIComponent(authorize)}`);
  await signIn(page, 'admin', TEST_ADMIN_PASSWORD);
  await page.getByRole('heading', { name: 'Authorize Cloud' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/oauth/authorize');
  await context.close();
});
