import type { Kysely, Selectable, Insertable } from 'kysely';
import { SqlSessions } from '@tandem/core';
import type { ApiKeysTable, ProjectsDatabase } from '../db/schema.ts';

export type ApiKeyRow = Selectable<ApiKeysTable>;

/** API keys and browser sessions, both found by the SHA-256 of their secret. */
export class AuthRepository extends SqlSessions<number> {
  // Browser sessions come from the shared SQL implementation (user ids are bigint here).
  constructor(private readonly db: Kysely<ProjectsDatabase>) {
    super(db);
  }

  findApiKey(tokenHash: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  insertApiKey(row: Insertable<ApiKeysTable>): Promise<ApiKeyRow> {
    return this.db.insertInto('api_keys').values(row).returningAll().executeTakeFirstOrThrow();
  }

  listApiKeys(userId: number): Promise<ApiKeyRow[]> {
    return this.db.selectFrom('api_keys').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  }

  async deleteApiKey(userId: number, id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('api_keys').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async touchApiKey(id: number, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
