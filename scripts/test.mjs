#!/usr/bin/env node
// Runs every *.test.ts under packages/, apps/ and e2e/ with node:test (through tsx).
// `npm test -- apps/cloud` limits the run to the given folders or files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['packages', 'apps', 'e2e'];
const files = [];
const walk = (entry) => {
  if (!fs.existsSync(entry)) return;
  const stat = fs.statSync(entry);
  if (stat.isFile()) return void (entry.endsWith('.test.ts') && files.push(entry));
  for (const name of fs.readdirSync(entry)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    walk(path.join(entry, name));
  }
};
roots.forEach(walk);
files.sort();
// Web UIs (`apps/*/web`) test their components with vitest; run them when a root covers them.
const within = (child, parent) => !path.relative(path.resolve(parent), path.resolve(child)).startsWith('..');
const webs = fs
  .readdirSync('apps')
  .map((name) => path.join('apps', name, 'web'))
  .filter((web) => fs.existsSync(path.join(web, 'vite.config.ts')) && roots.some((root) => within(web, root) || within(root, web)));
if (files.length === 0 && webs.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
let failed = false;
for (const web of webs) {
  const vitest = spawnSync('npm', ['run', 'test', '--silent', '-w', web], { stdio: 'inherit' });
  failed ||= vitest.status !== 0;
}
if (files.length === 0) process.exit(failed ? 1 : 0);
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } },
);
process.exit(failed ? 1 : (result.status ?? 1));
