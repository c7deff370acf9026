import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { createDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrations.ts';
import { createLogger } from '../logger.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../testkit/index.ts';
import { jobsMigration } from './migration.ts';
import { JobQueue, Worker } from './queue.ts';

for (const dialect of testDialects()) {
  describe(`job queue on ${dialect}`, () => {
    let target: TestDatabase;
    let db: Kysely<any>;
    let queue: JobQueue;
    const logger = createLogger('test', 'silent');

    before(async () => {
      target = await createTestDatabase(dialect);
      ({ db } = createDatabase({ url: target.url, sqliteFile: path.join(target.dataDir, 'test.sqlite') }));
      await migrateToLatest(db, { '0001_jobs': jobsMigration });
      queue = new JobQueue(db);
    });
    after(async () => {
      await db.destroy();
      await target.drop();
    });

    it('runs a job once and records it as done', async () => {
      const seen: unknown[] = [];
      await queue.enqueue('greet', { name: 'ada' });
      const worker = new Worker({ queue, logger, handlers: { greet: async (p) => void seen.push(p) } });
      assert.equal(await worker.drain(), 1);
      assert.deepEqual(seen, [{ name: 'ada' }]);
      const row = await db.selectFrom('jobs').selectAll().where('name', '=', 'greet').executeTakeFirstOrThrow();
      assert.equal(row.status, 'done');
    });

    it('retries a failing job later and gives up after max attempts', async () => {
      await queue.enqueue('flaky', {}, { maxAttempts: 2 });
      const worker = new Worker({ queue, logger, handlers: { flaky: async () => { throw new Error('boom'); } } });
      assert.equal(await worker.drain(), 1, 'the retry waits for its back-off');
      let row = await db.selectFrom('jobs').selectAll().where('name', '=', 'flaky').executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
      assert.equal(row.last_error, 'boom');
      assert.ok(row.run_at > Date.now());
      await db.updateTable('jobs').set({ run_at: 0 }).where('id', '=', row.id).execute();
      await worker.drain();
      row = await db.selectFrom('jobs').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'failed');
      assert.equal(row.attempts, 2);
    });

    it('keeps one unfinished job per unique key', async () => {
      await queue.enqueue('sync', { n: 1 }, { uniqueKey: 'sync:1' });
      await queue.enqueue('sync', { n: 2 }, { uniqueKey: 'sync:1' });
      const rows = await db.selectFrom('jobs').selectAll().where('name', '=', 'sync').execute();
      assert.equal(rows.length, 1);
      await db.deleteFrom('jobs').where('name', '=', 'sync').execute();
    });

    it('takes over a job whose worker died (lease expired)', async () => {
      await queue.enqueue('orphan');
      const claimed = await queue.claim();
      assert.ok(claimed);
      assert.equal(await queue.claim(), undefined, 'a leased job is not handed out twice');
      const retaken = await queue.claim(Date.now() + 10 * 60_000);
      assert.equal(retaken?.id, claimed.id);
    });
  });
}
