import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { constraintViolation, errors } from '../errors.ts';
import type { CollectionQuery, Filter, FilterDef } from '../api/query.ts';
import { columnCondition, containsInsensitive } from '../db/filters.ts';
import type { ProjectsDatabase } from '../db/schema.ts';
import type { MembershipsRepository } from '../memberships/repository.ts';
import type { PermissionService } from '../permissions/service.ts';
import { ACTION_PERMISSIONS, allModules, findModule } from '../permissions/registry.ts';
import type { RolesRepository } from '../roles/repository.ts';
import type { UserRow } from '../users/repository.ts';
import type { ProjectCondition, ProjectRow, ProjectsRepository } from './repository.ts';
import type { ProjectView } from './presenter.ts';

export interface ProjectInput {
  identifier?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  public?: boolean | undefined;
  active?: boolean | undefined;
  /** `null` makes it a top-level project. */
  parentId?: number | null | undefined;
}

type Caller = Pick<UserRow, 'id' | 'admin'>;

/**
 * A filter other modules add to `GET /api/v3/projects` (e.g. `storage_url`): its declaration and the
 * condition it puts on `projects` (may look things up first, hence async).
 */
export interface ProjectFilterExtension {
  def: FilterDef;
  condition(filter: Filter, caller: Caller): Promise<ProjectCondition>;
}

const IDENTIFIER = /^(?!\d+$)[a-z0-9_-]+$/;
const RESERVED_IDENTIFIERS = new Set(['new', 'menu', 'queries', 'export', 'copy', 'settings']);
/** The role a non-admin creator of a project receives in it. */
export const CREATOR_ROLE = 'Project admin';

export const PROJECT_SORTS = ['id', 'name', 'identifier', 'created_at', 'updated_at', 'public', 'latest_activity_at', 'typeahead'] as const;

export class ProjectsService {
  private readonly extensions = new Map<string, ProjectFilterExtension>();

  constructor(
    readonly repository: ProjectsRepository,
    private readonly permissions: PermissionService,
    private readonly memberships: MembershipsRepository,
    private readonly roles: RolesRepository,
  ) {}

  registerFilter(name: string, extension: ProjectFilterExtension): void {
    this.extensions.set(name, extension);
  }

  /** Filters `GET /api/v3/projects` accepts. */
  filterDefs(): Record<string, FilterDef> {
    const defs: Record<string, FilterDef> = {
      active: { label: 'Active', operators: ['='], values: 'boolean' },
      id: { label: 'Project', operators: ['=', '!'], values: 'integer' },
      name_and_identifier: { label: 'Name or identifier', operators: ['~', '!~', '**', '=', '!'], values: 'string' },
      parent_id: { label: 'Subproject of', operators: ['=', '!', '*', '!*'], values: 'integer' },
      ancestor: { label: 'Ancestor', operators: ['=', '!'], values: 'integer' },
      principal: { label: 'Member', operators: ['=', '!'], values: 'integer', allowMe: true },
      user_action: {
        label: 'User action',
        operators: ['=', '&='],
        values: 'string',
        validate: (values) => values.every((v) => Object.hasOwn(ACTION_PERMISSIONS, v)),
      },
    };
    for (const [name, ext] of this.extensions) defs[name] = ext.def;
    return defs;
  }

  get(id: number): Promise<ProjectRow | undefined> {
    return this.repository.find(id);
  }

  /** `/projects/{id}` takes the numeric id or the identifier; 404 unless the caller sees it. */
  async visible(caller: Caller, idOrIdentifier: string): Promise<ProjectRow> {
    const project = /^\d{1,15}$/.test(idOrIdentifier)
      ? await this.repository.find(Number(idOrIdentifier))
      : await this.repository.findByIdentifier(idOrIdentifier);
    if (!project) throw errors.not_found({ resource: 'project' });
    return this.permissions.visibleProject(caller, project.id);
  }

  /** What the presenter needs per project: the caller's permissions and the visible ancestors. */
  async views(caller: Caller, projects: ProjectRow[]): Promise<Map<number, ProjectView>> {
    const known = new Map<number, ProjectRow>(projects.map((p) => [p.id, p]));
    let missing = projects.map((p) => p.parent_id).filter((id): id is number => id !== null && !known.has(id));
    while (missing.length) {
      for (const row of await this.repository.findMany([...new Set(missing)])) known.set(row.id, row);
      missing = [...known.values()].map((p) => p.parent_id).filter((id): id is number => id !== null && !known.has(id));
    }
    const permissions = await this.permissions.permissionsByProject(caller, [...known.keys()]);
    const views = new Map<number, ProjectView>();
    for (const project of projects) {
      const ancestors: ProjectRow[] = [];
      for (let p = project.parent_id; p !== null; p = known.get(p)?.parent_id ?? null) {
        const ancestor = known.get(p);
        if (!ancestor) break;
        ancestors.unshift(ancestor);
      }
      const visible = ancestors.filter((a) => permissions.get(a.id)?.has('view_project'));
      views.set(project.id, {
        permissions: permissions.get(project.id) ?? new Set(),
        ancestors: visible,
        parentHidden: project.parent_id !== null && !permissions.get(project.parent_id)?.has('view_project'),
        admin: Boolean(caller.admin),
      });
    }
    return views;
  }

