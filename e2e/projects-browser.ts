import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestProjects, type TestProjects } from '../apps/projects/src/testing.ts';
import { ensureWebBuilt, launchChromium } from './browser.ts';

/**
 * A test file's Projects (SQLite, worker running) and Chromium, started before its tests and stopped
 * after them; the fields are filled in once `before` has run.
 */
export function projectsInBrowser(): { projects: TestProjects; browser: Browser } {
  const env = {} as { projects: TestProjects; browser: Browser };
  before(async () => {
    await ensureWebBuilt('projects');
    env.projects = await startTestProjects('sqlite');
    env.browser = await launchChromium();
  });
  after(async () => {
    await env.browser?.close();
    await env.projects?.stop();
  });
  return env;
}

/** Fill in the sign-in form (the page must show it) and wait until we have left it. */
export async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
}
