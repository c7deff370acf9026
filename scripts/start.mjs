#!/usr/bin/env node
// `npm start`: both servers (or the one named: `cloud`, `projects`) on the embedded defaults.
// Builds a server's web UI first when its build output is missing or older than its sources.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const wanted = process.argv.slice(2);
const servers = ['projects', 'cloud'].filter(
  (name) => (wanted.length === 0 || wanted.includes(name)) && fs.existsSync(`apps/${name}/src/main.ts`),
);

const newest = (dir) => {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
};

for (const name of servers) {
  const web = `apps/${name}/web`;
  if (!fs.existsSync(path.join(web, 'package.json'))) continue;
  const built = path.join(web, 'dist', 'index.html');
  // Shared UI pieces (packages/web-kit) are part of every UI's sources.
  const sources = Math.max(newest(web), fs.existsSync('packages/web-kit') ? newest('packages/web-kit') : 0);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) continue;
  console.log(`Building the ${name} web UI…`);
  const result = spawnSync('npm', ['run', 'build', '-w', `apps/${name}/web`], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const children = servers.map((name) =>
  spawn(process.execPath, ['--import', 'tsx', `apps/${name}/src/main.ts`], { stdio: 'inherit' }),
);
const stopAll = (signal) => children.forEach((child) => child.kill(signal));
process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
let exited = 0;
for (const child of children) {
  child.on('exit', (code) => {
    exited += 1;
    if (code && code !== 0) {
      stopAll('SIGTERM');
      process.exitCode = code;
    }
    if (exited === children.length) process.exit();
  });
}
