import type { Kysely, Migration } from 'kysely';
import { withId } from '@tandem/core';

/**
 * Group folders ("Team folders"): folders with a mount point, the groups they are mounted for (with
 * permission bits), ACL managers and ACL rules. Content lives in the files layer as storage
 * `groupfolder::<id>`; rules point at file ids so they follow renames and moves inside the folder.
 */
export const groupFolders: Migration = {
  async up(db: Kysely<any>) {
    await withId(db, db.schema.createTable('group_folders'))
      .addColumn('mount_point', 'text', (c) => c.notNull().unique())
      .addColumn('quota', 'bigint', (c) => c.notNull().defaultTo(-3))
      .addColumn('acl', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('acl_default_no_permission', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('group_folder_groups')
      .addColumn('folder_id', 'bigint', (c) => c.notNull().references('group_folders.id').onDelete('cascade'))
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('permissions', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_folder_groups_pk', ['folder_id', 'group_id'])
      .execute();
    await db.schema.createIndex('group_folder_groups_group').on('group_folder_groups').column('group_id').execute();

    await db.schema
      .createTable('group_folder_managers')
      .addColumn('folder_id', 'bigint', (c) => c.notNull().references('group_folders.id').onDelete('cascade'))
      .addColumn('mapping_type', 'text', (c) => c.notNull())
      .addColumn('mapping_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_folder_managers_pk', ['folder_id', 'mapping_type', 'mapping_id'])
      .execute();

    // Unknown principals are stored as sent (Nextcloud accepts them) and simply never match anyone.
    await db.schema
      .createTable('group_folder_acl_rules')
      .addColumn('folder_id', 'bigint', (c) => c.notNull().references('group_folders.id').onDelete('cascade'))
      .addColumn('node_id', 'bigint', (c) => c.notNull().references('file_nodes.id').onDelete('cascade'))
      .addColumn('mapping_type', 'text', (c) => c.notNull())
      .addColumn('mapping_id', 'text', (c) => c.notNull())
      .addColumn('mask', 'integer', (c) => c.notNull())
      .addColumn('permissions', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_folder_acl_rules_pk', ['node_id', 'mapping_type', 'mapping_id'])
      .execute();
    await db.schema.createIndex('group_folder_acl_rules_folder').on('group_folder_acl_rules').column('folder_id').execute();
  },
};
