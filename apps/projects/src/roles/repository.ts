import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { ProjectsDatabase, RolesTable } from '../db/schema.ts';

export type RoleRow = Selectable<RolesTable>;

export class RolesRepository {
  constructor(private readonly db: Kysely<ProjectsDatabase>) {}

  list(): Promise<RoleRow[]> {
    return this.db.selectFrom('roles').selectAll().orderBy('position').orderBy('id').execute();
  }

  find(id: number): Promise<RoleRow | undefined> {
    return this.db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findMany(ids: number[]): Promise<RoleRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('roles').selectAll().where('id', 'in', ids).orderBy('position').orderBy('id').execute();
  }

  findByName(name: string): Promise<RoleRow | undefined> {
    return this.db.selectFrom('roles').selectAll().where(sql`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('roles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  insert(row: Insertable<RolesTable>): Promise<RoleRow> {
    return this.db.insertInto('roles').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: number, changes: Updateable<RolesTable>): Promise<void> {
    await this.db.updateTable('roles').set(changes).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('roles').where('id', '=', id).execute();
  }

  /** How many memberships use the role (a role in use cannot be deleted). */
  async usage(id: number): Promise<number> {
    const row = await this.db
      .selectFrom('member_roles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role_id', '=', id)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
