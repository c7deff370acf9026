import type { Kysely, Selectable } from 'kysely';
import type { CloudDatabase, TosTermsTable } from '../db/schema.ts';

export type TermsRow = Selectable<TosTermsTable>;

/** Terms and signatures: the only database I/O of the terms_of_service app. */
export class TermsRepository {
  constructor(private readonly db: Kysely<CloudDatabase>) {}

  async list(): Promise<TermsRow[]> {
    const rows = await this.db.selectFrom('tos_terms').selectAll().orderBy('language_code').execute();
    return rows.map((r) => ({ ...r, id: Number(r.id), created_at: Number(r.created_at) }));
  }

  /** Insert or replace the text of one language; a changed text loses its signatures (they accepted the old one). */
  async upsert(languageCode: string, body: string, now: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('tos_terms').select(['id', 'body']).where('language_code', '=', languageCode).executeTakeFirst();
      if (!existing) {
        const row = await trx.insertInto('tos_terms').values({ language_code: languageCode, body, created_at: now }).returning('id').executeTakeFirstOrThrow();
        return Number(row.id);
      }
      if (existing.body !== body) {
        await trx.updateTable('tos_terms').set({ body, created_at: now }).where('id', '=', existing.id).execute();
        await trx.deleteFrom('tos_signatories').where('terms_id', '=', existing.id).execute();
      }
      return Number(existing.id);
    });
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('tos_terms').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async signedBy(userId: string): Promise<number[]> {
    const rows = await this.db.selectFrom('tos_signatories').select('terms_id').where('user_id', '=', userId).execute();
    return rows.map((r) => Number(r.terms_id));
  }

  async sign(termsIds: number[], userId: string, now: number): Promise<void> {
    if (termsIds.length === 0) return;
    await this.db
      .insertInto('tos_signatories')
      .values(termsIds.map((id) => ({ terms_id: id, user_id: userId, signed_at: now })))
      .onConflict((oc) => oc.columns(['terms_id', 'user_id']).doNothing())
      .execute();
  }

  async resetSignatures(): Promise<void> {
    await this.db.deleteFrom('tos_signatories').execute();
  }
}