  /** The projects the caller can see that match the query, one page and the total. */
  async list(caller: Caller, query: CollectionQuery) {
    const conditions: ProjectCondition[] = [];
    if (!caller.admin) {
      const visible = await this.permissions.visibleProjectIds(caller);
      conditions.push((eb) => eb('projects.id', 'in', visible.length ? visible : [0]));
    }
    for (const filter of query.filters) conditions.push(await this.condition(caller, filter));
    return this.repository.list(conditions, query.sortBy, {
      limit: query.pageSize,
      offset: (query.offset - 1) * query.pageSize,
    });
  }

  async create(caller: Caller, input: ProjectInput): Promise<ProjectRow> {
    if (input.parentId != null) await this.requireParent(caller, input.parentId, undefined);
    else if (!caller.admin) throw errors.missing_permission({ permission: 'add_project' });
    const identifier = input.identifier?.trim() || (input.name?.trim() ? await this.freeIdentifier(input.name) : undefined);
    await this.validate({ ...input, identifier }, undefined);
    const now = Date.now();
    const modules = allModules().filter((m) => m.defaultEnabled).map((m) => m.name);
    const project = await this.repository.insert(
      {
        identifier: identifier!,
        name: input.name!.trim(),
        description: input.description ?? '',
        public: input.public ? 1 : 0,
        active: input.active === false ? 0 : 1,
        parent_id: input.parentId ?? null,
        created_at: now,
        updated_at: now,
      },
      modules,
    );
    if (!caller.admin) {
      // A non-admin creating a sub-project would otherwise lose sight of it.
      const role = await this.roles.findByName(CREATOR_ROLE);
      if (role) await this.memberships.insert(project.id, caller.id, [role.id], now);
    }
    return project;
  }

  async update(caller: Caller, id: number, input: ProjectInput): Promise<ProjectRow> {
    const project = await this.permissions.require(caller, 'edit_project', id);
    if (input.active !== undefined && Boolean(input.active) !== Boolean(project.active)) {
      // Archiving and unarchiving are for administrators, as in OpenProject.
      this.permissions.requireAdmin(caller);
    }
    if (input.parentId !== undefined && input.parentId !== project.parent_id) {
      if (input.parentId === null) this.permissions.requireAdmin(caller);
      else await this.requireParent(caller, input.parentId, project);
    }
    await this.validate(input, project);
    const now = Date.now();
    const changes: Partial<ProjectRow> = { updated_at: now };
    if (input.identifier !== undefined) changes.identifier = input.identifier.trim();
    if (input.name !== undefined) changes.name = input.name.trim();
    if (input.description !== undefined) changes.description = input.description;
    if (input.public !== undefined) changes.public = input.public ? 1 : 0;
    if (input.parentId !== undefined) changes.parent_id = input.parentId;
    await this.repository.update(id, changes);
    if (input.active !== undefined && Boolean(input.active) !== Boolean(project.active)) {
      // Archiving a project archives its sub-projects too.
      const ids = input.active ? [id] : [id, ...(await this.repository.descendantIds(id))];
      await this.repository.setActive(ids, input.active, now);
      changes.active = input.active ? 1 : 0;
    }
    return { ...project, ...changes };
  }

  async delete(caller: Caller, id: number): Promise<void> {
    await this.permissions.visibleProject(caller, id);
    this.permissions.requireAdmin(caller);
    await this.repository.delete(id);
  }

  async modules(caller: Caller, id: number): Promise<string[]> {
    await this.permissions.visibleProject(caller, id);
    return (await this.repository.enabledModules([id])).map((m) => m.name);
  }

  async setModules(caller: Caller, id: number, names: string[]): Promise<string[]> {
    await this.permissions.require(caller, 'select_project_modules', id);
    const unknown = names.filter((n) => !findModule(n));
    if (unknown.length) throw constraintViolation([{ attribute: 'enabledModules', message: `Modules ${unknown.join(', ')} do not exist.` }]);
    const wanted = allModules().map((m) => m.name).filter((n) => names.includes(n));
    await this.repository.setModules(id, wanted);
    await this.repository.update(id, { updated_at: Date.now() });
    return wanted;
  }

