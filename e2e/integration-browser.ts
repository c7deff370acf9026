import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
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
