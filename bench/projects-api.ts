// Projects API v3 latency under load: work package lists over 100,000 work packages and the notification
// list of a user with 10,000 notifications, on SQLite and on PostgreSQL, with `wrk` at 20 connections.
// Prints p50/p99 per dialect and the plan (EXPLAIN QUERY PLAN / EXPLAIN) of every SQL query each request ran.
//
//   npm run bench -- bench/projects-api.ts     (or: npx tsx bench/projects-api.ts)
//
// Knobs: BENCH_DIALECTS (sqlite,postgres), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres;
// a fresh database is created in it and dropped), BENCH_WORK_PACKAGES (100000), BENCH_NOTIFICATIONS (10000),
// BENCH_DURATION (15s per endpoint), BENCH_CONNECTIONS (20).
import { CompiledQuery, type Kysely } from 'kysely';
import type { TestDialect } from '@tandem/core/testkit';
import type { ProjectsDatabase } from '../apps/projects/src/db/schema.ts';
import { startTestProjects, type TestProjects } from '../apps/projects/src/testing.ts';
import { cleanup, exec, table } from './harness.ts';

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
process.env.LOG_LEVEL ??= 'warn';
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as TestDialect[];
const WORK_PACKAGES = Number(process.env.BENCH_WORK_PACKAGES ?? 100_000);
const NOTIFICATIONS = Number(process.env.BENCH_NOTIFICATIONS ?? 10_000);
const DURATION = process.env.BENCH_DURATION ?? '15s';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const PROJECTS = 20;
const BATCH = 1000;

const filters = (list: unknown) => `filters=${encodeURIComponent(JSON.stringify(list))}`;
/** What the benchmark requests, as the bench user (member of half the projects). */
const ENDPOINTS = [
  {
    name: 'work packages: open, newest first',
    path: `/api/v3/work_packages?${filters([{ status: { operator: 'o', values: [] } }])}&sortBy=${encodeURIComponent('[["updated_at","desc"]]')}&pageSize=20`,
  },
  {
    name: 'work packages: open, assigned to me',
    path: `/api/v3/work_packages?${filters([{ status: { operator: 'o', values: [] } }, { assignee: { operator: '=', values: ['me'] } }])}&pageSize=20`,
  },
  { name: 'notifications', path: '/api/v3/notifications' },
  { name: 'notifications: unread', path: `/api/v3/notifications?${filters([{ readIAN: { operator: '=', values: ['f'] } }])}` },
];

interface Seeded {
  server: TestProjects;
  auth: string;
}

/**
 * Bulk data straight into the tables (the API would take hours for 100,000 work packages and would
 * notify through jobs); projects, the user and memberships go through the API like a real setup.
 */
