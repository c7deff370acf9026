import fs from 'node:fs/promises';
import path from 'node:path';
import { errors } from '../errors.ts';
import type { AuthService } from '../auth/service.ts';
import { BUILTIN_APPS, type SettingsService } from '../settings/service.ts';
import { VERSION_STRING } from '../status/routes.ts';
import type { UserRow } from '../users/repository.ts';
import { ADMIN_GROUP, type UserChanges, type UsersService } from '../users/service.ts';

/** Profile fields kept as user preferences of the `account` app (Nextcloud's account properties). */
export const PROFILE_FIELDS = ['phone', 'address', 'website', 'twitter', 'fediverse', 'organisation', 'role', 'headline', 'biography'] as const;
const PROFILE_APP = 'account';

/** Bytes used by a user's files; the files module plugs in the real figure. */
export type UsageProvider = (userId: string) => Promise<number>;

export interface UserDetails {
  user: UserRow;
  groups: string[];
  subadminGroups: string[];
  profile: Record<string, string>;
  locale: string;
  storageLocation: string;
  quota: { free: number; used: number; total: number; relative: number; quota: number };
}

export interface NewUserInput {
  userid: string;
  password?: string | undefined;
  displayName?: string | undefined;
  email?: string | undefined;
  groups: string[];
  subadmin: string[];
  quota?: string | undefined;
  language?: string | undefined;
}

export interface ListQuery {
  search?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const LANGUAGE = /^[a-z]{2,3}([_-][A-Za-z]{2,4})?$/;
const UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** `"5 GB"`, `"100MB"`, `"1048576"`, `"none"` / `"default"` (unlimited, -3) → bytes. */
export function parseQuota(value: string): number {
  const text = value.trim().toLowerCase();
  if (text === 'none' || text === 'default' || text === '-3') return -3;
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?b?)$/.exec(text);
  if (!match) throw errors.invalid_quota({ value }, `Invalid quota value: ${value}`);
  return Math.round(Number(match[1]) * (UNITS[match[2] || 'b'] ?? 1));
}

/**
 * The provisioning API's rules on top of the users service: admins manage everyone, sub-admins the
 * (non-admin) members of their groups, everyone else only themselves.
 */
export class ProvisioningService {
  private usage: UsageProvider = async () => 0;

  constructor(
    private readonly users: UsersService,
    private readonly settings: SettingsService,
    private readonly auth: AuthService,
    private readonly filesDir: string,
  ) {}

  setUsageProvider(provider: UsageProvider): void {
    this.usage = provider;
  }

  isAdmin(actorId: string): Promise<boolean> {
    return this.users.isAdmin(actorId);
  }

  async isAdminOrSubadmin(actorId: string): Promise<boolean> {
    return (await this.users.isAdmin(actorId)) || (await this.users.subadminGroupsOf(actorId)).length > 0;
  }

  /** A user the actor may see: themselves or someone they manage. Anyone else "does not exist". */
  async visibleUser(actorId: string, targetId: string): Promise<UserRow> {
    const user = await this.users.find(targetId);
    if (!user || (user.id !== actorId && !(await this.users.canManage(actorId, user.id)))) throw errors.user_not_found({ id: targetId });
    return user;
  }

  /** A user the actor manages (never themselves through this path). */
  private async managedUser(actorId: string, targetId: string): Promise<UserRow> {
    const user = await this.visibleUser(actorId, targetId);
    if (user.id === actorId && !(await this.users.isAdmin(actorId))) throw errors.forbidden({ id: targetId });
    return user;
  }

  async listUsers(actorId: string, query: ListQuery): Promise<string[]> {
    if (await this.users.isAdmin(actorId)) return (await this.users.list(query)).map((u) => u.id);
    const managed = await this.users.subadminGroupsOf(actorId);
    if (managed.length === 0) throw errors.admin_required({}, 'Logged in account must be an admin or sub admin');
    const ids = new Set<string>();
    for (const group of managed) for (const id of await this.users.members(group)) ids.add(id);
    for (const id of await this.users.members(ADMIN_GROUP)) ids.delete(id);
    const needle = query.search?.toLowerCase();
    const rows = (await Promise.all([...ids].map((id) => this.users.find(id)))).filter((u): u is UserRow => !!u);
    const matching = rows
      .filter((u) => !needle || [u.id, u.display_name, u.email ?? ''].some((v) => v.toLowerCase().includes(needle)))
      .map((u) => u.id)
      .sort();
    const offset = query.offset ?? 0;
    return matching.slice(offset, query.limit ? offset + query.limit : undefined);
  }

