import { sql, type Kysely, type Selectable, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { ProjectsDatabase, UsersTable } from '../db/schema.ts';
import type { Filter, Sort } from '../api/query.ts';
import { columnCondition, containsInsensitive } from '../db/filters.ts';

export type UserRow = Selectable<UsersTable>;

export interface UserListQuery {
  filters: Filter[];
  /** Restrict to these users (what a non-admin may see); undefined = everyone. */
  visibleIds?: number[] | undefined;
  sortBy: Sort[];
  limit: number;
  offset: number;
}

const SORT_COLUMNS: Record<string, string> = {
  id: 'id',
  login: 'login',
  name: 'firstname',
  firstname: 'firstname',
  lastname: 'lastname',
  created_at: 'created_at',
  updated_at: 'updated_at',
  status: 'status',
};

export class UsersRepository {
  constructor(private readonly db: Kysely<ProjectsDatabase>) {}

  find(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findMany(ids: number[]): Promise<UserRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
  }

  findByLogin(login: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where(sql`lower(login)`, '=', login.toLowerCase()).executeTakeFirst();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countActiveAdmins(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('admin', '=', 1)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(row: Insertable<UsersTable>): Promise<UserRow> {
    return this.db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: number, changes: Updateable<UsersTable>): Promise<void> {
    await this.db.updateTable('users').set(changes).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }

  /** Users matching the API filters (`status`, `login`, `name`, `id`), one page of them and the total. */
  async list(query: UserListQuery): Promise<{ rows: UserRow[]; total: number }> {
    let base = this.db.selectFrom('users');
    if (query.visibleIds) base = base.where('id', 'in', query.visibleIds.length ? query.visibleIds : [0]);
    for (const filter of query.filters) {
      base = base.where((eb) => {
        switch (filter.name) {
          case 'member': {
            // Principals that are members of any of these projects.
            const members = eb.selectFrom('members').select('user_id').where('project_id', 'in', filter.values.map(Number));
            return filter.operator === '=' ? eb('id', 'in', members) : eb('id', 'not in', members);
          }
          case 'type': {
            // Only users exist here (no groups or placeholder users yet).
            const users = filter.values.includes('User');
            return sql<SqlBool>`${sql.lit((filter.operator === '=') === users ? 1 : 0)} = 1`;
          }
          case 'id':
            return columnCondition(eb, 'id', filter, 'integer');
          case 'status':
            return columnCondition(eb, 'status', filter, 'string');
          case 'login':
            return columnCondition(eb, 'login', filter, 'string');
          default: {
            // `name` / `any_name_attribute`: first name, last name, login or email contain the text.
            const fields = ['firstname', 'lastname', 'login', 'email'];
            const match = eb.and(
              filter.values.map((text) => eb.or(fields.map((f) => containsInsensitive(f, text)))),
            );
            return filter.operator === '!~' ? eb.not(match) : match;
          }
        }
      });
    }
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let rows = base.selectAll();
    for (const [key, direction] of query.sortBy) rows = rows.orderBy(sql.ref(SORT_COLUMNS[key] ?? 'id'), direction);
    rows = rows.orderBy('id', 'asc').limit(query.limit).offset(query.offset);
    return { rows: query.limit === 0 ? [] : await rows.execute(), total: Number(total.n) };
  }
}
