import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { JobQueue } from '@tandem/core';
import type { ProjectsDatabase } from '../db/schema.ts';

export interface CheckResult {
  name: string;
  success: boolean;
  message: string;
  /** Seconds the check took. */
  time: number;
}

/** Workers write a heartbeat this often; one silent for three beats counts as gone. */
export const HEARTBEAT_MS = 30_000;
const WORKER_GONE_MS = 3 * HEARTBEAT_MS;

/**
 * OpenProject's health checks (OkComputer): `default`, `database`, `worker`, `worker_backed_up`,
 * and the collections `web` and `full`. `/health_checks/all` runs every single check.
 */
export class HealthService {
  static readonly CHECKS = ['default', 'database', 'worker', 'worker_backed_up'] as const;
  static readonly COLLECTIONS: Record<string, readonly string[]> = {
    all: HealthService.CHECKS,
    web: ['default', 'database'],
    full: HealthService.CHECKS,
  };

  constructor(
    private readonly db: Kysely<ProjectsDatabase>,
    private readonly queue: JobQueue,
    private readonly neverRanMinutes: number,
  ) {}

  /** Checks other modules add (storage diagnostics); they run in `all` and `full`, never in `default`. */
  private readonly extra = new Map<string, () => Promise<{ success: boolean; message: string }>>();

  addCheck(name: string, check: () => Promise<{ success: boolean; message: string }>): void {
    this.extra.set(name, check);
  }

  /** The checks a name stands for (a check or a collection), or undefined for an unknown name. */
  checksFor(name: string): readonly string[] | undefined {
    if ((HealthService.CHECKS as readonly string[]).includes(name) || this.extra.has(name)) return [name];
    const collection = HealthService.COLLECTIONS[name];
    return collection && (name === 'all' || name === 'full') ? [...collection, ...this.extra.keys()] : collection;
  }

  async run(names: readonly string[]): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const name of names) {
      const started = performance.now();
      let outcome: { success: boolean; message: string };
      try {
        outcome = await this.check(name);
      } catch (error) {
        outcome = { success: false, message: error instanceof Error ? error.message : String(error) };
      }
      results.push({ name, ...outcome, time: (performance.now() - started) / 1000 });
    }
    return results;
  }

  /** Called by a running worker every HEARTBEAT_MS. */
  async heartbeat(id: string, startedAt: number): Promise<void> {
    const now = Date.now();
    await this.db
      .insertInto('worker_processes')
      .values({ id, hostname: os.hostname(), pid: process.pid, started_at: startedAt, seen_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ seen_at: now }))
      .execute();
    await this.db.deleteFrom('worker_processes').where('seen_at', '<', now - 10 * WORKER_GONE_MS).execute();
  }

  async workerStopped(id: string): Promise<void> {
    await this.db.deleteFrom('worker_processes').where('id', '=', id).execute();
  }

  private async check(name: string): Promise<{ success: boolean; message: string }> {
    const extra = this.extra.get(name);
    if (extra) return extra();
    switch (name) {
      case 'default':
        return { success: true, message: 'Application is running' };
      case 'database': {
        const row = await (this.db as Kysely<any>)
          .selectFrom('kysely_migration')
          .select('name')
          .orderBy('name', 'desc')
          .limit(1)
          .executeTakeFirst();
        await sql`select 1`.execute(this.db);
        return { success: true, message: `Schema version: ${row?.name ?? 'none'}` };
      }
      case 'worker': {
        const row = await this.db
          .selectFrom('worker_processes')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('seen_at', '>=', Date.now() - WORKER_GONE_MS)
          .executeTakeFirstOrThrow();
        const n = Number(row.n);
        return n === 0
          ? { success: false, message: 'No good_job processes are active.' }
          : { success: true, message: `${n} good_job processes are active.` };
      }
      default: {
        const { overdue } = await this.queue.stats(this.neverRanMinutes * 60_000);
        return overdue === 0
          ? { success: true, message: 'No jobs are waiting to be picked up.' }
          : { success: false, message: `${overdue} jobs are waiting to be picked up for more than ${this.neverRanMinutes} minutes.` };
      }
    }
  }
}
