import type { Kysely, Migration } from 'kysely';

/** ACL rules keep the order they were sent in (Nextcloud lists them in insertion order). */
export const groupFolderAclOrder: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('group_folder_acl_rules').addColumn('position', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
