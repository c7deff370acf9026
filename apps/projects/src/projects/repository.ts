import { sql, type Expression, type ExpressionBuilder, type Insertable, type Kysely, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { ProjectsDatabase, ProjectsTable } from '../db/schema.ts';
import type { Sort } from '../api/query.ts';

export type ProjectRow = Selectable<ProjectsTable>;
export type ProjectCondition = (eb: ExpressionBuilder<ProjectsDatabase, 'projects'>) => Expression<SqlBool>;

const SORT_COLUMNS: Record<string, string> = {
  id: 'projects.id',
  name: 'projects.name',
  identifier: 'projects.identifier',
  created_at: 'projects.created_at',
  updated_at: 'projects.updated_at',
  public: 'projects.public',
  latest_activity_at: 'projects.updated_at',
  typeahead: 'projects.name',
};

export class ProjectsRepository {
  constructor(private readonly db: Kysely<ProjectsDatabase>) {}

  find(id: number): Promise<ProjectRow | undefined> {
    return this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByIdentifier(identifier: string): Promise<ProjectRow | undefined> {
    return this.db.selectFrom('projects').selectAll().where('identifier', '=', identifier).executeTakeFirst();
  }

  findMany(ids: number[]): Promise<ProjectRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('projects').selectAll().where('id', 'in', ids).execute();
  }

  /** Insert a project with its enabled modules, in one transaction. */
  insert(row: Insertable<ProjectsTable>, modules: string[]): Promise<ProjectRow> {
    return this.db.transaction().execute(async (trx) => {
      const project = await trx.insertInto('projects').values(row).returningAll().executeTakeFirstOrThrow();
      if (modules.length) {
        await trx.insertInto('enabled_modules').values(modules.map((name) => ({ project_id: project.id, name }))).execute();
      }
      return project;
    });
  }

  async update(id: number, changes: Updateable<ProjectsTable>): Promise<void> {
    await this.db.updateTable('projects').set(changes).where('id', '=', id).execute();
  }

  /** Archive or unarchive a project and all its descendants. */
  async setActive(ids: number[], active: boolean, at: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('projects').set({ active: active ? 1 : 0, updated_at: at }).where('id', 'in', ids).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('projects').where('id', '=', id).execute();
  }

  /** Ids of all descendants (children, their children …), without the project itself. */
  async descendantIds(id: number): Promise<number[]> {
    const rows = await this.db
      .withRecursive('tree(id)', (db) =>
        db
          .selectFrom('projects')
          .select('id')
          .where('parent_id', '=', id)
          .unionAll((q) => q.selectFrom('projects').innerJoin('tree', 'tree.id', 'projects.parent_id').select('projects.id')),
      )
      .selectFrom('tree')
      .select('id')
      .execute();
    return rows.map((r) => Number(r.id));
  }

  enabledModules(projectIds: number[]): Promise<{ project_id: number; name: string }[]> {
    if (projectIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('enabled_modules').selectAll().where('project_id', 'in', projectIds).execute();
  }

  /** Replace the enabled modules of a project. */
  async setModules(projectId: number, modules: string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('enabled_modules').where('project_id', '=', projectId).execute();
      if (modules.length) {
        await trx.insertInto('enabled_modules').values(modules.map((name) => ({ project_id: projectId, name }))).execute();
      }
    });
  }

  /** One page of the projects matching every condition, and their total. */
  async list(
    conditions: ProjectCondition[],
    sortBy: Sort[],
    page: { limit: number; offset: number },
  ): Promise<{ rows: ProjectRow[]; total: number }> {
    let base = this.db.selectFrom('projects');
    for (const condition of conditions) base = base.where(condition);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (page.limit === 0) return { rows: [], total: Number(total.n) };
    let rows = base.selectAll('projects');
    for (const [key, direction] of sortBy) rows = rows.orderBy(sql.ref(SORT_COLUMNS[key] ?? 'projects.id'), direction);
    const found = await rows.orderBy('projects.id', 'asc').limit(page.limit).offset(page.offset).execute();
    return { rows: found, total: Number(total.n) };
  }

  scopes(ids?: number[]): Promise<ProjectScope[]> {
    return projectScopes(this.db, ids);
  }

  /** Projects a user is a member of (`principal` filter). */
  memberProjectIds(userIds: number[]) {
    return this.db.selectFrom('members').select('project_id').where('user_id', 'in', userIds);
  }
}

export interface ProjectScope {
  id: number;
  active: number;
  modules: string[];
}

/** Ids, archive state and enabled modules of projects (all of them when `ids` is undefined). */
export async function projectScopes(db: Kysely<ProjectsDatabase>, ids?: number[]): Promise<ProjectScope[]> {
  if (ids && ids.length === 0) return [];
  let projects = db.selectFrom('projects').select(['id', 'active']);
  let modules = db.selectFrom('enabled_modules').select(['project_id', 'name']);
  if (ids) {
    projects = projects.where('id', 'in', ids);
    modules = modules.where('project_id', 'in', ids);
  }
  const [rows, enabled] = await Promise.all([projects.execute(), modules.execute()]);
  const byProject = new Map<number, string[]>();
  for (const m of enabled) byProject.set(Number(m.project_id), [...(byProject.get(Number(m.project_id)) ?? []), m.name]);
  return rows.map((r) => ({ id: Number(r.id), active: r.active, modules: byProject.get(Number(r.id)) ?? [] }));
}
