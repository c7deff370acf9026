import { errors } from '../errors.ts';
import { newEtag, type FilesService } from '../files/service.ts';
import { ancestorsOf, checkSegment } from '../files/paths.ts';
import { PERMISSION, type FileInfo, type FileUser, type Mount, type MountProvider } from '../files/types.ts';
import { ADMIN_GROUP, type UsersService } from '../users/service.ts';
import { AclEvaluator, mappingKey, type AclRule } from './acl.ts';
import type { FolderGroupRow, FolderRow, GroupFoldersRepository, NewRule } from './repository.ts';

export const groupFolderStorage = (id: number) => `groupfolder::${id}`;

export interface FolderDetails {
  folder: FolderRow;
  groups: FolderGroupRow[];
  managers: { type: string; id: string; displayname: string }[];
  size: number;
}

/**
 * One folder as one user sees it during one request: rules are loaded once by `mountsFor` and
 * evaluated in memory for every node (the DAV property provider reads them from `mount.data`).
 */
export class FolderAccess {
  readonly evaluator: AclEvaluator;
  /** Display names of existing principals, filled by the DAV provider's `prepare`. */
  principals: Map<string, string> | undefined;

  constructor(
    readonly folder: FolderRow,
    readonly user: FileUser,
    readonly userGroups: Set<string>,
    /** OR of the bits of the user's groups assigned to the folder. */
    readonly groupPermissions: number,
    readonly canManage: boolean,
    /** Every rule of the folder (managers see all of them). */
    readonly rules: AclRule[],
  ) {
    const enabled = folder.acl === 1;
    this.evaluator = new AclEvaluator(enabled ? rules.filter((r) => this.appliesToUser(r)) : [], this.basePermission, groupPermissions);
  }

  get basePermission(): number {
    if (this.folder.acl_default_no_permission !== 1) return PERMISSION.all;
    return this.canManage ? PERMISSION.read : 0;
  }

  appliesToUser(rule: { mappingType: string; mappingId: string }): boolean {
    return (rule.mappingType === 'user' && rule.mappingId === this.user.id) || (rule.mappingType === 'group' && this.userGroups.has(rule.mappingId));
  }

  private byPath: Map<string, AclRule[]> | undefined;

  /** The rules stored on the node at `path` (indexed once: listings ask for every node). */
  rulesAt(path: string): AclRule[] {
    if (!this.byPath) {
      this.byPath = new Map();
      for (const rule of this.rules) this.byPath.set(rule.path, [...(this.byPath.get(rule.path) ?? []), rule]);
    }
    return this.byPath.get(path) ?? [];
  }

  permissions(path: string): number {
    return this.evaluator.permissions(path);
  }
}

export const folderAccessOf = (mount: Mount): FolderAccess | undefined => {
  const access = mount.data?.groupFolder;
  return access instanceof FolderAccess ? access : undefined;
};

/** A non-admin caller of the REST API: sees only folders of their groups, and only those groups. */
export interface Viewer {
  userId: string;
  groups: string[];
}

function visibleTo(all: FolderDetails[], viewer: Viewer | undefined): FolderDetails[] {
  if (!viewer) return all;
  return all.map((d) => ({ ...d, groups: d.groups.filter((g) => viewer.groups.includes(g.group_id)) })).filter((d) => d.groups.length > 0);
}

/** Group folders: administration, the mounts members see, ACL rules. */
export class GroupFoldersService implements MountProvider {
  constructor(
    readonly repository: GroupFoldersRepository,
    readonly users: UsersService,
    readonly files: FilesService,
    /** Whether the app is switched on (`occ app:disable groupfolders` unmounts every folder). */
    readonly enabled: () => Promise<boolean> = async () => true,
  ) {}

  private async require(id: number): Promise<FolderRow> {
    const folder = await this.repository.findFolder(id);
    if (!folder) throw errors.groupfolder_not_found({ id });
    return folder;
  }

  private async details(folders: FolderRow[]): Promise<FolderDetails[]> {
    const ids = folders.map((f) => f.id);
    const groups = await this.repository.groupsOf(ids);
    const managers = await this.repository.managersOf(ids);
    const names = await this.repository.principals(
      managers.filter((m) => m.mapping_type === 'user').map((m) => m.mapping_id),
      managers.filter((m) => m.mapping_type === 'group').map((m) => m.mapping_id),
    );
    const out: FolderDetails[] = [];
    for (const folder of folders) {
      const root = await this.files.repository.findByPath(groupFolderStorage(folder.id), '');
      out.push({
        folder,
        groups: groups.filter((g) => g.folder_id === folder.id),
        managers: managers
          .filter((m) => m.folder_id === folder.id)
          .map((m) => ({
            type: m.mapping_type,
            id: m.mapping_id,
            displayname: (m.mapping_type === 'user' ? names.users : names.groups).get(m.mapping_id) ?? m.mapping_id,
          })),
        size: Number(root?.size ?? 0),
      });
    }
    return out;
  }

