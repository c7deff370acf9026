import type { Generated } from 'kysely';
import type { JobsTable, OAuthCodeColumns, OAuthGrantColumns } from '@tandem/core';

/**
 * Projects' tables. Conventions (both dialects): times are epoch milliseconds (bigint), booleans are
 * 0/1 integers, JSON is text. Each module adds its tables here and a migration in ./migrations.
 */
export interface UsersTable {
  id: Generated<number>;
  login: string;
  firstname: string;
  lastname: string;
  email: string | null;
  /** argon2id; null for accounts that cannot log in with a password (e.g. invited). */
  password_hash: string | null;
  admin: number;
  /** `active` | `locked` | `invited` */
  status: string;
  language: string;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

/** API keys (`Authorization: Basic base64("apikey:<key>")` or Bearer), found by their SHA-256. */
export interface ApiKeysTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ProjectsTable {
  id: Generated<number>;
  identifier: string;
  name: string;
  description: string;
  public: number;
  active: number;
  parent_id: number | null;
  created_at: number;
  updated_at: number;
}

/** Enabled modules of a project (`work_package_tracking`, `storages` …); absent = disabled. */
export interface EnabledModulesTable {
  project_id: number;
  name: string;
}

export interface RolesTable {
  id: Generated<number>;
  name: string;
  /** JSON array of permission names. */
  permissions: string;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface MembersTable {
  id: Generated<number>;
  project_id: number;
  user_id: number;
  created_at: number;
  updated_at: number;
}

export interface MemberRolesTable {
  member_id: number;
  role_id: number;
}

/** Worker processes announce themselves here; `/health_checks/worker` counts the recent ones. */
export interface WorkerProcessesTable {
  id: string;
  hostname: string;
  pid: number;
  started_at: number;
  seen_at: number;
}

/** OAuth applications (clients) this server authorizes, e.g. a Nextcloud's integration app. */
export interface OAuthApplicationsTable {
  id: Generated<number>;
  name: string;
  /** The client id. */
  uid: string;
  /** SHA-256 hex of the secret (shown once); null for public clients. */
  secret_hash: string | null;
  /** Newline-separated, as Doorkeeper stores them. */
  redirect_uri: string;
  /** Space-separated. */
  scopes: string;
  confidential: number;
  owner_id: number | null;
  /** The resource that manages this application (e.g. `Storage`), if any. */
  integration_type: string | null;
  integration_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface OAuthCodesTable extends OAuthCodeColumns<number> {
  id: Generated<number>;
}

export interface OAuthAccessTokensTable {
  id: Generated<number>;
  token_hash: string;
  client_id: string;
  user_id: number;
  scope: string;
  created_at: number;
  expires_at: number;
}

/** A live refresh token and the access token issued with it (the core's `TokenGrant`). */
export interface OAuthGrantsTable extends OAuthGrantColumns<number> {
  id: Generated<number>;
}

/** Work package types (Task, Milestone, Bug …). */
export interface TypesTable {
  id: Generated<number>;
  name: string;
  color: string | null;
  position: number;
  /** Offered in new projects. */
  is_default: number;
  is_milestone: number;
  created_at: number;
  updated_at: number;
}

export interface StatusesTable {
  id: Generated<number>;
  name: string;
  color: string | null;
  position: number;
  is_closed: number;
  /** The status of new work packages. */
  is_default: number;
  is_readonly: number;
  default_done_ratio: number | null;
  created_at: number;
  updated_at: number;
}

/** Types enabled in a project; a project without rows offers every type. */
export interface ProjectTypesTable {
  project_id: number;
  type_id: number;
}

export interface WorkPackagesTable {
  id: Generated<number>;
  project_id: number;
  type_id: number;
  status_id: number;
  subject: string;
  /** Markdown. */
  description: string;
  author_id: number | null;
  assignee_id: number | null;
  /** `YYYY-MM-DD` or null. */
  start_date: string | null;
  due_date: string | null;
  lock_version: number;
  created_at: number;
  updated_at: number;
}

/** A work package's activity: one row per change (version 1 = creation) or comment. */
export interface JournalsTable {
  id: Generated<number>;
  work_package_id: number;
  user_id: number | null;
  version: number;
  notes: string;
  /** JSON array of `{ property, old, new }`. */
  details: string;
  created_at: number;
  updated_at: number;
}

export interface WatchersTable {
  work_package_id: number;
  user_id: number;
  created_at: number;
}

/** In-app notifications (IAN) about work packages. */
export interface NotificationsTable {
  id: Generated<number>;
  recipient_id: number;
  /** `assigned` | `mentioned` | `watched` | … (OpenProject's reasons). */
  reason: string;
  read_ian: number;
  resource_id: number;
  project_id: number;
  actor_id: number | null;
  journal_id: number | null;
  created_at: number;
  updated_at: number;
}

/** File storages (Nextcloud). `provider_fields` is JSON; the app password is sealed in `password_sealed`. */
export interface StoragesTable {
  id: Generated<number>;
  provider_type: string;
  name: string;
  name_key: string;
  host: string | null;
  creator_id: number | null;
  provider_fields: string;
  password_sealed: string | null;
  health_status: string;
  health_reason: string | null;
  health_changed_at: number;
  health_checked_at: number;
  created_at: number;
  updated_at: number;
}

/** The storage's Nextcloud OAuth client (OpenProject as client of Nextcloud); the secret is sealed. */
export interface OAuthClientsTable {
  id: Generated<number>;
  client_id: string;
  client_secret_sealed: string | null;
  integration_type: string;
  integration_id: number;
  created_at: number;
  updated_at: number;
}

export interface OAuthClientTokensTable {
  id: Generated<number>;
  oauth_client_id: number;
  user_id: number;
  access_token_sealed: string;
  refresh_token_sealed: string | null;
  token_type: string | null;
  expires_in: number | null;
  scope: string | null;
  lock_version: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface RemoteIdentitiesTable {
  id: Generated<number>;
  user_id: number;
  auth_source_type: string;
  auth_source_id: number;
  integration_type: string;
  integration_id: number;
  origin_user_id: string;
  created_at: number;
  updated_at: number;
}

export interface ProjectStoragesTable {
  id: Generated<number>;
  project_id: number;
  storage_id: number;
  creator_id: number | null;
  project_folder_id: string | null;
  /** `inactive` | `manual` | `automatic` */
  project_folder_mode: string;
  created_at: number;
  updated_at: number;
}

export interface LastProjectFoldersTable {
  id: Generated<number>;
  project_storage_id: number;
  origin_folder_id: string | null;
  mode: string;
  created_at: number;
  updated_at: number;
}

export interface FileLinksTable {
  id: Generated<number>;
  storage_id: number;
  creator_id: number | null;
  container_id: number | null;
  container_type: string | null;
  origin_id: string;
  origin_name: string | null;
  origin_mime_type: string | null;
  origin_created_by_name: string | null;
  origin_last_modified_by_name: string | null;
  origin_created_at: number | null;
  origin_updated_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ProjectsDatabase {
  users: UsersTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  projects: ProjectsTable;
  enabled_modules: EnabledModulesTable;
  roles: RolesTable;
  members: MembersTable;
  member_roles: MemberRolesTable;
  worker_processes: WorkerProcessesTable;
  oauth_applications: OAuthApplicationsTable;
  oauth_codes: OAuthCodesTable;
  oauth_access_tokens: OAuthAccessTokensTable;
  oauth_grants: OAuthGrantsTable;
  types: TypesTable;
  statuses: StatusesTable;
  project_types: ProjectTypesTable;
  work_packages: WorkPackagesTable;
  journals: JournalsTable;
  watchers: WatchersTable;
  notifications: NotificationsTable;
  jobs: JobsTable;
  storages: StoragesTable;
  oauth_clients: OAuthClientsTable;
  oauth_client_tokens: OAuthClientTokensTable;
  remote_identities: RemoteIdentitiesTable;
  project_storages: ProjectStoragesTable;
  last_project_folders: LastProjectFoldersTable;
  file_links: FileLinksTable;
}
