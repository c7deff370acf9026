import { ocs, request, requestJson } from './http.ts';

/** Administration APIs, in Nextcloud's wire formats: OCS provisioning, apps, groupfolders, oauth2. */

const CLOUD = '/ocs/v2.php/cloud';
const enc = encodeURIComponent;

export interface UserDetails {
  id: string;
  displayname: string;
  email: string | null;
  enabled: boolean;
  groups: string[];
  subadmin: string[];
}

type RawUser = Partial<UserDetails> & { 'display-name'?: string };

const toDetails = (data: RawUser, id: string): UserDetails => ({
  id: data.id ?? id,
  displayname: data.displayname ?? data['display-name'] ?? id,
  email: data.email ?? null,
  enabled: data.enabled !== false,
  groups: data.groups ?? [],
  subadmin: data.subadmin ?? [],
});

/** One request for the whole page (`users/details`, keyed by user id as Nextcloud answers). */
export async function listUsers(search = ''): Promise<UserDetails[]> {
  const { users } = await ocs<{ users: Record<string, RawUser> | RawUser[] }>('GET', `${CLOUD}/users/details?search=${enc(search)}&limit=200`);
  return Object.entries(users ?? {})
    .map(([id, data]) => toDetails(data, data.id ?? id))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export async function getUser(id: string): Promise<UserDetails> {
  return toDetails(await ocs<RawUser>('GET', `${CLOUD}/users/${enc(id)}`), id);
}

export interface NewUser {
  userid: string;
  password: string;
  displayName?: string;
  email?: string;
  groups?: string[];
}

export async function createUser(user: NewUser): Promise<void> {
  await ocs('POST', `${CLOUD}/users`, { ...user });
}

/** One field at a time, as the provisioning API takes it (`key` ∈ displayname, email, password, …). */
export async function editUser(id: string, key: 'displayname' | 'email' | 'password', value: string): Promise<void> {
  await ocs('PUT', `${CLOUD}/users/${enc(id)}`, { key, value });
}

export async function setUserEnabled(id: string, enabled: boolean): Promise<void> {
  await ocs('PUT', `${CLOUD}/users/${enc(id)}/${enabled ? 'enable' : 'disable'}`);
}

export async function deleteUser(id: string): Promise<void> {
  await ocs('DELETE', `${CLOUD}/users/${enc(id)}`);
}

export async function addToGroup(id: string, group: string): Promise<void> {
  await ocs('POST', `${CLOUD}/users/${enc(id)}/groups`, { groupid: group });
}

export async function removeFromGroup(id: string, group: string): Promise<void> {
  await ocs('DELETE', `${CLOUD}/users/${enc(id)}/groups?groupid=${enc(group)}`);
}

export async function addSubadmin(id: string, group: string): Promise<void> {
  await ocs('POST', `${CLOUD}/users/${enc(id)}/subadmins`, { groupid: group });
}

export async function removeSubadmin(id: string, group: string): Promise<void> {
  await ocs('DELETE', `${CLOUD}/users/${enc(id)}/subadmins?groupid=${enc(group)}`);
}

export async function listGroups(): Promise<string[]> {
  return (await ocs<{ groups: string[] }>('GET', `${CLOUD}/groups?limit=500`)).groups;
}

export async function createGroup(id: string): Promise<void> {
  await ocs('POST', `${CLOUD}/groups`, { groupid: id });
}

export async function deleteGroup(id: string): Promise<void> {
  await ocs('DELETE', `${CLOUD}/groups/${enc(id)}`);
}

export async function groupMembers(id: string): Promise<string[]> {
  return (await ocs<{ users: string[] }>('GET', `${CLOUD}/groups/${enc(id)}/users`)).users;
}

export async function listApps(filter: 'enabled' | 'disabled'): Promise<string[]> {
  // PHP may render the list as an object keyed by index.
  const { apps } = await ocs<{ apps: string[] | Record<string, string> }>('GET', `${CLOUD}/apps?filter=${filter}`);
  return Object.values(apps ?? {}).sort();
}

export interface AppInfo {
  id: string;
  name: string;
  category: string;
  enabled: boolean;
}

export const appInfo = (id: string) => ocs<AppInfo>('GET', `${CLOUD}/apps/${enc(id)}`);

export async function setAppEnabled(id: string, enabled: boolean): Promise<void> {
  await ocs(enabled ? 'POST' : 'DELETE', `${CLOUD}/apps/${enc(id)}`);
}

// Group folders (`/index.php/apps/groupfolders`, OCS v1 envelope).

const GF = '/index.php/apps/groupfolders/folders';

export interface GroupFolder {
  id: number;
  mount_point: string;
  quota: number;
  acl: boolean;
  size: number;
  groups: Record<string, number>;
  manage: { type: 'user' | 'group' | 'circle'; id: string; displayname: string }[];
}

export async function listGroupFolders(): Promise<GroupFolder[]> {
  // PHP renders an empty object as [] — accept both.
  const data = await ocs<Record<string, GroupFolder> | GroupFolder[]>('GET', GF);
  return Object.values(data ?? {}).map(normaliseFolder).sort((a, b) => a.mount_point.localeCompare(b.mount_point));
}

const normaliseFolder = (folder: GroupFolder): GroupFolder => ({
  ...folder,
  groups: Array.isArray(folder.groups) ? {} : (folder.groups ?? {}),
  manage: Array.isArray(folder.manage) ? folder.manage : [],
});

export async function createGroupFolder(mountpoint: string): Promise<GroupFolder> {
  return normaliseFolder(await ocs<GroupFolder>('POST', GF, { mountpoint }));
}

export async function deleteGroupFolder(id: number): Promise<void> {
  await ocs('DELETE', `${GF}/${id}`);
}

export async function renameGroupFolder(id: number, mountpoint: string): Promise<void> {
  await ocs('POST', `${GF}/${id}/mountpoint`, { mountpoint });
}

export async function addFolderGroup(id: number, group: string): Promise<void> {
  await ocs('POST', `${GF}/${id}/groups`, { group });
}

export async function removeFolderGroup(id: number, group: string): Promise<void> {
  await ocs('DELETE', `${GF}/${id}/groups/${enc(group)}`);
}

export async function setFolderGroupPermissions(id: number, group: string, permissions: number): Promise<void> {
  await ocs('POST', `${GF}/${id}/groups/${enc(group)}`, { permissions });
}

export async function setFolderQuota(id: number, quota: number): Promise<void> {
  await ocs('POST', `${GF}/${id}/quota`, { quota });
}

export async function setFolderAcl(id: number, acl: boolean): Promise<void> {
  await ocs('POST', `${GF}/${id}/acl`, { acl: acl ? 1 : 0 });
}

export async function setFolderManager(id: number, mappingType: 'user' | 'group', mappingId: string, manageAcl: boolean): Promise<void> {
  await ocs('POST', `${GF}/${id}/manageACL`, { mappingType, mappingId, manageAcl });
}

// OAuth 2 clients (`/index.php/apps/oauth2/clients`, plain JSON).

export interface OAuthClient {
  id: number;
  name: string;
  redirectUri: string;
  clientId: string;
  /** Only in the answer to the creation. */
  clientSecret?: string;
}

const OAUTH = '/index.php/apps/oauth2/clients';

export const listOAuthClients = (): Promise<OAuthClient[]> => requestJson<OAuthClient[]>('GET', OAUTH);

export const createOAuthClient = (name: string, redirectUri: string): Promise<OAuthClient> =>
  requestJson<OAuthClient>('POST', OAUTH, { body: { name, redirectUri } });

export async function deleteOAuthClient(id: number): Promise<void> {
  await request('DELETE', `${OAUTH}/${id}`);
}

// Personal app passwords (`/index.php/settings/personal/authtokens`).

export interface AppToken {
  id: number;
  name: string;
  lastActivity: number;
  current?: boolean;
  canDelete?: boolean;
}

export interface CreatedAppToken {
  token: string;
  loginName: string;
  deviceToken: AppToken;
}

const TOKENS = '/index.php/settings/personal/authtokens';

export const listAppTokens = (): Promise<AppToken[]> => requestJson<AppToken[]>('GET', TOKENS);

export const createAppToken = (name: string): Promise<CreatedAppToken> => requestJson<CreatedAppToken>('POST', TOKENS, { body: { name } });

export async function deleteAppToken(id: number): Promise<void> {
  await request('DELETE', `${TOKENS}/${id}`);
}
