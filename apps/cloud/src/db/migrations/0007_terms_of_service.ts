import type { Kysely, Migration } from 'kysely';
import { withId } from '@tandem/core';

/** Terms of service (one text per language) and who accepted which version of them. */
export const termsOfService: Migration = {
  async up(db: Kysely<any>) {
    await withId(db, db.schema.createTable('tos_terms'))
      .addColumn('language_code', 'text', (c) => c.notNull().unique())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('tos_signatories')
      .addColumn('terms_id', 'bigint', (c) => c.notNull().references('tos_terms.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('signed_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('tos_signatories_pk', ['terms_id', 'user_id'])
      .execute();
  },
};
