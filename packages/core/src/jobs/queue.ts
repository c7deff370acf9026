import { EventEmitter } from 'node:events';
import type { Kysely, Selectable } from 'kysely';
import { dialectOf } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { JobsTable } from './migration.ts';

interface JobsDb {
  jobs: JobsTable;
}
export type Job = Selectable<JobsTable>;

export interface EnqueueOptions {
  /** Earliest start, epoch ms. */
  runAt?: number;
  /** While a job with this key is pending or running, enqueueing another one is a no-op. */
  uniqueKey?: string;
  maxAttempts?: number;
}

export type JobHandler = (payload: any, job: Job) => Promise<void>;

export interface ScheduledJob {
  name: string;
  everyMs: number;
}

/** How long a claimed job stays ours; a worker killed mid-job frees it after this lease. */
const LEASE_MS = 5 * 60_000;
const backoffMs = (attempts: number) => Math.min(60 * 60_000, 1000 * 2 ** attempts);

/**
 * A durable job queue on the database. Same code on SQLite and PostgreSQL (`SKIP LOCKED` there, so
 * several workers can share it). Jobs are retried with exponential back-off; a crashed worker's job is
 * picked up again when its lease runs out.
 */
export class JobQueue {
  private readonly db: Kysely<JobsDb>;
  private readonly wakeups = new EventEmitter();

  constructor(db: Kysely<any>) {
    this.db = db as Kysely<JobsDb>;
  }

  async enqueue(name: string, payload: unknown = {}, options: EnqueueOptions = {}): Promise<void> {
    const now = Date.now();
    await this.db
      .insertInto('jobs')
      .values({
        name,
        payload: JSON.stringify(payload),
        status: 'pending',
        unique_key: options.uniqueKey ?? null,
        run_at: options.runAt ?? now,
        max_attempts: options.maxAttempts ?? 10,
        locked_until: null,
        last_error: null,
        created_at: now,
        finished_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    this.wakeups.emit('job');
  }

  /** Claim the next due job (or one whose worker died) for this worker. */
  async claim(now = Date.now()): Promise<Job | undefined> {
    let next = this.db
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
        ]),
      )
      .orderBy('run_at')
      .limit(1);
    if (dialectOf(this.db) === 'postgres') next = next.forUpdate().skipLocked();
    return this.db
      .updateTable('jobs')
      .set((eb) => ({ status: 'running', locked_until: now + LEASE_MS, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', (eb) => eb.selectFrom(next.as('next')).select('next.id'))
      .returningAll()
      .executeTakeFirst();
  }

  async complete(job: Job): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'done', finished_at: Date.now(), locked_until: null, last_error: null })
      .where('id', '=', job.id)
      .execute();
  }

  async fail(job: Job, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const final = job.attempts >= job.max_attempts;
    await this.db
      .updateTable('jobs')
      .set({
        status: final ? 'failed' : 'pending',
        run_at: Date.now() + backoffMs(job.attempts),
        finished_at: final ? Date.now() : null,
        locked_until: null,
        last_error: message.slice(0, 2000),
      })
      .where('id', '=', job.id)
      .execute();
  }

  /** Counts for health pages: jobs due longer than `overdueMs` mean the worker is backed up or down. */
  async stats(overdueMs = 5 * 60_000): Promise<{ pending: number; overdue: number; failed: number }> {
    const now = Date.now();
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => [
        eb.fn.count<number>('id').filterWhere('status', '=', 'pending').as('pending'),
        eb.fn
          .count<number>('id')
          .filterWhere((w) => w.and([w('status', '=', 'pending'), w('run_at', '<', now - overdueMs)]))
          .as('overdue'),
        eb.fn.count<number>('id').filterWhere('status', '=', 'failed').as('failed'),
      ])
      .executeTakeFirstOrThrow();
    return { pending: Number(row.pending), overdue: Number(row.overdue), failed: Number(row.failed) };
  }

  onEnqueue(listener: () => void): () => void {
    this.wakeups.on('job', listener);
    return () => this.wakeups.off('job', listener);
  }
}

export interface WorkerOptions {
  queue: JobQueue;
  handlers: Record<string, JobHandler>;
  scheduled?: ScheduledJob[];
  logger: Logger;
  pollMs?: number;
}

/** Runs jobs one at a time until stopped; `stop()` waits for the job in hand. */
export class Worker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: WorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.queue.onEnqueue(() => this.wake?.());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
  }

  /** Process every due job now (tests and CLIs use it instead of waiting for the poll). */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.runOne()) count += 1;
    return count;
  }

  private async run(): Promise<void> {
    const { logger, pollMs = 1000 } = this.options;
    while (this.running) {
      try {
        await this.ensureScheduled();
        if (await this.runOne()) continue;
      } catch (error) {
        logger.error({ err: error }, 'job worker loop failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async ensureScheduled(): Promise<void> {
    for (const scheduled of this.options.scheduled ?? []) {
      await this.options.queue.enqueue(scheduled.name, {}, {
        uniqueKey: `cron:${scheduled.name}`,
        runAt: Date.now() + scheduled.everyMs,
      });
    }
  }

  private async runOne(): Promise<boolean> {
    const { queue, handlers, logger } = this.options;
    const job = await queue.claim();
    if (!job) return false;
    const handler = handlers[job.name];
    try {
      if (!handler) throw new Error(`No handler for job ${job.name}`);
      await handler(JSON.parse(job.payload), job);
      await queue.complete(job);
    } catch (error) {
      logger.warn({ job: job.name, id: job.id, attempt: job.attempts, err: error }, 'job failed');
      await queue.fail(job, error);
    }
    return true;
  }
}
