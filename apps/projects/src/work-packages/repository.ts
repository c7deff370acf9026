import { sql, type Expression, type ExpressionBuilder, type Insertable, type Kysely, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { JournalsTable, ProjectsDatabase, WorkPackagesTable } from '../db/schema.ts';
import type { Sort } from '../api/query.ts';

export type WorkPackageRow = Selectable<WorkPackagesTable>;
export type JournalRow = Selectable<JournalsTable>;
export type WorkPackageCondition = (eb: ExpressionBuilder<ProjectsDatabase, 'work_packages'>) => Expression<SqlBool>;

/** One change of one property as the journal keeps it (display values, so history stays readable). */
export interface JournalDetail {
  property: string;
  old: string | null;
  new: string | null;
}

const SORT_COLUMNS: Record<string, string> = {
  id: 'work_packages.id',
  subject: 'work_packages.subject',
  created_at: 'work_packages.created_at',
  updated_at: 'work_packages.updated_at',
  status: 'work_packages.status_id',
  type: 'work_packages.type_id',
  project: 'work_packages.project_id',
  assignee: 'work_packages.assignee_id',
  author: 'work_packages.author_id',
  start_date: 'work_packages.start_date',
  due_date: 'work_packages.due_date',
};

/** Work packages, their journal (activities) and watchers: the only SQL of the work-package domain. */
export class WorkPackagesRepository {
  constructor(private readonly db: Kysely<ProjectsDatabase>) {}

  find(id: number): Promise<WorkPackageRow | undefined> {
    return this.db.selectFrom('work_packages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findMany(ids: number[]): Promise<WorkPackageRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('work_packages').selectAll().where('id', 'in', ids).execute();
  }

  /** One page of the work packages matching every condition, and their total. */
  async list(conditions: WorkPackageCondition[], sortBy: Sort[], page: { limit: number; offset: number }) {
    let base = this.db.selectFrom('work_packages');
    for (const condition of conditions) base = base.where(condition);
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    if (page.limit === 0) return { rows: [] as WorkPackageRow[], total };
    let rows = base.selectAll('work_packages');
    for (const [key, direction] of sortBy) {
      const column = SORT_COLUMNS[key];
      if (column) rows = rows.orderBy(sql.ref(column), direction);
    }
    // Ties are broken by id, in the direction of the first sort.
    if (sortBy.at(-1)?.[0] !== 'id') rows = rows.orderBy('work_packages.id', sortBy[0]?.[1] ?? 'asc');
    const found = await rows.limit(page.limit).offset(page.offset).execute();
    return { rows: found, total };
  }

  /** Insert a work package, its creation journal (version 1) and its first watchers, in one transaction. */
  insert(row: Insertable<WorkPackagesTable>, watcherIds: number[]): Promise<{ workPackage: WorkPackageRow; journal: JournalRow }> {
    return this.db.transaction().execute(async (trx) => {
      const workPackage = await trx.insertInto('work_packages').values(row).returningAll().executeTakeFirstOrThrow();
      const journal = await trx
        .insertInto('journals')
        .values({ work_package_id: workPackage.id, user_id: row.author_id ?? null, version: 1, notes: '', details: '[]', created_at: row.created_at, updated_at: row.created_at })
        .returningAll()
        .executeTakeFirstOrThrow();
      const watchers = [...new Set(watcherIds)].map((user_id) => ({ work_package_id: workPackage.id, user_id, created_at: row.created_at }));
      if (watchers.length) await trx.insertInto('watchers').values(watchers).execute();
      return { workPackage, journal };
    });
  }

  /**
   * Apply changes if nobody changed the work package since `lockVersion`, and journal them (with the
   * comment, if any) in the same transaction. Undefined when the lock version is stale.
   */
  update(
    id: number,
    lockVersion: number,
    changes: Updateable<WorkPackagesTable>,
    journal: { userId: number; notes: string; details: JournalDetail[]; at: number },
    watcherIds: number[],
  ): Promise<{ workPackage: WorkPackageRow; journal: JournalRow } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const workPackage = await trx
        .updateTable('work_packages')
        .set({ ...changes, lock_version: lockVersion + 1, updated_at: journal.at })
        .where('id', '=', id)
        .where('lock_version', '=', lockVersion)
        .returningAll()
        .executeTakeFirst();
      if (!workPackage) return undefined;
      const row = await trx
        .insertInto('journals')
        .values({
          work_package_id: id,
          user_id: journal.userId,
          version: lockVersion + 2,
          notes: journal.notes,
          details: JSON.stringify(journal.details),
          created_at: journal.at,
          updated_at: journal.at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      for (const userId of new Set(watcherIds)) {
        await trx
          .insertInto('watchers')
          .values({ work_package_id: id, user_id: userId, created_at: journal.at })
          .onConflict((oc) => oc.columns(['work_package_id', 'user_id']).doNothing())
          .execute();
      }
      return { workPackage, journal: row };
    });
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('work_packages').where('id', '=', id).execute();
  }

  journals(workPackageId: number): Promise<JournalRow[]> {
    return this.db.selectFrom('journals').selectAll().where('work_package_id', '=', workPackageId).orderBy('version').execute();
  }

  journal(id: number): Promise<JournalRow | undefined> {
    return this.db.selectFrom('journals').selectAll().where('id', '=', id).executeTakeFirst();
  }

  updateNotes(journalId: number, notes: string, at: number): Promise<JournalRow> {
    return this.db.updateTable('journals').set({ notes, updated_at: at }).where('id', '=', journalId).returningAll().executeTakeFirstOrThrow();
  }

  async watcherIds(workPackageId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('watchers').select('user_id').where('work_package_id', '=', workPackageId).orderBy('created_at').orderBy('user_id').execute();
    return rows.map((r) => Number(r.user_id));
  }

  /** Of these work packages, those the user watches. */
  async watchedAmong(userId: number, workPackageIds: number[]): Promise<Set<number>> {
    if (workPackageIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('watchers').select('work_package_id').where('user_id', '=', userId).where('work_package_id', 'in', workPackageIds).execute();
    return new Set(rows.map((r) => Number(r.work_package_id)));
  }

  /** Add a watcher; false if they already watched. */
  async addWatcher(workPackageId: number, userId: number, at: number): Promise<boolean> {
    const result = await this.db
      .insertInto('watchers')
      .values({ work_package_id: workPackageId, user_id: userId, created_at: at })
      .onConflict((oc) => oc.columns(['work_package_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async removeWatcher(workPackageId: number, userId: number): Promise<boolean> {
    const result = await this.db.deleteFrom('watchers').where('work_package_id', '=', workPackageId).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
