import { errors } from '../errors.ts';
import type { MembershipsRepository } from '../memberships/repository.ts';
import type { ProjectRow, ProjectScope, ProjectsRepository } from '../projects/repository.ts';
import type { UserRow } from '../users/repository.ts';
import { allPermissions, findPermission } from './registry.ts';

/** In an archived project only an admin sees anything, and only these (unarchiving is `edit_project`). */
const ARCHIVED_ADMIN = new Set(['view_project', 'edit_project', 'view_members', 'view_work_packages', 'view_file_links']);

type Caller = Pick<UserRow, 'id' | 'admin'>;

/**
 * The one answer to "may user U do P in project X" for every module:
 * - admins may do everything, except what a disabled module switches off;
 * - members may do what their roles grant, if the permission's module is enabled in the project;
 * - non-members may do nothing, and do not even see the project (callers answer 404);
 * - archived projects are visible to admins only, read-only.
 */
export class PermissionService {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly memberships: MembershipsRepository,
  ) {}

  /** Permissions the user holds in each of these projects (every visible project when `ids` is undefined). */
  async permissionsByProject(user: Caller, ids?: number[]): Promise<Map<number, Set<string>>> {
    const result = new Map<number, Set<string>>();
    if (user.admin) {
      for (const scope of await this.projects.scopes(ids)) result.set(scope.id, adminPermissions(scope));
      return result;
    }
    const grants = await this.memberships.rolePermissionsOf(user.id, ids);
    const granted = new Map<number, Set<string>>();
    for (const row of grants) {
      const set = granted.get(Number(row.project_id)) ?? new Set<string>(['view_project']);
      for (const name of JSON.parse(row.permissions) as string[]) set.add(name);
      granted.set(Number(row.project_id), set);
    }
    for (const scope of await this.projects.scopes([...granted.keys()])) {
      if (!scope.active) continue;
      const names = [...granted.get(scope.id)!].filter((name) => moduleEnabled(scope, name));
      result.set(scope.id, new Set(names));
    }
    return result;
  }

  async permissionsIn(user: Caller, projectId: number): Promise<Set<string>> {
    return (await this.permissionsByProject(user, [projectId])).get(projectId) ?? new Set();
  }

  async allowed(user: Caller, permission: string, projectId: number): Promise<boolean> {
    return (await this.permissionsIn(user, projectId)).has(permission);
  }

  /** Ids of the projects where the user holds `permission` (the WHERE clause of every listing). */
  async projectIdsWith(user: Caller, permission: string): Promise<number[]> {
    const all = await this.permissionsByProject(user);
    return [...all].filter(([, set]) => set.has(permission)).map(([id]) => id);
  }

  /** Ids of the projects the user can see. */
  visibleProjectIds(user: Caller): Promise<number[]> {
    return this.projectIdsWith(user, 'view_project');
  }

  /** The project if the user can see it; 404 otherwise (whether it exists or not). */
  async visibleProject(user: Caller, projectId: number): Promise<ProjectRow> {
    const project = await this.projects.find(projectId);
    if (!project || !(await this.allowed(user, 'view_project', projectId))) throw errors.not_found({ resource: 'project', id: projectId });
    return project;
  }

  /** 404 if the user cannot see the project, 403 if they see it but lack `permission`. */
  async require(user: Caller, permission: string, projectId: number): Promise<ProjectRow> {
    const project = await this.visibleProject(user, projectId);
    if (!(await this.allowed(user, permission, projectId))) throw errors.missing_permission({ permission });
    return project;
  }

  requireAdmin(user: Caller): void {
    if (!user.admin) throw errors.missing_permission({ permission: 'admin' });
  }
}

function moduleEnabled(scope: ProjectScope, permission: string): boolean {
  const def = findPermission(permission);
  if (!def) return permission === 'view_project';
  return def.module === null || scope.modules.includes(def.module);
}

function adminPermissions(scope: ProjectScope): Set<string> {
  const names = new Set<string>(['view_project']);
  for (const { name } of allPermissions()) {
    if (!moduleEnabled(scope, name)) continue;
    if (!scope.active && !ARCHIVED_ADMIN.has(name)) continue;
    names.add(name);
  }
  return names;
}
