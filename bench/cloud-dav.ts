// Cloud's WebDAV against two peer WebDAV servers from Debian, measured in the same run on this machine:
// `rclone serve webdav` and Apache httpd with mod_dav_fs. All traffic stays on 127.0.0.1.
//
//   npm run bench -- bench/cloud-dav.ts        (or: npx tsx bench/cloud-dav.ts)
//
// Knobs (defaults are the sizes): BENCH_RUNS (3), BENCH_BIG_MIB (1024), BENCH_PROPFIND_FILES (10000),
// BENCH_SYNC_FILES (2000), BENCH_ONLY=transfer,propfind,sync, BENCH_CLOUD_NODE_OPTIONS (e.g.
// "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the Cloud process; written when it stops).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { basicAuth, cleanup, curlSeconds, exec, freePort, median, pool, seconds, spawnServer, table, workDir, type Server } from './harness.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BIG_MIB = Number(process.env.BENCH_BIG_MIB ?? 1024);
const PROPFIND_FILES = Number(process.env.BENCH_PROPFIND_FILES ?? 10_000);
const SYNC_FILES = Number(process.env.BENCH_SYNC_FILES ?? 2000);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'transfer,propfind,sync').split(','));
const PASSWORD = 'bench-password-1';
const ROOT = path.resolve(import.meta.dirname, '..');

const work = workDir('tandem-bench-dav-');
const logs = path.join(work, 'logs');
fs.mkdirSync(logs);

async function startCloud(): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nodeOptions = (process.env.BENCH_CLOUD_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const server = await spawnServer('cloud', process.execPath, [...nodeOptions, '--import', 'tsx', 'apps/cloud/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: path.join(work, 'cloud-data'),
      CLOUD_PORT: String(port),
      CLOUD_HOST: '127.0.0.1',
      CLOUD_URL: url,
      CLOUD_DATABASE_URL: '',
      CLOUD_ADMIN_PASSWORD: PASSWORD,
      CLOUD_BRUTEFORCE_PROTECTION: 'off',
      CLOUD_ROLE: 'all',
      LOG_LEVEL: 'warn',
    },
    readyUrl: `${url}/status.php`,
    logDir: logs,
  });
  return { name: 'Cloud', davUrl: `${url}/remote.php/dav/files/admin/`, user: 'admin', password: PASSWORD, vendor: 'nextcloud', stop: server.stop };
}

async function startRclone(root: string): Promise<Server> {
  const port = await freePort();
  const args = ['--config', '/dev/null', 'serve', 'webdav', root, '--addr', `127.0.0.1:${port}`, '--user', 'bench', '--pass', PASSWORD];
  const server = await spawnServer('rclone', 'rclone', args, { readyUrl: `http://127.0.0.1:${port}/`, logDir: logs });
  return { name: 'rclone serve', davUrl: `http://127.0.0.1:${port}/`, user: 'bench', password: PASSWORD, vendor: 'other', stop: server.stop };
}

/** Apache httpd in the foreground with a generated config: event MPM, mod_dav_fs, Basic auth. */
async function startApache(dir: string, root: string): Promise<Server> {
  const port = await freePort();
  const root0 = process.getuid?.() === 0;
  const modules = ['mpm_event', 'authz_core', 'authn_core', 'authn_file', 'auth_basic', 'authz_user', 'dav', 'dav_fs'];
  fs.mkdirSync(path.join(dir, 'lock'), { recursive: true });
  await exec('htpasswd', ['-bc', path.join(dir, 'htpasswd'), 'bench', PASSWORD]);
  const config = [
    `ServerRoot "${dir}"`,
    `ServerName 127.0.0.1`,
    `Listen 127.0.0.1:${port}`,
    `PidFile "${dir}/httpd.pid"`,
    `ErrorLog "${dir}/error.log"`,
    'LogLevel warn',
    // As root Apache must drop to another user; otherwise it runs as whoever started it.
    ...(root0 ? ['User www-data', 'Group www-data'] : []),
    ...modules.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
    `DavLockDB "${dir}/lock/DavLock"`,
    `DocumentRoot "${root}"`,
    // Apache ≥ 2.4.53 caps request bodies at 1 GiB by default.
    'LimitRequestBody 0',
    'KeepAlive On',
    `<Directory "${root}">`,
    '  Dav On',
    '  AuthType Basic',
    '  AuthName bench',
    `  AuthUserFile "${dir}/htpasswd"`,
    '  Require valid-user',
    '</Directory>',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'httpd.conf'), config);
  // The dropped-to user must own what it serves (and its lock database).
  if (root0) await exec('chown', ['-R', 'www-data:www-data', dir, root]);
  const server = await spawnServer('apache', '/usr/sbin/apache2', ['-f', path.join(dir, 'httpd.conf'), '-DFOREGROUND'], {
    readyUrl: `http://127.0.0.1:${port}/`,
    logDir: logs,
  });
  return { name: 'Apache mod_dav', davUrl: `http://127.0.0.1:${port}/`, user: 'bench', password: PASSWORD, vendor: 'other', stop: server.stop };
}

