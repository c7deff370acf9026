import type { Generated } from 'kysely';
import type { JobsTable } from '@tandem/core';

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
  jobs: JobsTable;
}
