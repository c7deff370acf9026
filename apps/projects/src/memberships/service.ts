import { constraintViolation, errors } from '../errors.ts';
import type { CollectionQuery, FilterDef } from '../api/query.ts';
import { columnCondition } from '../db/filters.ts';
import type { PermissionService } from '../permissions/service.ts';
import type { ProjectsRepository } from '../projects/repository.ts';
import type { RolesRepository } from '../roles/repository.ts';
import type { UserRow, UsersRepository } from '../users/repository.ts';
import type { MemberCondition, Membership, MembershipsRepository } from './repository.ts';

type Caller = Pick<UserRow, 'id' | 'admin'>;

export interface MembershipInput {
  projectId?: number | undefined;
  userId?: number | undefined;
  roleIds?: number[] | undefined;
}

export const MEMBERSHIP_FILTERS: Record<string, FilterDef> = {
  project: { label: 'Project', operators: ['=', '!'], values: 'integer' },
  principal: { label: 'Principal', operators: ['=', '!'], values: 'integer', allowMe: true },
  role: { label: 'Role', operators: ['=', '!'], values: 'integer' },
  id: { label: 'ID', operators: ['=', '!'], values: 'integer' },
};
export const MEMBERSHIP_SORTS = ['id', 'created_at', 'updated_at'] as const;

/** Members of projects and their roles. Seen with `view_members`, changed with `manage_members`. */
export class MembershipsService {
  constructor(
    readonly repository: MembershipsRepository,
    private readonly permissions: PermissionService,
    private readonly projects: ProjectsRepository,
    private readonly users: UsersRepository,
    private readonly roles: RolesRepository,
  ) {}

  async list(caller: Caller, query: CollectionQuery) {
    const visible = await this.permissions.projectIdsWith(caller, 'view_members');
    const conditions: MemberCondition[] = [(eb) => eb('members.project_id', 'in', visible.length ? visible : [0])];
    for (const filter of query.filters) {
      if (filter.name === 'role') {
        const ids = this.repository.memberIdsWithRoles(filter.values.map(Number));
        conditions.push((eb) => (filter.operator === '=' ? eb('members.id', 'in', ids) : eb('members.id', 'not in', ids)));
        continue;
      }
      const column = { project: 'members.project_id', principal: 'members.user_id', id: 'members.id' }[filter.name]!;
      const resolved = { ...filter, values: filter.values.map((v) => (v === 'me' ? String(caller.id) : v)) };
      conditions.push((eb) => columnCondition(eb, column, resolved, 'integer'));
    }
    return this.repository.list(conditions, query.sortBy, { limit: query.pageSize, offset: (query.offset - 1) * query.pageSize });
  }

  /** 404 unless the caller may see the members of its project. */
  async get(caller: Caller, id: number): Promise<Membership> {
    const membership = await this.repository.find(id);
    if (!membership || !(await this.permissions.allowed(caller, 'view_members', membership.project_id))) {
      throw errors.not_found({ resource: 'membership', id });
    }
    return membership;
  }

  async create(caller: Caller, input: MembershipInput): Promise<Membership> {
    const violations: { attribute: string; message: string }[] = [];
    const project = input.projectId === undefined ? undefined : await this.projects.find(input.projectId);
    const visible = project ? await this.permissions.allowed(caller, 'view_project', project.id) : false;
    if (input.projectId === undefined) violations.push({ attribute: 'project', message: "Project can't be blank." });
    else if (!project || !visible) violations.push({ attribute: 'project', message: 'Project is invalid.' });
    const user = input.userId === undefined ? undefined : await this.users.find(input.userId);
    if (input.userId === undefined) violations.push({ attribute: 'principal', message: "User can't be blank." });
    else if (!user) violations.push({ attribute: 'principal', message: 'User is invalid.' });
    violations.push(...(await this.checkRoles(input.roleIds)));
    if (project && visible && !(await this.permissions.allowed(caller, 'manage_members', project.id))) {
      throw errors.missing_permission({ permission: 'manage_members' });
    }
    if (project && user && (await this.repository.findFor(project.id, user.id))) {
      violations.push({ attribute: 'principal', message: 'User has already been taken.' });
    }
    if (violations.length) throw constraintViolation(violations);
    return this.repository.insert(project!.id, user!.id, unique(input.roleIds!), Date.now());
  }

  async update(caller: Caller, id: number, roleIds: number[] | undefined): Promise<Membership> {
    const membership = await this.get(caller, id);
    if (!(await this.permissions.allowed(caller, 'manage_members', membership.project_id))) {
      throw errors.missing_permission({ permission: 'manage_members' });
    }
    if (roleIds === undefined) return membership;
    const violations = await this.checkRoles(roleIds);
    if (violations.length) throw constraintViolation(violations);
    await this.repository.setRoles(id, unique(roleIds), Date.now());
    return (await this.repository.find(id))!;
  }

  async delete(caller: Caller, id: number): Promise<void> {
    const membership = await this.get(caller, id);
    if (!(await this.permissions.allowed(caller, 'manage_members', membership.project_id))) {
      throw errors.missing_permission({ permission: 'manage_members' });
    }
    await this.repository.delete(id);
  }

  /** Admins see every user; others themselves and the members of projects whose members they may see. */
  async canSeeUser(caller: Caller, userId: number): Promise<boolean> {
    if (caller.admin || caller.id === userId) return true;
    const projectIds = await this.permissions.projectIdsWith(caller, 'view_members');
    return this.repository.isMemberOfAny(userId, projectIds);
  }

  /** Ids of the users the caller may see (undefined: all of them, for admins). */
  async visibleUserIds(caller: Caller): Promise<number[] | undefined> {
    if (caller.admin) return undefined;
    const projectIds = await this.permissions.projectIdsWith(caller, 'view_members');
    return [...new Set([caller.id, ...(await this.repository.userIdsIn(projectIds))])];
  }

  private async checkRoles(roleIds: number[] | undefined) {
    if (!roleIds || roleIds.length === 0) return [{ attribute: 'roles', message: 'Roles need to be assigned.' }];
    const found = await this.roles.findMany(unique(roleIds));
    return found.length === unique(roleIds).length ? [] : [{ attribute: 'roles', message: 'Roles is invalid.' }];
  }
}

const unique = (ids: number[]) => [...new Set(ids)].sort((a, b) => a - b);
