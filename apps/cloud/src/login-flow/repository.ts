import type { Kysely, Selectable } from 'kysely';
import type { CloudDatabase, LoginFlowV2Table } from '../db/schema.ts';

export type LoginFlowRow = Selectable<LoginFlowV2Table>;

/** Pending login-flow-v2 grants: the only code that touches `login_flow_v2`. */
export class LoginFlowRepository {
  constructor(private readonly db: Kysely<CloudDatabase>) {}

  async insert(row: Omit<LoginFlowRow, 'id'>): Promise<void> {
    await this.db.insertInto('login_flow_v2').values(row).execute();
  }

  findByLoginHash(hash: string): Promise<LoginFlowRow | undefined> {
    return this.db.selectFrom('login_flow_v2').selectAll().where('login_token_hash', '=', hash).executeTakeFirst();
  }

  findByPollHash(hash: string): Promise<LoginFlowRow | undefined> {
    return this.db.selectFrom('login_flow_v2').selectAll().where('poll_token_hash', '=', hash).executeTakeFirst();
  }

  /** Record the grant once: false when another request granted (or the row vanished) first. */
  async markGranted(id: number, grant: { user_id: string; login_name: string; app_password_sealed: string; granted_at: number }): Promise<boolean> {
    const result = await this.db.updateTable('login_flow_v2').set(grant).where('id', '=', id).where('granted_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Delete one row; true only for the request that actually deleted it (single-use polls). */
  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('login_flow_v2').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async deleteExpired(now: number): Promise<void> {
    await this.db.deleteFrom('login_flow_v2').where('expires_at', '<', now).execute();
  }
}
