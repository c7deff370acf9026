import { sql, type Kysely, type Migration } from 'kysely';
import { withId } from '../db/migrations.ts';

/** The `jobs` table both servers share; include it in each server's migration list. */
export const jobsMigration: Migration = {
  async up(db: Kysely<any>) {
    await withId(db, db.schema.createTable('jobs'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('unique_key', 'text')
      .addColumn('run_at', 'bigint', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(10))
      .addColumn('locked_until', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .execute();
    await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
    // At most one unfinished job per unique key (scheduled jobs, "sync storage X" …).
    await db.schema
      .createIndex('jobs_unique_key')
      .on('jobs')
      .column('unique_key')
      .unique()
      .where(sql.ref('status'), 'in', ['pending', 'running'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('jobs').execute();
  },
};

export interface JobsTable {
  id: import('kysely').Generated<number>;
  name: string;
  payload: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  unique_key: string | null;
  run_at: number;
  attempts: import('kysely').Generated<number>;
  max_attempts: import('kysely').Generated<number>;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}