  async describe(user: UserRow): Promise<UserDetails> {
    const [groups, subadminGroups, stored, locale, used] = await Promise.all([
      this.users.groupsOf(user.id),
      this.users.subadminGroupsOf(user.id),
      this.settings.repository.preferencesOf(user.id, PROFILE_APP),
      this.settings.repository.getPreference(user.id, 'core', 'locale'),
      this.usage(user.id),
    ]);
    const free = user.quota >= 0 ? Math.max(0, user.quota - used) : await this.diskFree();
    const total = used + free;
    return {
      user,
      groups,
      subadminGroups,
      profile: Object.fromEntries(PROFILE_FIELDS.map((f) => [f, stored[f] ?? ''])),
      locale: locale ?? '',
      storageLocation: path.join(this.filesDir, user.id),
      quota: { free, used, total, relative: total > 0 ? Math.round((used / total) * 10000) / 100 : 0, quota: user.quota },
    };
  }

  async createUser(actorId: string, input: NewUserInput): Promise<UserRow> {
    const admin = await this.users.isAdmin(actorId);
    const managed = admin ? [] : await this.users.subadminGroupsOf(actorId);
    if (!admin && managed.length === 0) throw errors.admin_required({}, 'Logged in account must be an admin or sub admin');
    for (const group of [...input.groups, ...input.subadmin]) {
      if (!(await this.users.findGroup(group))) throw errors.group_not_found({ group }, `Group ${group} does not exist`);
    }
    if (!admin) {
      if (input.groups.length === 0) throw errors.group_required();
      if (input.subadmin.length > 0 || input.groups.some((g) => !managed.includes(g))) throw errors.forbidden({}, 'Insufficient privileges for group');
    }
    if (input.subadmin.includes(ADMIN_GROUP)) throw errors.forbidden({}, 'Cannot create sub-admins for admin group');
    if (input.email !== undefined && input.email !== '' && !EMAIL.test(input.email)) throw errors.invalid_email();
    const quota = input.quota ? parseQuota(input.quota) : undefined;
    if (input.language && !LANGUAGE.test(input.language)) throw errors.invalid_input({ field: 'language' }, 'Invalid language');
    if (!input.password) {
      // Nextcloud mails a set-password link instead; Cloud sends no mail, so a password is required.
      if (!input.email) throw errors.password_or_email_required();
      throw errors.invitation_unavailable();
    }
    const user = await this.users.create({
      id: input.userid,
      password: input.password,
      displayName: input.displayName,
      email: input.email,
      groups: input.groups,
      quota,
    });
    if (input.language) await this.users.update(user.id, { language: input.language });
    for (const group of input.subadmin) await this.users.setSubadmin(group, user.id, true);
    return user;
  }

  /** `PUT users/{id}` with one `key`/`value` pair. */
  async editUser(actorId: string, targetId: string, key: string, value: string): Promise<void> {
    const user = await this.visibleUser(actorId, targetId);
    const self = user.id === actorId;
    const manager = await this.users.canManage(actorId, user.id);
    const field = key === 'display' ? 'displayname' : key;
    const selfFields = ['displayname', 'email', 'password', 'language', 'locale', ...PROFILE_FIELDS];
    const allowed = manager ? [...selfFields, 'quota'] : self ? selfFields : [];
    if (!allowed.includes(field)) throw errors.field_not_editable({ key }, `The field "${key}" cannot be edited`);
    const changes: UserChanges = {};
    switch (field) {
      case 'displayname':
        if (value.length > 64) throw errors.invalid_input({ key }, 'Display name too long');
        changes.displayName = value;
        break;
      case 'email':
        if (value !== '' && !EMAIL.test(value)) throw errors.invalid_email();
        changes.email = value || null;
        break;
      case 'password':
        changes.password = value;
        break;
      case 'language':
        if (!LANGUAGE.test(value)) throw errors.invalid_input({ key }, 'Invalid language');
        changes.language = value;
        break;
      case 'locale':
        return this.settings.repository.setPreference(user.id, 'core', 'locale', value);
      case 'quota':
        changes.quota = parseQuota(value);
        break;
      default:
        if (value.length > 2000) throw errors.invalid_input({ key }, 'Value too long');
        return this.settings.repository.setPreference(user.id, PROFILE_APP, field, value);
    }
    await this.users.update(user.id, changes);
    // A password set by someone else ends the user's browser sessions.
    if (changes.password !== undefined && !self) await this.auth.endAllSessions(user.id);
  }

  async setEnabled(actorId: string, targetId: string, enabled: boolean): Promise<void> {
    const user = await this.managedUser(actorId, targetId);
    await this.users.update(user.id, { enabled });
  }

  async deleteUser(actorId: string, targetId: string): Promise<void> {
    const user = await this.visibleUser(actorId, targetId);
    if (user.id === actorId) throw errors.forbidden({}, 'You cannot delete yourself');
    await this.users.delete(user.id);
  }

  /** The target's groups; a sub-admin only sees the groups they manage. */
  async userGroups(actorId: string, targetId: string): Promise<string[]> {
    const user = await this.visibleUser(actorId, targetId);
    const groups = await this.users.groupsOf(user.id);
    if (user.id === actorId || (await this.users.isAdmin(actorId))) return groups;
    const managed = await this.users.subadminGroupsOf(actorId);
    return groups.filter((g) => managed.includes(g));
  }