  /** The parent must be visible (else 422: the link is invalid) and allow adding sub-projects (else 403). */
  private async requireParent(caller: Caller, parentId: number, project: ProjectRow | undefined): Promise<void> {
    const invalid = () => constraintViolation([{ attribute: 'parent', message: 'Subproject of is invalid.' }]);
    const parent = await this.repository.find(parentId);
    if (!parent || !(await this.permissions.allowed(caller, 'view_project', parentId))) throw invalid();
    if (project && (parentId === project.id || (await this.repository.descendantIds(project.id)).includes(parentId))) throw invalid();
    if (!(await this.permissions.allowed(caller, 'add_subprojects', parentId))) throw errors.missing_permission({ permission: 'add_subprojects' });
  }

  private async condition(caller: Caller, filter: Filter): Promise<ProjectCondition> {
    const extension = this.extensions.get(filter.name);
    if (extension) return extension.condition(filter, caller);
    switch (filter.name) {
      case 'active':
        return (eb) => columnCondition(eb, 'projects.active', filter, 'boolean');
      case 'id':
        return (eb) => columnCondition(eb, 'projects.id', filter, 'integer');
      case 'parent_id':
        return (eb) => columnCondition(eb, 'projects.parent_id', filter, 'integer');
      case 'name_and_identifier':
        return (eb) => nameAndIdentifier(eb, filter);
      case 'ancestor': {
        const ids = new Set<number>();
        for (const v of filter.values) for (const d of await this.repository.descendantIds(Number(v))) ids.add(d);
        const list = ids.size ? [...ids] : [0];
        return (eb) => (filter.operator === '=' ? eb('projects.id', 'in', list) : eb('projects.id', 'not in', list));
      }
      case 'principal': {
        const userIds = filter.values.map((v) => (v === 'me' ? caller.id : Number(v)));
        const members = this.repository.memberProjectIds(userIds);
        return (eb) => (filter.operator === '=' ? eb('projects.id', 'in', members) : eb('projects.id', 'not in', members));
      }
      default: {
        // user_action: projects where the caller may do any (`=`) or all (`&=`) of the actions.
        const byProject = await this.permissions.permissionsByProject(caller);
        const needed = filter.values.map((v) => ACTION_PERMISSIONS[v]!);
        const ids = [...byProject]
          .filter(([, set]) => (filter.operator === '&=' ? needed.every((p) => set.has(p)) : needed.some((p) => set.has(p))))
          .map(([id]) => id);
        return (eb) => eb('projects.id', 'in', ids.length ? ids : [0]);
      }
    }
  }

  private async freeIdentifier(name: string): Promise<string> {
    let base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 90);
    if (!base || /^\d+$/.test(base) || RESERVED_IDENTIFIERS.has(base)) base = `project-${base}`.replace(/-+$/, '');
    let candidate = base;
    for (let n = 2; await this.repository.findByIdentifier(candidate); n += 1) candidate = `${base}-${n}`;
    return candidate;
  }

  private async validate(input: ProjectInput, existing: ProjectRow | undefined): Promise<void> {
    const violations: { attribute: string; message: string }[] = [];
    if (input.name !== undefined || !existing) {
      const name = input.name?.trim() ?? '';
      if (!name) violations.push({ attribute: 'name', message: "Name can't be blank." });
      else if (name.length > 255) violations.push({ attribute: 'name', message: 'Name is too long (maximum is 255 characters).' });
    }
    if (input.identifier !== undefined || !existing) {
      const identifier = input.identifier?.trim() ?? '';
      if (!identifier) violations.push({ attribute: 'identifier', message: "Identifier can't be blank." });
      else if (identifier.length > 100) violations.push({ attribute: 'identifier', message: 'Identifier is too long (maximum is 100 characters).' });
      else if (!IDENTIFIER.test(identifier) || RESERVED_IDENTIFIERS.has(identifier)) violations.push({ attribute: 'identifier', message: 'Identifier is invalid.' });
      else {
        const other = await this.repository.findByIdentifier(identifier);
        if (other && other.id !== existing?.id) violations.push({ attribute: 'identifier', message: 'Identifier has already been taken.' });
      }
    }
    if (violations.length) throw constraintViolation(violations);
  }
}

function nameAndIdentifier(eb: ExpressionBuilder<ProjectsDatabase, 'projects'>, filter: Filter): Expression<SqlBool> {
  const [text = ''] = filter.values;
  if (filter.operator === '=' || filter.operator === '!') {
    const match = eb.or([eb('projects.name', '=', text), eb('projects.identifier', '=', text)]);
    return filter.operator === '=' ? match : eb.not(match);
  }
  const match = eb.or([containsInsensitive('projects.name', text), containsInsensitive('projects.identifier', text)]);
  return filter.operator === '!~' ? eb.not(match) : match;
}
