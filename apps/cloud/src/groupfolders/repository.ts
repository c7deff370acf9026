import type { Kysely, Selectable, Updateable } from 'kysely';
import type { CloudDatabase, GroupFolderAclRulesTable, GroupFoldersTable } from '../db/schema.ts';

export type FolderRow = Selectable<GroupFoldersTable>;

export interface FolderGroupRow {
  folder_id: number;
  group_id: string;
  permissions: number;
  display_name: string;
}

export interface ManagerRow {
  folder_id: number;
  mapping_type: string;
  mapping_id: string;
}

/** A rule with the storage and current path of its node. */
export type RuleRow = Omit<GroupFolderAclRulesTable, 'position'> & { storage: string; path: string };

export interface NewRule {
  mappingType: string;
  mappingId: string;
  mask: number;
  permissions: number;
}

/** Group folders' tables: folders, their groups, ACL managers and ACL rules. */
export class GroupFoldersRepository {
  constructor(readonly db: Kysely<CloudDatabase>) {}

  // PostgreSQL returns bigint columns as strings; every id leaves here as a number.
  private folder(row: FolderRow): FolderRow {
    return { ...row, id: Number(row.id), quota: Number(row.quota) };
  }

  async listFolders(ids?: number[]): Promise<FolderRow[]> {
    if (ids && ids.length === 0) return [];
    let query = this.db.selectFrom('group_folders').selectAll().orderBy('id');
    if (ids) query = query.where('id', 'in', ids);
    return (await query.execute()).map((r) => this.folder(r));
  }

  async findFolder(id: number): Promise<FolderRow | undefined> {
    const row = await this.db.selectFrom('group_folders').selectAll().where('id', '=', id).executeTakeFirst();
    return row && this.folder(row);
  }

  async findByMountPoint(mountPoint: string): Promise<FolderRow | undefined> {
    const row = await this.db.selectFrom('group_folders').selectAll().where('mount_point', '=', mountPoint).executeTakeFirst();
    return row && this.folder(row);
  }

  async insertFolder(values: Omit<FolderRow, 'id'>): Promise<number> {
    const row = await this.db.insertInto('group_folders').values(values).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async updateFolder(id: number, changes: Updateable<GroupFoldersTable>): Promise<void> {
    await this.db.updateTable('group_folders').set(changes).where('id', '=', id).execute();
  }

  async deleteFolder(id: number): Promise<void> {
    await this.db.deleteFrom('group_folders').where('id', '=', id).execute();
  }

  async groupsOf(folderIds: number[]): Promise<FolderGroupRow[]> {
    if (folderIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('group_folder_groups')
      .innerJoin('groups', 'groups.id', 'group_folder_groups.group_id')
      .select(['group_folder_groups.folder_id', 'group_folder_groups.group_id', 'group_folder_groups.permissions', 'groups.display_name'])
      .where('group_folder_groups.folder_id', 'in', folderIds)
      .orderBy('group_folder_groups.group_id')
      .execute();
    return rows.map((r) => ({ ...r, folder_id: Number(r.folder_id) }));
  }

  /** Folders mounted for any of `groupIds`, with the bits of each matching group. */
  async foldersOfGroups(groupIds: string[]): Promise<{ folder_id: number; permissions: number }[]> {
    if (groupIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('group_folder_groups')
      .select(['folder_id', 'permissions'])
      .where('group_id', 'in', groupIds)
      .execute();
    return rows.map((r) => ({ folder_id: Number(r.folder_id), permissions: r.permissions }));
  }

  async upsertGroup(folderId: number, groupId: string, permissions: number): Promise<void> {
    await this.db
      .insertInto('group_folder_groups')
      .values({ folder_id: folderId, group_id: groupId, permissions })
      .onConflict((oc) => oc.columns(['folder_id', 'group_id']).doUpdateSet({ permissions }))
      .execute();
  }

  async deleteGroup(folderId: number, groupId: string): Promise<void> {
    await this.db.deleteFrom('group_folder_groups').where('folder_id', '=', folderId).where('group_id', '=', groupId).execute();
  }

  async managersOf(folderIds: number[]): Promise<ManagerRow[]> {
    if (folderIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('group_folder_managers')
      .selectAll()
      .where('folder_id', 'in', folderIds)
      .orderBy('mapping_type')
      .orderBy('mapping_id')
      .execute();
    return rows.map((r) => ({ ...r, folder_id: Number(r.folder_id) }));
  }

  async setManager(folderId: number, mappingType: string, mappingId: string, manage: boolean): Promise<void> {
    if (manage) {
      await this.db
        .insertInto('group_folder_managers')
        .values({ folder_id: folderId, mapping_type: mappingType, mapping_id: mappingId })
        .onConflict((oc) => oc.doNothing())
        .execute();
    } else {
      await this.db
        .deleteFrom('group_folder_managers')
        .where('folder_id', '=', folderId)
        .where('mapping_type', '=', mappingType)
        .where('mapping_id', '=', mappingId)
        .execute();
    }
  }

  /** Every rule of the folders with the current path of its node (rules of trashed nodes carry another storage). */
  async rulesOf(folderIds: number[]): Promise<RuleRow[]> {
    if (folderIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('group_folder_acl_rules as r')
      .innerJoin('file_nodes as n', 'n.id', 'r.node_id')
      .select(['r.folder_id', 'r.node_id', 'r.mapping_type', 'r.mapping_id', 'r.mask', 'r.permissions', 'n.storage', 'n.path'])
      .where('r.folder_id', 'in', folderIds)
      .orderBy('r.node_id')
      .orderBy('r.position')
      .execute();
    return rows.map((r) => ({ ...r, folder_id: Number(r.folder_id), node_id: Number(r.node_id) }));
  }

  /** Replace the whole rule set of one node (PROPPATCH `nc:acl-list`). */
  async replaceRules(folderId: number, nodeId: number, rules: NewRule[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('group_folder_acl_rules').where('node_id', '=', nodeId).execute();
      if (rules.length === 0) return;
      await trx
        .insertInto('group_folder_acl_rules')
        .values(rules.map((r, position) => ({ folder_id: folderId, node_id: nodeId, mapping_type: r.mappingType, mapping_id: r.mappingId, mask: r.mask, permissions: r.permissions, position })))
        .execute();
    });
  }

  /** Display names of the users and groups that exist among `ids` (rules of unknown principals are hidden). */
  async principals(userIds: string[], groupIds: string[]): Promise<{ users: Map<string, string>; groups: Map<string, string> }> {
    const users = new Map<string, string>();
    const groups = new Map<string, string>();
    if (userIds.length) for (const r of await this.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute()) users.set(r.id, r.display_name);
    if (groupIds.length) for (const r of await this.db.selectFrom('groups').select(['id', 'display_name']).where('id', 'in', groupIds).execute()) groups.set(r.id, r.display_name);
    return { users, groups };
  }

  /** Members of `groupIds` whose id or display name contains `search` (the folder's search endpoint). */
  async searchMembers(groupIds: string[], search: string): Promise<{ id: string; display_name: string }[]> {
    if (groupIds.length === 0) return [];
    const like = `%${search.toLowerCase()}%`;
    return this.db
      .selectFrom('users')
      .innerJoin('group_members', 'group_members.user_id', 'users.id')
      .select(['users.id', 'users.display_name'])
      .distinct()
      .where('group_members.group_id', 'in', groupIds)
      .where((eb) => eb.or([eb(eb.fn('lower', ['users.id']), 'like', like), eb(eb.fn('lower', ['users.display_name']), 'like', like)]))
      .orderBy('users.id')
      .limit(50)
      .execute();
  }
}
