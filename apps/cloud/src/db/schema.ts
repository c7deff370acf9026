import type { Generated } from 'kysely';
import type { JobsTable, OAuthCodeColumns, OAuthGrantColumns } from '@tandem/core';

/**
 * Cloud's tables. Conventions (both dialects): times are epoch milliseconds (bigint), booleans are
 * 0/1 integers, JSON is text. Each module adds its tables here and a migration in ./migrations.
 */
export interface UsersTable {
  id: string;
  display_name: string;
  email: string | null;
  password_hash: string;
  enabled: number;
  quota: number;
  language: string;
  created_at: number;
  last_login_at: number | null;
}

export interface GroupsTable {
  id: string;
  display_name: string;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
}

export interface SubadminsTable {
  group_id: string;
  user_id: string;
}

/** App passwords and OAuth access tokens: both are "app tokens" found by the SHA-256 of the secret. */
export interface AuthTokensTable {
  id: Generated<number>;
  user_id: string;
  login_name: string;
  name: string;
  token_hash: string;
  kind: 'app_password' | 'oauth';
  expires_at: number | null;
  created_at: number;
  last_used_at: number | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface BruteforceAttemptsTable {
  id: Generated<number>;
  ip: string;
  action: string;
  at: number;
}

/** System config (config.php's values: `allow_local_remote_servers`, `instanceid` …). */
export interface ConfigTable {
  key: string;
  value: string;
}

/** Per-app settings, including whether the app is enabled (`enabled` = `yes` / `no`). */
export interface AppConfigTable {
  app: string;
  key: string;
  value: string;
}

/** Per-user settings of an app. */
export interface PreferencesTable {
  user_id: string;
  app: string;
  key: string;
  value: string;
}

/** A file or folder of one storage (`home::<uid>`, `uploads::<uid>`, `trash::<uid>`, `groupfolder::<id>`). */
export interface FileNodesTable {
  /** Nextcloud's `oc:fileid`: global, stable across rename and move. */
  id: Generated<number>;
  storage: string;
  parent_id: number | null;
  name: string;
  /** Path inside the storage without leading slash; `''` is the storage root. */
  path: string;
  kind: 'dir' | 'file';
  /** Bytes; folders hold the recursive sum. */
  size: number;
  /** Modification time in seconds (settable by `X-OC-Mtime`). */
  mtime: number;
  etag: string;
  mimetype: string;
  checksum: string | null;
  /** Key of the immutable content file under `filesDir/blobs/`; a new key per content version. */
  blob: string | null;
  created_at: number;
  uploaded_at: number;
}

/** WebDAV dead properties: Clark name `{ns}local` → inner XML. */
export interface FilePropertiesTable {
  node_id: number;
  name: string;
  value: string;
}

export interface TrashItemsTable {
  node_id: number;
  user_id: string;
  /** Path in the user's view the item was deleted from. */
  original_location: string;
  deleted_at: number;
}

/** OAuth 2 clients (Nextcloud's oauth2 app): the secret is stored as SHA-256 only. */
export interface OAuthClientsTable {
  id: Generated<number>;
  name: string;
  redirect_uri: string;
  client_id: string;
  secret_hash: string;
  created_at: number;
}

export interface OAuthCodesTable extends OAuthCodeColumns<string> {
  id: Generated<number>;
}

/** One live refresh token and the access token (an `auth_tokens` row of kind `oauth`) issued with it. */
export interface OAuthGrantsTable extends OAuthGrantColumns<string> {
  id: Generated<number>;
}

/** Login flow v2: one pending "add account" request of a desktop client (20 minutes). */
export interface LoginFlowV2Table {
  id: Generated<number>;
  poll_token_hash: string;
  login_token_hash: string;
  client_name: string;
  created_at: number;
  expires_at: number;
  user_id: string | null;
  login_name: string | null;
  app_password_sealed: string | null;
  granted_at: number | null;
}

/** A group folder ("Team folder"); its content is the files storage `groupfolder::<id>`. */
export interface GroupFoldersTable {
  id: Generated<number>;
  mount_point: string;
  /** Bytes; -3 unlimited. */
  quota: number;
  acl: number;
  acl_default_no_permission: number;
  created_at: number;
}

/** A group the folder is mounted for, with its permission bits (1 read … 16 share). */
export interface GroupFolderGroupsTable {
  folder_id: number;
  group_id: string;
  permissions: number;
}

/** Who may edit a folder's ACL rules (`user` or `group` mappings). */
export interface GroupFolderManagersTable {
  folder_id: number;
  mapping_type: string;
  mapping_id: string;
}

/** One ACL rule of a node inside a group folder: bits in `mask` are allowed (set) or denied (clear). */
export interface GroupFolderAclRulesTable {
  folder_id: number;
  node_id: number;
  mapping_type: string;
  mapping_id: string;
  mask: number;
  permissions: number;
  /** Order within the node's rule set, as sent. */
  position: number;
}

/** terms_of_service: one text per language (`--` = any). */
export interface TosTermsTable {
  id: Generated<number>;
  language_code: string;
  body: string;
  created_at: number;
}

/** Who accepted which terms (a changed text loses its rows). */
export interface TosSignatoriesTable {
  terms_id: number;
  user_id: string;
  signed_at: number;
}

export interface CloudDatabase {
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  subadmins: SubadminsTable;
  auth_tokens: AuthTokensTable;
  sessions: SessionsTable;
  bruteforce_attempts: BruteforceAttemptsTable;
  config: ConfigTable;
  appconfig: AppConfigTable;
  preferences: PreferencesTable;
  jobs: JobsTable;
  file_nodes: FileNodesTable;
  file_properties: FilePropertiesTable;
  trash_items: TrashItemsTable;
  oauth_clients: OAuthClientsTable;
  oauth_codes: OAuthCodesTable;
  oauth_grants: OAuthGrantsTable;
  login_flow_v2: LoginFlowV2Table;
  group_folders: GroupFoldersTable;
  group_folder_groups: GroupFolderGroupsTable;
  group_folder_managers: GroupFolderManagersTable;
  group_folder_acl_rules: GroupFolderAclRulesTable;
  tos_terms: TosTermsTable;
  tos_signatories: TosSignatoriesTable;
}
