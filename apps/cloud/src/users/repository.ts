import { sql, type Kysely, type Selectable } from 'kysely';
import type { CloudDatabase, UsersTable } from '../db/schema.ts';

export type UserRow = Selectable<UsersTable>;

export interface ListQuery {
  search?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** Users, groups, memberships and sub-admins: the only code that touches those tables. */
export class UsersRepository {
  constructor(private readonly db: Kysely<CloudDatabase>) {}

  findUser(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where(sql`lower(id)`, '=', id.toLowerCase()).executeTakeFirst();
  }

  async insertUser(row: UserRow): Promise<void> {
    await this.db.insertInto('users').values(row).execute();
  }

  async updateUser(id: string, changes: Partial<Omit<UserRow, 'id'>>): Promise<void> {
    await this.db.updateTable('users').set(changes).where('id', '=', id).execute();
  }

  async deleteUser(id: string): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }

  countUsers(): Promise<number> {
    return this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }

  listUsers(query: ListQuery = {}): Promise<UserRow[]> {
    let q = this.db.selectFrom('users').selectAll().orderBy('id');
    if (query.search) {
      const like = `%${query.search.toLowerCase()}%`;
      q = q.where((eb) =>
        eb.or([eb(sql`lower(id)`, 'like', like), eb(sql`lower(display_name)`, 'like', like), eb(sql`lower(email)`, 'like', like)]),
      );
    }
    if (query.limit) q = q.limit(query.limit);
    if (query.offset) q = q.offset(query.offset).$if(!query.limit, (b) => b.limit(-1));
    return q.execute();
  }

  findGroup(id: string) {
    return this.db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertGroup(id: string, displayName: string): Promise<void> {
    await this.db.insertInto('groups').values({ id, display_name: displayName }).execute();
  }

  async updateGroup(id: string, displayName: string): Promise<void> {
    await this.db.updateTable('groups').set({ display_name: displayName }).where('id', '=', id).execute();
  }

  async deleteGroup(id: string): Promise<void> {
    await this.db.deleteFrom('groups').where('id', '=', id).execute();
  }

  listGroups(query: ListQuery = {}) {
    let q = this.db.selectFrom('groups').selectAll().orderBy('id');
    if (query.search) {
      const like = `%${query.search.toLowerCase()}%`;
      q = q.where((eb) => eb.or([eb(sql`lower(id)`, 'like', like), eb(sql`lower(display_name)`, 'like', like)]));
    }
    if (query.limit) q = q.limit(query.limit);
    if (query.offset) q = q.offset(query.offset).$if(!query.limit, (b) => b.limit(-1));
    return q.execute();
  }

  async addMember(table: 'group_members' | 'subadmins', groupId: string, userId: string): Promise<void> {
    await this.db
      .insertInto(table)
      .values({ group_id: groupId, user_id: userId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async removeMember(table: 'group_members' | 'subadmins', groupId: string, userId: string): Promise<void> {
    await this.db.deleteFrom(table).where('group_id', '=', groupId).where('user_id', '=', userId).execute();
  }

  membersOf(table: 'group_members' | 'subadmins', groupId: string): Promise<string[]> {
    return this.db
      .selectFrom(table)
      .select('user_id')
      .where('group_id', '=', groupId)
      .orderBy('user_id')
      .execute()
      .then((rows) => rows.map((r) => r.user_id));
  }

  groupsOf(table: 'group_members' | 'subadmins', userId: string): Promise<string[]> {
    return this.db
      .selectFrom(table)
      .select('group_id')
      .where('user_id', '=', userId)
      .orderBy('group_id')
      .execute()
      .then((rows) => rows.map((r) => r.group_id));
  }
}
