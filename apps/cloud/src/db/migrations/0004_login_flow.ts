import type { Kysely, Migration } from 'kysely';
import { withId } from '@tandem/core';

/** Login flow v2 (desktop clients adding an account): pending grants, tokens stored as SHA-256 only. */
export const loginFlow: Migration = {
  async up(db: Kysely<any>) {
    await withId(db, db.schema.createTable('login_flow_v2'))
      .addColumn('poll_token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('login_token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('client_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('login_name', 'text')
      // The granted app password, sealed with the server's SecretBox until the client polls once.
      .addColumn('app_password_sealed', 'text')
      .addColumn('granted_at', 'bigint')
      .execute();
    await db.schema.createIndex('login_flow_v2_expires').on('login_flow_v2').column('expires_at').execute();
  },
};
