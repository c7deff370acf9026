import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type KyselyPlugin } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** `postgres://…` selects PostgreSQL; unset means the embedded SQLite file. */
  url?: string | undefined;
  /** SQLite file used when `url` is unset. */
  sqliteFile: string;
  plugins?: KyselyPlugin[];
  /** Called when PostgreSQL drops an idle pooled connection (restart, admin command); the pool replaces it. */
  onIdleConnectionError?: (error: Error) => void;
}

export interface Database<DB> {
  db: Kysely<DB>;
  dialect: DialectName;
  destroy(): Promise<void>;
}

// BIGINT (int8) and NUMERIC come back as strings from pg by default; our ids and epoch-millisecond
// timestamps fit in a double, so both dialects hand the same JavaScript numbers to the services.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createDatabase<DB>(options: DatabaseOptions): Database<DB> {
  if (options.url && /^postgres(ql)?:\/\//.test(options.url)) {
    const pool = new pg.Pool({ connectionString: options.url, max: Number(process.env.DB_POOL_SIZE ?? 10) });
    // Without a listener an idle connection's error would crash the process.
    pool.on('error', (error) => options.onIdleConnectionError?.(error));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: options.plugins ?? [] });
    return { db, dialect: 'postgres', destroy: () => db.destroy() };
  }
  if (options.url) throw new Error(`Unsupported database URL scheme: ${options.url.split(':')[0]}`);
  fs.mkdirSync(path.dirname(options.sqliteFile), { recursive: true });
  const file = new SQLite(options.sqliteFile);
  // WAL lets readers run beside the single writer; a busy writer waits instead of failing.
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = NORMAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: file }), plugins: options.plugins ?? [] });
  return { db, dialect: 'sqlite', destroy: () => db.destroy() };
}

/** Which dialect a Kysely instance talks to (migrations and a few queries differ). */
export function dialectOf(db: Kysely<any>): DialectName {
  const adapter = db.getExecutor().adapter.constructor.name;
  return adapter.startsWith('Postgres') ? 'postgres' : 'sqlite';
}

/** Case-insensitive equality that uses an index on both dialects (`lower(col) = lower(?)`). */
export function lowerEquals(column: string, value: string) {
  return sql<boolean>`lower(${sql.ref(column)}) = ${value.toLowerCase()}`;
}