async function seed(dialect: TestDialect): Promise<Seeded> {
  const server = await startTestProjects(dialect);
  try {
    return { server, auth: await fill(server, dialect) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Returns the `Authorization` header of the requesting user. */
async function fill(server: TestProjects, dialect: TestDialect): Promise<string> {
  const db = server.services.db;
  const api = async (method: string, path: string, body: unknown) => {
    const res = await server.api(method, path, { auth: server.adminAuth, body });
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const bench = await server.createUser('bench');
  const others = await Promise.all(['ada', 'bob', 'cyd'].map((login) => server.createUser(login)));
  const roles = (await api('GET', '/api/v3/roles', undefined))._embedded.elements as { id: number; name: string }[];
  const member = roles.find((r) => r.name === 'Member')!.id;
  const projectIds: number[] = [];
  for (let p = 0; p < PROJECTS; p += 1) {
    const project = await api('POST', '/api/v3/projects', { name: `Project ${p}` });
    projectIds.push(project.id);
    if (p % 2 === 0) {
      const links = { project: { href: `/api/v3/projects/${project.id}` }, principal: { href: `/api/v3/users/${bench.user.id}` }, roles: [{ href: `/api/v3/roles/${member}` }] };
      await api('POST', '/api/v3/memberships', { _links: links });
    }
  }
  const types = (await db.selectFrom('types').select('id').execute()).map((t) => t.id);
  const statuses = (await db.selectFrom('statuses').select('id').execute()).map((s) => s.id);
  const people = [bench.user.id, ...others.map((o) => o.user.id), null];
  const start = Date.now() - WORK_PACKAGES * 60_000;
  for (let from = 0; from < WORK_PACKAGES; from += BATCH) {
    const rows = [];
    for (let i = from; i < Math.min(from + BATCH, WORK_PACKAGES); i += 1) {
      rows.push({
        project_id: projectIds[i % PROJECTS]!,
        type_id: types[i % types.length]!,
        status_id: statuses[(i * 7) % statuses.length]!,
        subject: `Work package ${i}: ${['fix', 'plan', 'review', 'ship'][i % 4]} the ${['door', 'roof', 'api', 'docs'][(i >> 2) % 4]}`,
        description: '',
        author_id: others[i % others.length]!.user.id,
        assignee_id: people[(i * 13) % people.length] ?? null,
        start_date: null,
        due_date: null,
        lock_version: 0,
        created_at: start + i * 60_000,
        updated_at: start + ((i * 7919) % WORK_PACKAGES) * 60_000,
      });
    }
    await db.insertInto('work_packages').values(rows).execute();
  }
  // One journal (version 1) per notified work package, each notifying the bench user and the three others
  // once (so the bench user owns a quarter of the table, as one of many users would).
  const visible = await db
    .selectFrom('work_packages')
    .select(['id', 'project_id', 'created_at'])
    .where('project_id', 'in', projectIds.filter((_, p) => p % 2 === 0))
    .orderBy('id')
    .limit(NOTIFICATIONS)
    .execute();
  const recipients = [bench, ...others].map((r) => r.user.id);
  for (let from = 0; from < visible.length; from += BATCH) {
    const chunk = visible.slice(from, from + BATCH);
    const journals = await db
      .insertInto('journals')
      .values(chunk.map((w) => ({ work_package_id: w.id, user_id: others[0]!.user.id, version: 1, notes: '', details: '[]', created_at: w.created_at, updated_at: w.created_at })))
      .returning(['id', 'work_package_id'])
      .execute();
    const byWp = new Map(journals.map((j) => [Number(j.work_package_id), Number(j.id)]));
    // One insert per recipient: SQLite takes at most 32,766 bound parameters per statement.
    for (const recipient_id of recipients) {
      await db
        .insertInto('notifications')
        .values(
          chunk.map((w, k) => ({
            recipient_id,
            reason: ['assigned', 'mentioned', 'watched'][k % 3]!,
            read_ian: k % 3 === 0 ? 1 : 0,
            resource_id: w.id,
            project_id: w.project_id,
            actor_id: recipient_id === others[0]!.user.id ? bench.user.id : others[0]!.user.id,
            journal_id: byWp.get(w.id)!,
            created_at: w.created_at,
            updated_at: w.created_at,
          })),
        )
        .execute();
    }
  }
  // PostgreSQL's autovacuum would analyze tables this size on its own; do it now instead of waiting.
  if (dialect === 'postgres') await db.executeQuery(CompiledQuery.raw('ANALYZE'));
  return bench.auth;
}

/** The SQL statements the server runs while `fn` runs (read from the shared Kysely executor). */
async function capture(db: Kysely<ProjectsDatabase>, fn: () => Promise<unknown>): Promise<CompiledQuery[]> {
  const executor = db.getExecutor() as unknown as { executeQuery: (...args: unknown[]) => Promise<unknown> };
  const original = executor.executeQuery;
  const seen: CompiledQuery[] = [];
  executor.executeQuery = function (this: unknown, ...args: unknown[]) {
    seen.push(args[0] as CompiledQuery);
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    executor.executeQuery = original;
  }
  return seen;
}

async function plan(db: Kysely<ProjectsDatabase>, dialect: TestDialect, query: CompiledQuery): Promise<string[]> {
  const prefix = dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN ';
  const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + query.sql, [...query.parameters]));
  return result.rows.map((row) => String(dialect === 'sqlite' ? row.detail : row['QUERY PLAN']));
}

/** wrk's latency distribution (p50, p99 in ms) and throughput; fails on any non-2xx answer. */
async function wrk(url: string, auth: string): Promise<{ p50: number; p99: number; rps: number }> {
  const { stdout } = await exec('wrk', ['-t', '2', '-c', String(CONNECTIONS), '-d', DURATION, '--latency', '-H', `Authorization: ${auth}`, url], { maxBuffer: 1024 * 1024 });
  if (/Non-2xx or 3xx responses/.test(stdout)) throw new Error(`wrk saw errors:\n${stdout}`);
  const ms = (label: string) => {
    const match = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(stdout);
    if (!match) throw new Error(`no ${label}% in wrk output:\n${stdout}`);
    return Number(match[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[match[2]!]!;
  };
  return { p50: ms('50'), p99: ms('99'), rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN) };
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const plans: string[] = [];
  for (const dialect of DIALECTS) {
    const started = Date.now();
    const { server, auth } = await seed(dialect);
    try {
      console.log(`${dialect}: seeded ${WORK_PACKAGES} work packages, ${NOTIFICATIONS} notifications in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      for (const endpoint of ENDPOINTS) {
        const url = server.url + endpoint.path;
        let total: unknown;
        const queries = await capture(server.services.db, async () => {
          const res = await fetch(url, { headers: { authorization: auth } });
          const body = (await res.json()) as { total?: number };
          if (res.status !== 200) throw new Error(`${endpoint.path} → ${res.status} ${JSON.stringify(body)}`);
          total = body.total;
        });
        plans.push(`-- ${dialect} · ${endpoint.name} (total ${String(total)})`);
        plans.push(`   ${queries.length} SQL statements per request`);
        // The same statement may run several times per request (same SQL and parameters): show it once, counted.
        const distinct = new Map<string, { query: CompiledQuery; times: number }>();
        for (const query of queries.filter((q) => /from "(work_packages|notifications)"/.test(q.sql))) {
          const key = `${query.sql}\0${JSON.stringify(query.parameters)}`;
          const entry = distinct.get(key) ?? { query, times: 0 };
          entry.times += 1;
          distinct.set(key, entry);
        }
        for (const { query, times } of distinct.values()) {
          plans.push(`   ${times > 1 ? `(×${times}) ` : ''}${query.sql}`);
          for (const line of await plan(server.services.db, dialect, query)) plans.push(`     ${line}`);
        }
        const result = await wrk(url, auth);
        // wrk stops with requests still queued in the server; let them finish before the next run or stop.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        rows.push([endpoint.name, dialect, String(total), result.p50.toFixed(1), result.p99.toFixed(1), result.rps.toFixed(0)]);
        console.log(`${dialect}: ${endpoint.name}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.rps.toFixed(0)} req/s`);
      }
    } finally {
      await server.stop();
    }
  }
  console.log(`\nwrk -c ${CONNECTIONS} -d ${DURATION}, ${WORK_PACKAGES} work packages, ${NOTIFICATIONS} notifications of the requesting user\n`);
  console.log(table(['endpoint', 'dialect', 'total', 'p50 ms', 'p99 ms', 'req/s'], rows));
  console.log(`\nQuery plans (every list query each request ran):\n${plans.join('\n')}`);
}

try {
  await main();
} finally {
  await cleanup();
}
