// Shared plumbing for benchmarks: child processes, free ports, timing with curl, medians, tables.
// Everything a benchmark starts is registered here and torn down on exit, Ctrl-C included.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const exec = promisify(execFile);

const children = new Set<ChildProcess>();
const dirs = new Set<string>();
let cleaning: Promise<void> | undefined;

/** Stop every child we started (by pid, SIGTERM then SIGKILL) and remove our temp folders. */
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((child) => stopChild(child)));
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

/** A temp folder removed by `cleanup()`; readable by other users (Apache drops to www-data). */
export function workDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  dirs.add(dir);
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return void children.delete(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

export interface Server {
  name: string;
  /** URL of the WebDAV collection the benchmark works in, with trailing slash. */
  davUrl: string;
  user: string;
  password: string;
  /** rclone's webdav `vendor` for this server. */
  vendor: string;
  stop(): Promise<void>;
}

/**
 * Spawn a server process and wait (bounded) until `readyUrl` answers any HTTP status.
 * Its output goes to `<logDir>/<name>.log` so failures can be read afterwards.
 */
export async function spawnServer(
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; readyUrl: string; logDir: string },
): Promise<{ stop(): Promise<void>; log: string }> {
  const log = path.join(options.logDir, `${name}.log`);
  const out = fs.openSync(log, 'a');
  const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  children.add(child);
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${log}:\n${fs.readFileSync(log, 'utf8').slice(-2000)}`);
    const up = await fetch(options.readyUrl, { method: 'OPTIONS' }).then(
      () => true,
      () => false,
    );
    if (up) return { stop: () => stopChild(child), log };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopChild(child);
  throw new Error(`${name} did not answer ${options.readyUrl} within 30 s; see ${log}`);
}

/** Run curl once; returns its `%{time_total}` in seconds (transfer only, not process start). */
export async function curlSeconds(args: string[]): Promise<number> {
  const { stdout } = await exec('curl', ['-sS', '--fail', '-o', '/dev/null', '-w', '%{time_total}', ...args], { maxBuffer: 1024 * 1024 });
  return Number(stdout.trim());
}

/** Wall-clock seconds of `fn`. */
export async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Run `fn(i)` for i in [0, count) with at most `parallel` in flight. */
export async function pool(count: number, parallel: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, count) }, async () => {
    while (next < count) await fn(next++);
  });
  await Promise.all(lanes);
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A plain-text table with right-aligned columns after the first. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