  /** Checks in Nextcloud's order: group given, group exists, user exists, actor may manage the group. */
  private async membershipTarget(actorId: string, targetId: string, groupId: string) {
    if (!groupId.trim()) throw errors.invalid_input({ field: 'groupid' }, 'No group specified');
    const group = await this.users.findGroup(groupId);
    if (!group) throw errors.group_not_found({ group: groupId });
    const user = await this.users.find(targetId);
    if (!user) throw errors.user_not_found({ id: targetId });
    const admin = await this.users.isAdmin(actorId);
    if (!admin && !(await this.users.subadminGroupsOf(actorId)).includes(group.id)) throw errors.forbidden({}, 'Insufficient privileges');
    return { group, user, admin };
  }

  async addToGroup(actorId: string, targetId: string, groupId: string): Promise<void> {
    const { group, user } = await this.membershipTarget(actorId, targetId, groupId);
    await this.users.addToGroup(group.id, user.id);
  }

  /** Idempotent: removing a non-member succeeds, as in Nextcloud. */
  async removeFromGroup(actorId: string, targetId: string, groupId: string): Promise<void> {
    const { group, user, admin } = await this.membershipTarget(actorId, targetId, groupId);
    if (user.id === actorId) {
      if (admin && group.id === ADMIN_GROUP) throw errors.cannot_remove_self({}, 'Cannot remove yourself from the admin group');
      if (!admin) throw errors.cannot_remove_self({}, 'Cannot remove yourself from this group as you are a sub-admin');
    }
    await this.users.removeFromGroup(group.id, user.id);
  }

  async setSubadmin(targetId: string, groupId: string, subadmin: boolean): Promise<void> {
    const user = await this.users.get(targetId);
    const group = await this.users.getGroup(groupId);
    if (subadmin && group.id === ADMIN_GROUP) throw errors.forbidden({}, 'Cannot create sub-admins for admin group');
    if (!subadmin && !(await this.users.subadmins(group.id)).includes(user.id)) throw errors.not_subadmin();
    await this.users.setSubadmin(group.id, user.id, subadmin);
  }

  async subadminGroups(actorId: string, targetId: string): Promise<string[]> {
    const user = await this.visibleUser(actorId, targetId);
    return this.users.subadminGroupsOf(user.id);
  }

  /** Admins see every group, others the groups they belong to or manage. */
  async listGroups(actorId: string, query: ListQuery) {
    if (await this.users.isAdmin(actorId)) return this.users.listGroups(query);
    const mine = new Set([...(await this.users.groupsOf(actorId)), ...(await this.users.subadminGroupsOf(actorId))]);
    const needle = query.search?.toLowerCase();
    const visible = (await this.users.listGroups({ search: query.search })).filter(
      (g) => mine.has(g.id) && (!needle || g.id.toLowerCase().includes(needle) || g.display_name.toLowerCase().includes(needle)),
    );
    const offset = query.offset ?? 0;
    return visible.slice(offset, query.limit ? offset + query.limit : undefined);
  }

  /** Members of a group, sorted; for admins and the group's sub-admins. */
  async groupMembers(actorId: string, groupId: string): Promise<string[]> {
    const group = await this.users.getGroup(groupId);
    if (!(await this.users.isAdmin(actorId)) && !(await this.users.subadminGroupsOf(actorId)).includes(group.id)) {
      throw errors.forbidden({}, 'User does not have access to specified group');
    }
    // Sorted here rather than in SQL: SQLite and PostgreSQL collations disagree.
    return (await this.users.members(group.id)).sort();
  }

  async groupSubadmins(groupId: string): Promise<string[]> {
    const group = await this.users.getGroup(groupId);
    return (await this.users.subadmins(group.id)).sort();
  }

  /** Every known app (shipped ones and any with a stored switch) with its state. */
  async listApps(): Promise<{ id: string; enabled: boolean }[]> {
    const stored = await this.settings.repository.appsWithKey('enabled');
    const ids = [...new Set([...Object.keys(BUILTIN_APPS), ...stored.map((r) => r.app)])].sort();
    return Promise.all(ids.map(async (id) => ({ id, enabled: await this.settings.isAppEnabled(id) })));
  }

  async appInfo(id: string) {
    const app = (await this.listApps()).find((a) => a.id === id);
    if (!app) throw errors.app_not_found({ id });
    const meta = BUILTIN_APPS[id];
    return { id, name: meta?.name ?? id, version: VERSION_STRING, category: meta?.category ?? '', enabled: app.enabled };
  }

  async setAppEnabled(id: string, enabled: boolean): Promise<void> {
    if (!BUILTIN_APPS[id] && !(await this.listApps()).some((a) => a.id === id)) throw errors.app_not_found({ id });
    await this.settings.setAppEnabled(id, enabled);
  }

  private async diskFree(): Promise<number> {
    try {
      await fs.mkdir(this.filesDir, { recursive: true });
      const stats = await fs.statfs(this.filesDir);
      return stats.bavail * stats.bsize;
    } catch {
      return 0;
    }
  }
}
