import { after, before } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestCloud, type TestCloud } from '../apps/cloud/src/testing.ts';
import { startTestProjects, type TestProjects } from '../apps/projects/src/testing.ts';
import { ensureWebBuilt, launchChromium } from './browser.ts';

export interface CloudAndProjects {
  cloud: TestCloud;
  projects: TestProjects;
  browser: Browser;
  /** One browser context (so one Cloud session and one Projects session) with a tab on each server. */
  twoTabs(): Promise<{ cloudTab: Page; projectsTab: Page }>;
}

/**
 * A test file's real Cloud and real Projects (SQLite test databases, both web UIs built) and Chromium,
 * started before its tests and stopped after them; the fields are filled in once `before` has run.
 * Cloud has `allow_local_remote_servers` set (Projects runs on 127.0.0.1) unless the test wants to
 * see the refusal itself.
 */
export function cloudAndProjectsInBrowser(options: { allowLocalRemoteServers?: boolean } = {}): CloudAndProjects {
  const env = {
    async twoTabs() {
      const context = await env.browser.newContext();
      return { cloudTab: await context.newPage(), projectsTab: await context.newPage() };
    },
  } as CloudAndProjects;
  before(async () => {
    await ensureWebBuilt('cloud');
    await ensureWebBuilt('projects');
    env.cloud = await startTestCloud('sqlite');
    if (options.allowLocalRemoteServers ?? true) await env.cloud.services.settings.repository.setSystem('allow_local_remote_servers', '1');
    env.projects = await startTestProjects('sqlite');
    env.browser = await launchChromium();
  });
  after(async () => {
    await env.browser?.close();
    await env.projects?.stop();
    await env.cloud?.stop();
  });
  return env;
}

/** Seed step 1 in Cloud, from the Apps page: Integration, search "OpenProject", enable, open its settings page. */
export async function enableOpenProjectIntegration(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Integration' }).click();
  await page.getByLabel('Search apps').fill('OpenProject');
  await page.getByText('OpenProject Integration').first().waitFor();
  await page.getByRole('button', { name: 'Enable integration_openproject' }).click();
  await page.getByRole('button', { name: 'Disable integration_openproject' }).waitFor();
  await page.getByRole('link', { name: 'OpenProject Integration' }).click();
}

/** Seed step 2 in Projects, from Administration: External file storages, + Storage; the New storage form (Nextcloud preselected). */
export async function openNewStorageForm(page: Page): Promise<Locator> {
  await page.getByRole('link', { name: 'External file storages' }).click();
  await page.getByRole('button', { name: '+ Storage' }).click();
  await page.getByRole('heading', { name: 'New storage' }).waitFor();
  const general = page.getByRole('form', { name: 'General information' });
  if ((await general.getByLabel('Provider type').inputValue()) !== 'nextcloud') throw new Error('Nextcloud is not the default provider type');
  return general;
}
