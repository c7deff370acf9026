import { sql, type Kysely, type Migration } from 'kysely';
import { withId } from '@tandem/core';

/**
 * File storages (OpenProject's `modules/storages` and the core OAuth-client tables): storages, their
 * Nextcloud OAuth client, users' tokens and remote identities, project storages, last project folders,
 * file links. Secrets (app password, client secret, tokens) are stored encrypted.
 */
export const storages: Migration = {
  async up(db: Kysely<any>) {
    await withId(db, db.schema.createTable('storages'))
      .addColumn('provider_type', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      // Lower-cased name: OpenProject's names are unique case-insensitively.
      .addColumn('name_key', 'text', (c) => c.notNull().unique())
      // Normalised to end with "/"; unique.
      .addColumn('host', 'text', (c) => c.unique())
      .addColumn('creator_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('provider_fields', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('password_sealed', 'text')
      .addColumn('health_status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('health_reason', 'text')
      .addColumn('health_changed_at', 'bigint', (c) => c.notNull())
      .addColumn('health_checked_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await withId(db, db.schema.createTable('oauth_clients'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('client_secret_sealed', 'text')
      .addColumn('integration_type', 'text', (c) => c.notNull())
      .addColumn('integration_id', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('oauth_clients_integration', ['integration_type', 'integration_id'])
      .execute();

    await withId(db, db.schema.createTable('oauth_client_tokens'))
      .addColumn('oauth_client_id', 'bigint', (c) => c.notNull().references('oauth_clients.id').onDelete('cascade'))
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('access_token_sealed', 'text', (c) => c.notNull())
      .addColumn('refresh_token_sealed', 'text')
      .addColumn('token_type', 'text')
      .addColumn('expires_in', 'integer')
      .addColumn('scope', 'text')
      .addColumn('lock_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('oauth_client_tokens_user_client', ['user_id', 'oauth_client_id'])
      .execute();

    await withId(db, db.schema.createTable('remote_identities'))
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('auth_source_type', 'text', (c) => c.notNull())
      .addColumn('auth_source_id', 'bigint', (c) => c.notNull())
      .addColumn('integration_type', 'text', (c) => c.notNull())
      .addColumn('integration_id', 'bigint', (c) => c.notNull())
      .addColumn('origin_user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('remote_identities_unique', ['user_id', 'auth_source_type', 'auth_source_id', 'integration_type', 'integration_id'])
      .execute();
    await db.schema.createIndex('remote_identities_integration').on('remote_identities').columns(['integration_type', 'integration_id']).execute();

    await withId(db, db.schema.createTable('project_storages'))
      .addColumn('project_id', 'bigint', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('storage_id', 'bigint', (c) => c.notNull().references('storages.id').onDelete('cascade'))
      .addColumn('creator_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('project_folder_id', 'text')
      .addColumn('project_folder_mode', 'text', (c) => c.notNull().check(sql`project_folder_mode in ('inactive', 'manual', 'automatic')`))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('project_storages_project_storage', ['project_id', 'storage_id'])
      .execute();
    await db.schema.createIndex('project_storages_storage').on('project_storages').column('storage_id').execute();

    await withId(db, db.schema.createTable('last_project_folders'))
      .addColumn('project_storage_id', 'bigint', (c) => c.notNull().references('project_storages.id').onDelete('cascade'))
      .addColumn('origin_folder_id', 'text')
      .addColumn('mode', 'text', (c) => c.notNull().defaultTo('inactive').check(sql`mode in ('inactive', 'manual', 'automatic')`))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('last_project_folders_mode', ['project_storage_id', 'mode'])
      .execute();

    await withId(db, db.schema.createTable('file_links'))
      .addColumn('storage_id', 'bigint', (c) => c.notNull().references('storages.id').onDelete('cascade'))
      .addColumn('creator_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('container_id', 'bigint')
      .addColumn('container_type', 'text')
      .addColumn('origin_id', 'text', (c) => c.notNull())
      .addColumn('origin_name', 'text')
      .addColumn('origin_mime_type', 'text')
      .addColumn('origin_created_by_name', 'text')
      .addColumn('origin_last_modified_by_name', 'text')
      .addColumn('origin_created_at', 'bigint')
      .addColumn('origin_updated_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('file_links_container').on('file_links').columns(['container_id', 'container_type']).execute();
    await db.schema.createIndex('file_links_origin').on('file_links').columns(['origin_id', 'storage_id']).execute();
  },
};