const auth = (s: Server) => ['-u', `${s.user}:${s.password}`];

async function mkcol(server: Server, name: string): Promise<void> {
  const res = await fetch(server.davUrl + name, { method: 'MKCOL', headers: { authorization: basicAuth(server.user, server.password) } });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`${server.name}: MKCOL ${name} → ${res.status}`);
}

/** A file of `mib` MiB from the kernel's random source, streamed to disk. */
async function randomFile(file: string, mib: number): Promise<void> {
  await pipeline(fs.createReadStream('/dev/urandom', { start: 0, end: mib * 1024 * 1024 - 1 }), fs.createWriteStream(file));
}

/** `count` small files spread over folders of 100, sizes 100 B – 8 KiB. */
function smallTree(root: string, count: number): void {
  for (let i = 0; i < count; i += 1) {
    const dir = path.join(root, `dir-${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `file-${i}.txt`), crypto.randomBytes(100 + ((i * 7919) % 8092)));
  }
}

const PROPFIND_BODY =
  '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/></d:prop></d:propfind>';

async function countResponses(server: Server, folder: string, depth: string): Promise<number> {
  const res = await fetch(server.davUrl + folder, {
    method: 'PROPFIND',
    headers: { authorization: basicAuth(server.user, server.password), depth, 'content-type': 'application/xml' },
    body: PROPFIND_BODY,
  });
  const text = await res.text();
  if (res.status !== 207) throw new Error(`${server.name}: PROPFIND ${folder} → ${res.status}`);
  return (text.match(/<(?:\w+:)?response[\s>]/g) ?? []).length;
}

/** rclone's webdav backend pointed at `server`, configured through the environment only. */
async function rcloneEnv(server: Server): Promise<NodeJS.ProcessEnv> {
  const { stdout } = await exec('rclone', ['obscure', server.password]);
  return {
    ...process.env,
    RCLONE_CONFIG_TARGET_TYPE: 'webdav',
    RCLONE_CONFIG_TARGET_URL: server.davUrl,
    RCLONE_CONFIG_TARGET_VENDOR: server.vendor,
    RCLONE_CONFIG_TARGET_USER: server.user,
    RCLONE_CONFIG_TARGET_PASS: stdout.trim(),
  };
}

interface Row {
  metric: string;
  unit: string;
  /** Higher is better (throughput) or lower is better (latency). */
  better: 'higher' | 'lower';
  values: Map<string, number>;
  target?: { ratio: number; text: string };
}

function report(rows: Row[], names: string[]): string {
  const out: string[][] = [];
  for (const row of rows) {
    const ours = row.values.get('Cloud');
    const peers = names.filter((n) => n !== 'Cloud' && row.values.has(n)).map((n) => row.values.get(n)!);
    const bestPeer = peers.length ? (row.better === 'higher' ? Math.max(...peers) : Math.min(...peers)) : undefined;
    // Ratio as "ours relative to the fastest peer": throughput ours/peer, latency peer/ours (so > 1 is faster, both ways).
    const ratio = ours !== undefined && bestPeer !== undefined ? (row.better === 'higher' ? ours / bestPeer : bestPeer / ours) : undefined;
    const verdict = ratio === undefined || !row.target ? '' : ratio >= row.target.ratio ? `met (${row.target.text})` : `MISSED (${row.target.text})`;
    out.push([
      `${row.metric} [${row.unit}]`,
      ...names.map((n) => (row.values.has(n) ? fmt(row.values.get(n)!) : '—')),
      ratio === undefined ? '—' : `${ratio.toFixed(2)}×`,
      verdict,
    ]);
  }
  return table(['metric (median)', ...names, 'ours vs fastest peer', 'target'], out);
}

/** `items` starting at position `i` (mod length): each run visits the servers in a different order. */
const rotate = <T>(items: T[], i: number): T[] => items.map((_, k) => items[(i + k) % items.length]!);
const secondsList = (times: number[]) => times.map((t) => t.toFixed(2)).join(', ');

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3));

async function main(): Promise<void> {
  const rcloneRoot = path.join(work, 'rclone-root');
  const apacheDir = path.join(work, 'apache');
  const apacheRoot = path.join(apacheDir, 'root');
  fs.mkdirSync(rcloneRoot);
  fs.mkdirSync(apacheRoot, { recursive: true });

  // Peers get their PROPFIND folder straight on disk (before Apache's chown); Cloud through WebDAV PUT.
  if (ONLY.has('propfind')) {
    for (const root of [rcloneRoot, apacheRoot]) {
      fs.mkdirSync(path.join(root, 'many'));
      for (let i = 0; i < PROPFIND_FILES; i += 1) fs.writeFileSync(path.join(root, 'many', `file-${i}.txt`), `content of file ${i}\n`);
    }
  }

  const servers = [await startCloud(), await startRclone(rcloneRoot), await startApache(apacheDir, apacheRoot)];
  const names = servers.map((s) => s.name);
  const rows: Row[] = [];
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, node ${process.version}`);
  console.log(`runs per measurement: ${RUNS}; logs in ${logs}\n`);

  if (ONLY.has('transfer')) {
    const big = path.join(work, 'big.bin');
    await randomFile(big, BIG_MIB);
    const bytes = BIG_MIB * 1024 * 1024;
    const putTimes = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    const getTimes = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    // Interleaved, rotating order: load from other processes on this machine hits every server alike.
    // `sync` first: each PUT starts with no dirty pages left over from the one before. Every PUT replaces
    // the same `big.bin`, so each server keeps one copy and the GETs read from the page cache, not the disk
    // (a new name per run left up to 16 GiB behind and turned some GETs into cold disk reads).
    for (let i = 0; i < RUNS; i += 1) {
      for (const server of rotate(servers, i)) {
        await exec('sync');
        // `Expect:` off: curl would otherwise wait for 100-continue, which servers answer differently.
        putTimes.get(server.name)!.push(await curlSeconds([...auth(server), '-H', 'Expect:', '-T', big, `${server.davUrl}big.bin`]));
      }
    }
    await exec('sync');
    for (let i = 0; i < RUNS; i += 1) {
      for (const server of rotate(servers, i)) getTimes.get(server.name)!.push(await curlSeconds([...auth(server), `${server.davUrl}big.bin`]));
    }
    const put = new Map<string, number>();
    const get = new Map<string, number>();
    for (const server of servers) {
      put.set(server.name, bytes / median(putTimes.get(server.name)!) / 2 ** 20);
      get.set(server.name, bytes / median(getTimes.get(server.name)!) / 2 ** 20);
      console.log(`${server.name}: PUT ${secondsList(putTimes.get(server.name)!)} s; GET ${secondsList(getTimes.get(server.name)!)} s`);
    }
    fs.rmSync(big);
    rows.push({ metric: `GET ${BIG_MIB} MiB`, unit: 'MiB/s', better: 'higher', values: get, target: { ratio: 0.9, text: '≥ 0.9×' } });
    rows.push({ metric: `PUT ${BIG_MIB} MiB`, unit: 'MiB/s', better: 'higher', values: put, target: { ratio: 1.0, text: '≥ 1.0×' } });
  }

  if (ONLY.has('propfind')) {
    const cloud = servers[0]!;
    await mkcol(cloud, 'many');
    const seed = await seconds(() =>
      pool(PROPFIND_FILES, 8, async (i) => {
        const res = await fetch(`${cloud.davUrl}many/file-${i}.txt`, {
          method: 'PUT',
          headers: { authorization: basicAuth(cloud.user, cloud.password) },
          body: `content of file ${i}\n`,
        });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`Cloud: PUT many/file-${i}.txt → ${res.status}`);
      }),
    );
    console.log(`Cloud: ${PROPFIND_FILES} small PUTs (8 in parallel) took ${seed.toFixed(1)} s (${(PROPFIND_FILES / seed).toFixed(0)} files/s)`);
    const body = path.join(work, 'propfind.xml');
    fs.writeFileSync(body, PROPFIND_BODY);
    const times = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    for (const server of servers) {
      const count = await countResponses(server, 'many/', '1');
      if (count !== PROPFIND_FILES + 1) throw new Error(`${server.name}: PROPFIND listed ${count} entries, expected ${PROPFIND_FILES + 1}`);
    }
    for (let i = 0; i < Math.max(7, RUNS); i += 1) {
      for (const server of rotate(servers, i)) {
        const args = [...auth(server), '-X', 'PROPFIND', '-H', 'Depth: 1', '-H', 'Content-Type: application/xml', '--data-binary', `@${body}`, `${server.davUrl}many/`];
        times.get(server.name)!.push(await curlSeconds(args));
      }
    }
    const latency = new Map<string, number>();
    for (const server of servers) {
      latency.set(server.name, median(times.get(server.name)!) * 1000);
      console.log(`${server.name}: PROPFIND Depth 1, ${PROPFIND_FILES} files: ${times.get(server.name)!.map((t) => (t * 1000).toFixed(0)).join(', ')} ms`);
    }
    rows.push({ metric: `PROPFIND D1 ${PROPFIND_FILES} files`, unit: 'ms', better: 'lower', values: latency, target: { ratio: 1.0, text: 'faster than every peer' } });
  }

  if (ONLY.has('sync')) {
    const tree = path.join(work, 'tree');
    smallTree(tree, SYNC_FILES);
    const cloud = servers[0]!;
    const ncTimes: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      // A first sync each time: fresh local copy (no journal), fresh HOME, fresh remote folder.
      const local = path.join(work, `nc-local-${i}`);
      const home = path.join(work, `nc-home-${i}`);
      fs.cpSync(tree, local, { recursive: true });
      fs.mkdirSync(home);
      await mkcol(cloud, `nc-${i}`);
      const url = new URL(cloud.davUrl).origin;
      const args = ['--non-interactive', '-s', '-u', cloud.user, '-p', cloud.password, '--path', `/nc-${i}`, local, url];
      ncTimes.push(await seconds(() => exec('nextcloudcmd', args, { env: { ...process.env, HOME: home }, maxBuffer: 256 * 1024 * 1024 })));
      const listed = await countResponses(cloud, `nc-${i}/`, 'infinity');
      if (listed !== SYNC_FILES + Math.ceil(SYNC_FILES / 100) + 1) throw new Error(`nextcloudcmd run ${i}: Cloud lists ${listed} entries`);
      fs.rmSync(local, { recursive: true });
    }
    console.log(`Cloud: nextcloudcmd first sync of ${SYNC_FILES} files: ${ncTimes.map((t) => t.toFixed(1)).join(', ')} s`);
    rows.push({ metric: `nextcloudcmd first sync ${SYNC_FILES} files`, unit: 's', better: 'lower', values: new Map([['Cloud', median(ncTimes)]]) });

    const copyTimes = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    const envs = new Map(await Promise.all(servers.map(async (s) => [s.name, await rcloneEnv(s)] as const)));
    for (let i = 0; i < RUNS; i += 1) {
      for (const server of rotate(servers, i)) {
        const run = () => exec('rclone', ['--config', '/dev/null', 'copy', tree, `target:rc-${i}`], { env: envs.get(server.name), maxBuffer: 64 * 1024 * 1024 });
        copyTimes.get(server.name)!.push(await seconds(run));
      }
    }
    const copy = new Map<string, number>();
    for (const server of servers) {
      copy.set(server.name, median(copyTimes.get(server.name)!));
      console.log(`${server.name}: rclone copy of ${SYNC_FILES} files: ${secondsList(copyTimes.get(server.name)!)} s`);
    }
    rows.push({ metric: `rclone copy ${SYNC_FILES} files`, unit: 's', better: 'lower', values: copy });
  }

  console.log(`\n${report(rows, names)}`);
  console.log('\nRatios: > 1× means Cloud is faster than the fastest peer (GET/PUT by throughput, the rest by time).');
  for (const server of servers) await server.stop();
}

try {
  await main();
} finally {
  await cleanup();
}