  /** All folders, or (non-admins, `applicable`) those mounted for the user's groups, showing only those groups. */
  async list(viewer?: Viewer): Promise<FolderDetails[]> {
    return visibleTo(await this.details(await this.repository.listFolders()), viewer);
  }

  async get(id: number, viewer?: Viewer): Promise<FolderDetails> {
    const [found] = visibleTo(await this.details([await this.require(id)]), viewer);
    if (!found) throw errors.groupfolder_not_found({ id });
    return found;
  }

  private async checkMountPoint(mountPoint: string, except?: number): Promise<string> {
    const normal = mountPoint.trim().replace(/^\/+|\/+$/g, '');
    try {
      if (normal === '') throw new Error('empty');
      normal.split('/').forEach(checkSegment);
    } catch {
      throw errors.groupfolder_invalid_mount_point({ mountPoint });
    }
    const existing = await this.repository.findByMountPoint(normal);
    if (existing && existing.id !== except) throw errors.groupfolder_mount_exists({ mountPoint: normal });
    return normal;
  }

  async create(mountPoint: string, options: { aclDefaultNoPermission?: boolean } = {}): Promise<FolderDetails> {
    const id = await this.repository.insertFolder({
      mount_point: await this.checkMountPoint(mountPoint),
      quota: -3,
      acl: 0,
      acl_default_no_permission: options.aclDefaultNoPermission ? 1 : 0,
      created_at: Date.now(),
    });
    await this.files.ensureRoot(groupFolderStorage(id));
    return this.get(id);
  }

  /** Delete the folder, its content (for good), groups, managers and rules. */
  async delete(id: number): Promise<void> {
    await this.require(id);
    const root = await this.files.repository.findByPath(groupFolderStorage(id), '');
    await this.repository.deleteFolder(id);
    if (root) await this.files.purge(root);
  }

  /** A new etag on the folder root: members' home etags fold it in, so sync clients look again. */
  private async touchRoot(id: number): Promise<void> {
    const root = await this.files.ensureRoot(groupFolderStorage(id));
    await this.files.repository.update(root.id, { etag: newEtag() });
  }

  async rename(id: number, mountPoint: string): Promise<FolderDetails> {
    await this.require(id);
    await this.repository.updateFolder(id, { mount_point: await this.checkMountPoint(mountPoint, id) });
    await this.touchRoot(id);
    return this.get(id);
  }

  async addGroup(id: number, groupId: string): Promise<FolderDetails> {
    const details = await this.get(id);
    if (!(await this.users.findGroup(groupId))) throw errors.group_not_found({ group: groupId });
    if (details.groups.some((g) => g.group_id === groupId)) throw errors.groupfolder_group_assigned({ id, groupId });
    await this.repository.upsertGroup(id, groupId, PERMISSION.all);
    return this.get(id);
  }

  async removeGroup(id: number, groupId: string): Promise<FolderDetails> {
    await this.require(id);
    await this.repository.deleteGroup(id, groupId);
    return this.get(id);
  }

  async setGroupPermissions(id: number, groupId: string, permissions: number): Promise<FolderDetails> {
    const details = await this.get(id);
    if (!details.groups.some((g) => g.group_id === groupId)) {
      if (!(await this.users.findGroup(groupId))) throw errors.group_not_found({ group: groupId });
    }
    await this.repository.upsertGroup(id, groupId, permissions & PERMISSION.all);
    await this.touchRoot(id);
    return this.get(id);
  }

  async setQuota(id: number, quota: number): Promise<FolderDetails> {
    await this.require(id);
    await this.repository.updateFolder(id, { quota });
    return this.get(id);
  }

  async setAcl(id: number, enabled: boolean): Promise<FolderDetails> {
    await this.require(id);
    await this.repository.updateFolder(id, { acl: enabled ? 1 : 0 });
    await this.touchRoot(id);
    return this.get(id);
  }

  async setManager(id: number, mappingType: string, mappingId: string, manage: boolean): Promise<FolderDetails> {
    await this.require(id);
    await this.repository.setManager(id, mappingType, mappingId, manage);
    return this.get(id);
  }

