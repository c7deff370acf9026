import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { MembersTable, ProjectsDatabase } from '../db/schema.ts';
import type { Sort } from '../api/query.ts';

export type MemberRow = Selectable<MembersTable>;
export interface Membership extends MemberRow {
  roleIds: number[];
}
export type MemberCondition = (eb: ExpressionBuilder<ProjectsDatabase, 'members'>) => Expression<SqlBool>;

const SORT_COLUMNS: Record<string, string> = {
  id: 'members.id',
  created_at: 'members.created_at',
  updated_at: 'members.updated_at',
};

/** Project memberships (user + project) and the roles each holds. */
export class MembershipsRepository {
  constructor(private readonly db: Kysely<ProjectsDatabase>) {}

  async find(id: number): Promise<Membership | undefined> {
    const row = await this.db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? (await this.withRoles([row]))[0] : undefined;
  }

  async findFor(projectId: number, userId: number): Promise<Membership | undefined> {
    const row = await this.db
      .selectFrom('members')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? (await this.withRoles([row]))[0] : undefined;
  }

  /** Insert a membership with its roles, in one transaction. */
  insert(projectId: number, userId: number, roleIds: number[], at: number): Promise<Membership> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('members')
        .values({ project_id: projectId, user_id: userId, created_at: at, updated_at: at })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.insertInto('member_roles').values(roleIds.map((role_id) => ({ member_id: row.id, role_id }))).execute();
      return { ...row, roleIds: [...roleIds].sort((a, b) => a - b) };
    });
  }

  async setRoles(memberId: number, roleIds: number[], at: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('member_roles').where('member_id', '=', memberId).execute();
      await trx.insertInto('member_roles').values(roleIds.map((role_id) => ({ member_id: memberId, role_id }))).execute();
      await trx.updateTable('members').set({ updated_at: at }).where('id', '=', memberId).execute();
    });
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('members').where('id', '=', id).execute();
  }

  async list(conditions: MemberCondition[], sortBy: Sort[], page: { limit: number; offset: number }) {
    let base = this.db.selectFrom('members');
    for (const condition of conditions) base = base.where(condition);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (page.limit === 0) return { rows: [] as Membership[], total: Number(total.n) };
    let rows = base.selectAll('members');
    for (const [key, direction] of sortBy) rows = rows.orderBy(sql.ref(SORT_COLUMNS[key] ?? 'members.id'), direction);
    const found = await rows.orderBy('members.id', 'asc').limit(page.limit).offset(page.offset).execute();
    return { rows: await this.withRoles(found), total: Number(total.n) };
  }

  /** Member ids that hold a given role (`roles` filter). */
  memberIdsWithRoles(roleIds: number[]) {
    return this.db.selectFrom('member_roles').select('member_id').where('role_id', 'in', roleIds);
  }

  /**
   * For one user: each project they are a member of with the permissions of all their roles there
   * (JSON arrays, one per role) — the permission service's only query.
   */
  rolePermissionsOf(userId: number, projectIds?: number[]): Promise<{ project_id: number; permissions: string }[]> {
    let q = this.db
      .selectFrom('members')
      .innerJoin('member_roles', 'member_roles.member_id', 'members.id')
      .innerJoin('roles', 'roles.id', 'member_roles.role_id')
      .select(['members.project_id', 'roles.permissions'])
      .where('members.user_id', '=', userId);
    if (projectIds) {
      if (projectIds.length === 0) return Promise.resolve([]);
      q = q.where('members.project_id', 'in', projectIds);
    }
    return q.execute();
  }

  async isMemberOfAny(userId: number, projectIds: number[]): Promise<boolean> {
    if (projectIds.length === 0) return false;
    const row = await this.db
      .selectFrom('members')
      .select('id')
      .where('user_id', '=', userId)
      .where('project_id', 'in', projectIds)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async userIdsIn(projectIds: number[]): Promise<number[]> {
    if (projectIds.length === 0) return [];
    const rows = await this.db.selectFrom('members').select('user_id').distinct().where('project_id', 'in', projectIds).execute();
    return rows.map((r) => Number(r.user_id));
  }

  private async withRoles(rows: MemberRow[]): Promise<Membership[]> {
    if (rows.length === 0) return [];
    const links = await this.db
      .selectFrom('member_roles')
      .selectAll()
      .where('member_id', 'in', rows.map((r) => r.id))
      .orderBy('role_id')
      .execute();
    return rows.map((row) => ({ ...row, roleIds: links.filter((l) => l.member_id === row.id).map((l) => Number(l.role_id)) }));
  }
}
