import { sql, type Kysely, type Migration } from 'kysely';
import { dialectOf, withId } from '@tandem/core';

/**
 * Files: one row per file or folder of every storage (homes, upload staging, trash, later group
 * folders). `path` is unique per storage and compared bytewise (`COLLATE "C"` on PostgreSQL, SQLite's
 * default BINARY) so a folder's subtree is the index range [`p/`, `p0`).
 */
export const files: Migration = {
  async up(db: Kysely<any>) {
    const bytewise = dialectOf(db) === 'postgres' ? sql`text collate "C"` : sql`text`;
    await withId(db, db.schema.createTable('file_nodes'))
      .addColumn('storage', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'bigint', (c) => c.references('file_nodes.id').onDelete('cascade'))
      .addColumn('name', bytewise, (c) => c.notNull())
      .addColumn('path', bytewise, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('mtime', 'bigint', (c) => c.notNull())
      .addColumn('etag', 'text', (c) => c.notNull())
      .addColumn('mimetype', 'text', (c) => c.notNull())
      .addColumn('checksum', 'text')
      .addColumn('blob', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('file_nodes_storage_path').on('file_nodes').columns(['storage', 'path']).unique().execute();
    await db.schema.createIndex('file_nodes_parent').on('file_nodes').columns(['parent_id', 'name']).execute();
    await db.schema.createIndex('file_nodes_blob').on('file_nodes').column('blob').execute();

    await db.schema
      .createTable('file_properties')
      .addColumn('node_id', 'bigint', (c) => c.notNull().references('file_nodes.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('file_properties_pk', ['node_id', 'name'])
      .execute();

    await db.schema
      .createTable('trash_items')
      .addColumn('node_id', 'bigint', (c) => c.primaryKey().references('file_nodes.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('original_location', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('trash_items_user').on('trash_items').columns(['user_id', 'deleted_at']).execute();
  },
};