  /** Users (members of the folder's groups) and groups of the folder matching `search`. */
  async search(id: number, search: string) {
    const details = await this.get(id);
    const groupIds = details.groups.map((g) => g.group_id);
    const needle = search.toLowerCase();
    return {
      users: (await this.repository.searchMembers(groupIds, search)).map((u) => ({ uid: u.id, displayname: u.display_name })),
      groups: details.groups
        .filter((g) => g.group_id.toLowerCase().includes(needle) || g.display_name.toLowerCase().includes(needle))
        .map((g) => ({ gid: g.group_id, displayname: g.display_name })),
      circles: [],
    };
  }

  /** Does any folder appear for this user (capability `groupfolders.hasGroupFolders`)? */
  async hasFolders(userId: string): Promise<boolean> {
    return (await this.repository.foldersOfGroups(await this.users.groupsOf(userId))).length > 0;
  }

  // --- mounts and ACL ------------------------------------------------------------------------------

  /** Every folder mounted for one of the user's groups, with its rules loaded once for this request. */
  async mountsFor(user: FileUser): Promise<Mount[]> {
    if (!(await this.enabled())) return [];
    const groups = await this.users.groupsOf(user.id);
    const assigned = await this.repository.foldersOfGroups(groups);
    if (assigned.length === 0) return [];
    const bits = new Map<number, number>();
    for (const a of assigned) bits.set(a.folder_id, (bits.get(a.folder_id) ?? 0) | a.permissions);
    const folders = await this.repository.listFolders([...bits.keys()]);
    const managers = await this.repository.managersOf(folders.map((f) => f.id));
    const rules = await this.repository.rulesOf(folders.map((f) => f.id));
    const used = new Map<number, number>();
    for (const folder of folders) {
      if (folder.quota >= 0) used.set(folder.id, Number((await this.files.repository.findByPath(groupFolderStorage(folder.id), ''))?.size ?? 0));
    }
    const userGroups = new Set(groups);
    const isAdmin = userGroups.has(ADMIN_GROUP);
    return folders.map((folder) => {
      const storage = groupFolderStorage(folder.id);
      const canManage =
        isAdmin ||
        managers.some(
          (m) => m.folder_id === folder.id && ((m.mapping_type === 'user' && m.mapping_id === user.id) || (m.mapping_type === 'group' && userGroups.has(m.mapping_id))),
        );
      const folderRules: AclRule[] = rules
        .filter((r) => r.folder_id === folder.id && r.storage === storage)
        .map((r) => ({ nodeId: r.node_id, path: r.path, mappingType: r.mapping_type, mappingId: r.mapping_id, mask: r.mask, permissions: r.permissions }));
      const access = new FolderAccess(folder, user, userGroups, bits.get(folder.id)!, canManage, folderRules);
      return {
        mountPoint: folder.mount_point,
        storage,
        root: '',
        mountType: 'group',
        permissions: (path: string) => access.permissions(path),
        quota: folder.quota,
        ...(folder.quota >= 0 ? { quotaFree: Math.max(0, folder.quota - used.get(folder.id)!) } : {}),
        data: { groupFolder: access },
      };
    });
  }

  /**
   * Replace the rule set of one node (PROPPATCH `nc:acl-list`). Only managers (and admins); the caller
   * may not take their own read permission away. The node's etag changes so sync clients notice.
   */
  async setRules(access: FolderAccess, info: FileInfo, rules: NewRule[]): Promise<void> {
    const stored = rules.map((r) => ({ ...r, permissions: r.permissions & r.mask }));
    const own = stored.filter((r) => access.appliesToUser(r));
    // Checked even while ACL is off, as Nextcloud does: the rules take effect once it is switched on.
    if (!(access.evaluator.permissionsWith(info.node.path, own) & PERMISSION.read)) throw errors.acl_own_read();
    await this.repository.replaceRules(access.folder.id, info.node.id, stored);
    const repo = this.files.repository;
    await repo.transaction(async (trx) => {
      await trx.update(info.node.id, { etag: newEtag() });
      await trx.propagate(info.node.storage, ancestorsOf(info.node.path), newEtag(), 0, undefined);
    });
  }

  /** Keys of the mappings a rule list names, for display-name look-ups. */
  static principalIds(rules: AclRule[]): { users: string[]; groups: string[] } {
    const keys = new Set(rules.map(mappingKey));
    const users: string[] = [];
    const groups: string[] = [];
    for (const key of keys) {
      if (key.startsWith('user:')) users.push(key.slice(5));
      else if (key.startsWith('group:')) groups.push(key.slice(6));
    }
    return { users, groups };
  }
}
