// Cloud's browser tests: its login form and a per-file Cloud + Chromium (the rest is in browser.ts).
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestCloud, type TestCloud } from '../apps/cloud/src/testing.ts';
import { ensureWebBuilt, launchChromium } from './browser.ts';

export { launchChromium, snapshot } from './browser.ts';

/** Build `apps/cloud/web` unless up to date (see `ensureWebBuilt`). */
export const ensureCloudWebBuilt = (): Promise<void> => ensureWebBuilt('cloud');

/** Fill in the login form (the page must show it) and wait until we have left it. */
export async function submitLogin(page: Page, user: string, password: string): Promise<void> {
  await page.getByLabel('Account name or email').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

/**
 * A test file's Cloud (SQLite) and Chromium, started before its tests and stopped after them; the
 * fields are filled in once `before` has run.
 */
export function cloudInBrowser(): { cloud: TestCloud; browser: Browser } {
  const env = {} as { cloud: TestCloud; browser: Browser };
  before(async () => {
    await ensureCloudWebBuilt();
    env.cloud = await startTestCloud('sqlite');
    env.browser = await launchChromium();
  });
  after(async () => {
    await env.browser?.close();
    await env.cloud?.stop();
  });
  return env;
}
