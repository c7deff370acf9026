import type { Kysely, Migration } from 'kysely';
import { createOAuthCodesTable, withId } from '@tandem/core';

/** The OAuth 2 app: clients, authorization codes and refresh-token grants (secrets stored as SHA-256 only). */
export const oauth: Migration = {
  async up(db: Kysely<any>) {
    await withId(db, db.schema.createTable('oauth_clients'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull().unique())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await createOAuthCodesTable(db, { clientColumn: 'oauth_clients.client_id', userIdType: 'text' });

    // Deleting the access token (an app token) ends the grant, as Nextcloud does when the app token is gone.
    await withId(db, db.schema.createTable('oauth_grants'))
      .addColumn('refresh_token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('client_id', 'text', (c) => c.notNull().references('oauth_clients.client_id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('access_token_id', 'bigint', (c) => c.notNull().references('auth_tokens.id').onDelete('cascade'))
      .addColumn('access_token_hash', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .execute();
    for (const column of ['client_id', 'access_token_hash', 'code_hash', 'access_token_id']) {
      await db.schema.createIndex(`oauth_grants_${column}`).on('oauth_grants').column(column).execute();
    }
  },
};
