import { hashPassword, randomToken } from '@tandem/core';
import { errors } from '../errors.ts';
import type { ListQuery, UserRow, UsersRepository } from './repository.ts';

export const ADMIN_GROUP = 'admin';
const USER_ID = /^[a-zA-Z0-9 _.@\-']+$/;

export interface NewUser {
  id: string;
  password: string;
  displayName?: string | undefined;
  email?: string | undefined;
  groups?: string[] | undefined;
  quota?: number | undefined;
}

export interface UserChanges {
  displayName?: string;
  email?: string | null;
  password?: string;
  enabled?: boolean;
  quota?: number;
  language?: string;
}

/** Listeners let other modules veto or follow account changes (e.g. protecting the "OpenProject" user). */
export interface AccountListener {
  beforeUserDelete?(userId: string): Promise<void>;
  beforeUserDisable?(userId: string): Promise<void>;
  beforeGroupDelete?(groupId: string): Promise<void>;
  beforeMembershipRemove?(groupId: string, userId: string): Promise<void>;
  afterUserDelete?(userId: string): Promise<void>;
}

export class UsersService {
  private readonly listeners: AccountListener[] = [];

  constructor(readonly repository: UsersRepository) {}

  addListener(listener: AccountListener): void {
    this.listeners.push(listener);
  }

  async get(id: string): Promise<UserRow> {
    const user = await this.repository.findUser(id);
    if (!user) throw errors.user_not_found({ id });
    return user;
  }

  find(id: string): Promise<UserRow | undefined> {
    return this.repository.findUser(id);
  }

  list(query?: ListQuery): Promise<UserRow[]> {
    return this.repository.listUsers(query);
  }

  async create(input: NewUser): Promise<UserRow> {
    const id = input.id.trim();
    if (!id || id.length > 64 || !USER_ID.test(id) || id === '.' || id === '..') throw errors.invalid_user_id({ id });
    if (input.password.length < 8) throw errors.password_too_short();
    if (await this.repository.findUser(id)) throw errors.user_exists({ id });
    for (const group of input.groups ?? []) {
      if (!(await this.repository.findGroup(group))) throw errors.group_not_found({ group });
    }
    const row: UserRow = {
      id,
      display_name: input.displayName?.trim() || id,
      email: input.email?.trim() || null,
      password_hash: await hashPassword(input.password),
      enabled: 1,
      quota: input.quota ?? -3,
      language: 'en',
      created_at: Date.now(),
      last_login_at: null,
    };
    await this.repository.insertUser(row);
    for (const group of input.groups ?? []) await this.repository.addMember('group_members', group, id);
    return row;
  }

  async update(id: string, changes: UserChanges): Promise<UserRow> {
    const user = await this.get(id);
    const set: Partial<UserRow> = {};
    if (changes.displayName !== undefined) set.display_name = changes.displayName.trim() || user.id;
    if (changes.email !== undefined) set.email = changes.email?.trim() || null;
    if (changes.quota !== undefined) set.quota = changes.quota;
    if (changes.language !== undefined) set.language = changes.language;
    if (changes.enabled !== undefined) {
      if (!changes.enabled && (await this.isLastAdmin(user.id))) throw errors.last_admin();
      if (!changes.enabled) for (const l of this.listeners) await l.beforeUserDisable?.(user.id);
      set.enabled = changes.enabled ? 1 : 0;
    }
    if (changes.password !== undefined) {
      if (changes.password.length < 8) throw errors.password_too_short();
      set.password_hash = await hashPassword(changes.password);
    }
    await this.repository.updateUser(user.id, set);
    return { ...user, ...set };
  }

  /** `lastLogin` of the provisioning API and `occ user:info`. */
  async recordLogin(id: string): Promise<void> {
    await this.repository.updateUser(id, { last_login_at: Date.now() });
  }

  async delete(id: string): Promise<void> {
    const user = await this.get(id);
    if (await this.isLastAdmin(user.id)) throw errors.last_admin();
    for (const l of this.listeners) await l.beforeUserDelete?.(user.id);
    await this.repository.deleteUser(user.id);
    for (const l of this.listeners) await l.afterUserDelete?.(user.id);
  }

  async isAdmin(userId: string): Promise<boolean> {
    return (await this.repository.groupsOf('group_members', userId)).includes(ADMIN_GROUP);
  }

  groupsOf(userId: string): Promise<string[]> {
    return this.repository.groupsOf('group_members', userId);
  }

  subadminGroupsOf(userId: string): Promise<string[]> {
    return this.repository.groupsOf('subadmins', userId);
  }

  async getGroup(id: string) {
    const group = await this.repository.findGroup(id);
    if (!group) throw errors.group_not_found({ id });
    return group;
  }

  findGroup(id: string) {
    return this.repository.findGroup(id);
  }

  listGroups(query?: ListQuery) {
    return this.repository.listGroups(query);
  }

  async createGroup(id: string, displayName?: string): Promise<void> {
    const gid = id.trim();
    if (!gid || gid.length > 64) throw errors.invalid_input({ field: 'groupid' }, 'Invalid group name');
    if (await this.repository.findGroup(gid)) throw errors.group_exists({ id: gid });
    await this.repository.insertGroup(gid, displayName?.trim() || gid);
  }

  async renameGroup(id: string, displayName: string): Promise<void> {
    await this.getGroup(id);
    await this.repository.updateGroup(id, displayName.trim() || id);
  }

  async deleteGroup(id: string): Promise<void> {
    await this.getGroup(id);
    if (id === ADMIN_GROUP) throw errors.forbidden({ id }, 'The admin group cannot be deleted');
    for (const l of this.listeners) await l.beforeGroupDelete?.(id);
    await this.repository.deleteGroup(id);
  }

  members(groupId: string): Promise<string[]> {
    return this.repository.membersOf('group_members', groupId);
  }

  subadmins(groupId: string): Promise<string[]> {
    return this.repository.membersOf('subadmins', groupId);
  }

  async addToGroup(groupId: string, userId: string): Promise<void> {
    await this.getGroup(groupId);
    const user = await this.get(userId);
    await this.repository.addMember('group_members', groupId, user.id);
  }

  async removeFromGroup(groupId: string, userId: string): Promise<void> {
    await this.getGroup(groupId);
    const user = await this.get(userId);
    if (groupId === ADMIN_GROUP && (await this.isLastAdmin(user.id))) throw errors.last_admin();
    for (const l of this.listeners) await l.beforeMembershipRemove?.(groupId, user.id);
    await this.repository.removeMember('group_members', groupId, user.id);
  }

  async setSubadmin(groupId: string, userId: string, subadmin: boolean): Promise<void> {
    await this.getGroup(groupId);
    const user = await this.get(userId);
    if (subadmin) await this.repository.addMember('subadmins', groupId, user.id);
    else await this.repository.removeMember('subadmins', groupId, user.id);
  }

  /** May `actorId` manage `targetId`? Admins manage everyone; sub-admins the non-admin members of their groups. */
  async canManage(actorId: string, targetId: string): Promise<boolean> {
    if (await this.isAdmin(actorId)) return true;
    const managed = await this.subadminGroupsOf(actorId);
    if (managed.length === 0) return false;
    const groups = await this.groupsOf(targetId);
    // Sub-admins never manage administrators (as in Nextcloud), even in a shared group.
    if (groups.includes(ADMIN_GROUP)) return false;
    return groups.some((g) => managed.includes(g));
  }

  /**
   * First start: create the `admin` account (and group) when there are no users yet. Returns the
   * password when it was generated, so the caller can print it once.
   */
  async ensureInitialAdmin(password?: string): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await this.repository.countUsers()) > 0) return { created: false };
    if (!(await this.repository.findGroup(ADMIN_GROUP))) await this.repository.insertGroup(ADMIN_GROUP, 'admin');
    const generated = password ? undefined : randomToken(20);
    await this.create({ id: 'admin', password: password ?? generated!, groups: [ADMIN_GROUP] });
    return generated ? { created: true, generatedPassword: generated } : { created: true };
  }

  private async isLastAdmin(userId: string): Promise<boolean> {
    if (!(await this.isAdmin(userId))) return false;
    const admins = await this.repository.membersOf('group_members', ADMIN_GROUP);
    return admins.length <= 1;
  }
}
