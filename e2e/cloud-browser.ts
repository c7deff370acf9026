import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestCloud, type TestCloud } from '../apps/cloud/src/testing.ts';

/**
 * Browser tests of Cloud's web UI: build the UI once when it is missing or older than its sources,
 * and drive Debian's Chromium (no browser downloads are possible here).
 */
const WEB = fileURLToPath(new URL('../apps/cloud/web/', import.meta.url));
const INDEX = path.join(WEB, 'dist', 'index.html');
const LOCK = path.join(os.tmpdir(), 'tandem-cloud-web-build.lock');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

const fresh = () => fs.existsSync(INDEX) && fs.statSync(INDEX).mtimeMs >= newest(WEB);

/** Build `apps/cloud/web` unless up to date; test files running in parallel build it only once. */
export async function ensureCloudWebBuilt(): Promise<void> {
  if (fresh()) return;
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a crashed run is stale after five minutes.
      if (fs.existsSync(LOCK) && Date.now() - fs.statSync(LOCK).mtimeMs > 300_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another process to build the web UI');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (fresh()) return;
    const result = spawnSync('npm', ['run', 'build', '-w', 'apps/cloud/web'], { cwd: path.join(WEB, '../../..'), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`building the web UI failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Fill in the login form (the page must show it) and wait until we have left it. */
export async function submitLogin(page: Page, user: string, password: string): Promise<void> {
  await page.getByLabel('Account name or email').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

/** `E2E_SCREENSHOTS=<dir>` keeps a picture of each step for a human to look at. */
export async function snapshot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
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
