import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * What every browser test needs, whichever server's UI it drives: the UI built (once, when missing
 * or older than its sources) and Debian's Chromium (no browser downloads are possible here).
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * Build `apps/<server>/web` unless up to date (shared UI pieces in `packages/web-kit` count too);
 * test files running in parallel build it only once.
 */
export async function ensureWebBuilt(server: 'cloud' | 'projects'): Promise<void> {
  const web = path.join(ROOT, 'apps', server, 'web');
  const index = path.join(web, 'dist', 'index.html');
  const sources = () => Math.max(newest(web), newest(path.join(ROOT, 'packages', 'web-kit')));
  const fresh = () => fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources();
  if (fresh()) return;
  const lock = path.join(os.tmpdir(), `tandem-${server}-web-build.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock left by a crashed run is stale after five minutes.
      if (fs.existsSync(lock) && Date.now() - fs.statSync(lock).mtimeMs > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another process to build the web UI');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (fresh()) return;
    const result = spawnSync('npm', ['run', 'build', '-w', `apps/${server}/web`], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`building the ${server} web UI failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
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

/** `E2E_SCREENSHOTS=<dir>` keeps a picture of each step for a human to look at. */
export async function snapshot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
