import type { Kysely, Selectable } from 'kysely';
import { SqlSessions } from '@tandem/core';
import type { AuthTokensTable, CloudDatabase } from '../db/schema.ts';

export type AuthTokenRow = Selectable<AuthTokensTable>;

/** App tokens (app passwords, OAuth access tokens), browser sessions and failed-login records. */
export class AuthRepository extends SqlSessions<string> {
  // Browser sessions come from the shared SQL implementation (user ids are text here).
  constructor(private readonly db: Kysely<CloudDatabase>) {
    super(db);
  }

  findToken(tokenHash: string): Promise<AuthTokenRow | undefined> {
    return this.db.selectFrom('auth_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  async insertToken(row: Omit<AuthTokenRow, 'id'>): Promise<number> {
    const inserted = await this.db.insertInto('auth_tokens').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  async touchToken(id: number, at: number): Promise<void> {
    await this.db.updateTable('auth_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async updateTokenHash(id: number, tokenHash: string): Promise<void> {
    await this.db.updateTable('auth_tokens').set({ token_hash: tokenHash }).where('id', '=', id).execute();
  }

  async deleteToken(id: number): Promise<void> {
    await this.db.deleteFrom('auth_tokens').where('id', '=', id).execute();
  }

  listTokens(userId: string, kind: AuthTokenRow['kind']): Promise<AuthTokenRow[]> {
    return this.db
      .selectFrom('auth_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .orderBy('created_at', 'desc')
      .execute();
  }

  async recordFailure(ip: string, action: string, at: number): Promise<void> {
    await this.db.insertInto('bruteforce_attempts').values({ ip, action, at }).execute();
  }

  async countFailures(ip: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('bruteforce_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ip', '=', ip)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async clearFailures(ip: string): Promise<void> {
    await this.db.deleteFrom('bruteforce_attempts').where('ip', '=', ip).execute();
  }
}
