#!/usr/bin/env node
// Runs the benchmarks in bench/ one after another through tsx (`npm run bench -- bench/cloud-dav.ts` for one).
// Benchmarks are not tests: they print absolute figures and ratios against peers measured in the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const files = args.length
  ? args
  : fs
      .readdirSync('bench')
      .filter((name) => name.endsWith('.ts') && name !== 'harness.ts')
      .sort()
      .map((name) => path.join('bench', name));
let failed = false;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
