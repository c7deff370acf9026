import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type TestDialect = 'sqlite' | 'postgres';

/**
 * The databases every repository test runs on: SQLite always, PostgreSQL when `TEST_DATABASE_URL`
 * names a server (CI sets it; `REQUIRE_POSTGRES=1` turns its absence into a failure).
 */
export function testDialects(): TestDialect[] {
  if (process.env.TEST_DATABASE_URL) return ['sqlite', 'postgres'];
  if (process.env.REQUIRE_POSTGRES === '1') throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is unset');
  return ['sqlite'];
}

export interface TestDatabase {
  dialect: TestDialect;
  /** Pass as `*_DATABASE_URL`; undefined means SQLite in `dataDir`. */
  url: string | undefined;
  dataDir: string;
  drop(): Promise<void>;
}

export function tempDir(prefix = 'tandem-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh, empty database (and data folder) of the given dialect. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const dataDir = tempDir();
  const removeDir = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') return { dialect, url: undefined, dataDir, drop: removeDir };
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `tandem_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    dataDir,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      await removeDir();
    },
  };
}
