import { sql, type Expression, type ExpressionBuilder, type Insertable, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { NotificationsTable, ProjectsDatabase } from '../db/schema.ts';
import type { Sort } from '../api/query.ts';

export type NotificationRow = Selectable<NotificationsTable>;
export type NotificationCondition = (eb: ExpressionBuilder<ProjectsDatabase, 'notifications'>) => Expression<SqlBool>;

const SORT_COLUMNS: Record<string, string> = {
  id: 'notifications.id',
  reason: 'notifications.reason',
  read_ian: 'notifications.read_ian',
  created_at: 'notifications.created_at',
  updated_at: 'notifications.updated_at',
};

/** In-app notifications; every query is scoped to one recipient (indexes start with `recipient_id`). */
export class NotificationsRepository {
  constructor(private readonly db: Kysely<ProjectsDatabase>) {}

  /** Insert; a notification already made for the same journal and recipient (a retried job) is skipped. */
  async insertMany(rows: Insertable<NotificationsTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('notifications')
      .values(rows)
      .onConflict((oc) => oc.columns(['journal_id', 'recipient_id']).doNothing())
      .execute();
  }

  find(recipientId: number, id: number): Promise<NotificationRow | undefined> {
    return this.db.selectFrom('notifications').selectAll().where('recipient_id', '=', recipientId).where('id', '=', id).executeTakeFirst();
  }

  async list(recipientId: number, conditions: NotificationCondition[], sortBy: Sort[], page: { limit: number; offset: number }) {
    let base = this.db.selectFrom('notifications').where('notifications.recipient_id', '=', recipientId);
    for (const condition of conditions) base = base.where(condition);
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    if (page.limit === 0) return { rows: [] as NotificationRow[], total };
    let rows = base.selectAll('notifications');
    for (const [key, direction] of sortBy) rows = rows.orderBy(sql.ref(SORT_COLUMNS[key] ?? 'notifications.id'), direction);
    if (sortBy.at(-1)?.[0] !== 'id') rows = rows.orderBy('notifications.id', 'desc');
    const found = await rows.limit(page.limit).offset(page.offset).execute();
    return { rows: found, total };
  }

  /** Mark the recipient's matching notifications read or unread; returns how many changed. */
  async setRead(recipientId: number, conditions: NotificationCondition[], read: boolean, at: number): Promise<number> {
    let update = this.db
      .updateTable('notifications')
      .set({ read_ian: read ? 1 : 0, updated_at: at })
      .where('recipient_id', '=', recipientId)
      .where('read_ian', '=', read ? 0 : 1);
    for (const condition of conditions) update = update.where(condition as never);
    const result = await update.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
