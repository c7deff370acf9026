import type { Kysely, Migration } from 'kysely';
import { createOAuthCodesTable, withId } from '@tandem/core';

/** OAuth 2 provider (Doorkeeper's tables): applications, authorization codes, access tokens, refresh grants. */
export const oauth: Migration = {
  async up(db: Kysely<any>) {
    await withId(db, db.schema.createTable('oauth_applications'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('uid', 'text', (c) => c.notNull().unique())
      .addColumn('secret_hash', 'text')
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('api_v3'))
      .addColumn('confidential', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('owner_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('integration_type', 'text')
      .addColumn('integration_id', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await createOAuthCodesTable(db, { clientColumn: 'oauth_applications.uid', userIdType: 'bigint' });

    await withId(db, db.schema.createTable('oauth_access_tokens'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('client_id', 'text', (c) => c.notNull().references('oauth_applications.uid').onDelete('cascade'))
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oauth_access_tokens_user').on('oauth_access_tokens').column('user_id').execute();
    await db.schema.createIndex('oauth_access_tokens_client').on('oauth_access_tokens').column('client_id').execute();

    await withId(db, db.schema.createTable('oauth_grants'))
      .addColumn('refresh_token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('client_id', 'text', (c) => c.notNull().references('oauth_applications.uid').onDelete('cascade'))
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('access_token_id', 'bigint', (c) => c.notNull())
      .addColumn('access_token_hash', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .execute();
    for (const column of ['access_token_hash', 'code_hash', 'client_id']) {
      await db.schema.createIndex(`oauth_grants_${column}`).on('oauth_grants').column(column).execute();
    }
  },
};
