import { isAppError } from '@tandem/core';
import { parseFilters, type CollectionQuery, type Filter, type FilterDef } from '../api/query.ts';
import { columnCondition } from '../db/filters.ts';
import { errors } from '../errors.ts';
import type { PermissionService } from '../permissions/service.ts';
import type { UserRow, UsersRepository } from '../users/repository.ts';
import type { JournalDetail, WorkPackagesRepository } from '../work-packages/repository.ts';
import { mentionsIn } from './mentions.ts';
import type { NotificationCondition, NotificationRow, NotificationsRepository } from './repository.ts';

type Caller = Pick<UserRow, 'id' | 'admin'>;

export const REASONS = ['assigned', 'commented', 'created', 'dateAlert', 'mentioned', 'prioritized', 'processed', 'responsible', 'subscribed', 'scheduled', 'watched'] as const;
/** When several reasons apply to one recipient, the notification carries the strongest. */
const STRENGTH: Record<string, number> = { mentioned: 3, assigned: 2, watched: 1 };

export const NOTIFICATION_FILTERS: Record<string, FilterDef> = {
  id: { label: 'ID', operators: ['=', '!'], values: 'integer' },
  read_ian: { label: 'Read', operators: ['='], values: 'boolean' },
  reason: { label: 'Reason', operators: ['=', '!'], values: 'string', validate: (v) => v.every((r) => (REASONS as readonly string[]).includes(r)) },
  project: { label: 'Project', operators: ['=', '!'], values: 'integer' },
  resource_id: { label: 'Resource', operators: ['=', '!'], values: 'integer' },
  resource_type: { label: 'Resource type', operators: ['='], values: 'string', validate: (v) => v.every((t) => t === 'WorkPackage') },
};
export const NOTIFICATION_SORTS = ['id', 'reason', 'read_ian', 'created_at', 'updated_at'] as const;

/**
 * In-app notifications: made by a job from each work-package journal (assignment, mention, update of
 * a watched work package — never for one's own change), listed and marked read/unread by their
 * recipient only.
 */
export class NotificationsService {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly workPackages: WorkPackagesRepository,
    private readonly users: UsersRepository,
    private readonly permissions: PermissionService,
  ) {}

  /** Job handler: the notifications one journal entry causes. Idempotent (retries insert nothing twice). */
  async createForJournal(journalId: number): Promise<void> {
    const journal = await this.workPackages.journal(journalId);
    if (!journal) return;
    const workPackage = await this.workPackages.find(journal.work_package_id);
    if (!workPackage) return;
    const details = JSON.parse(journal.details) as JournalDetail[];
    const reasons = new Map<number, string>();
    const add = (userId: number | null, reason: string) => {
      if (userId === null || userId === journal.user_id) return;
      if ((STRENGTH[reason] ?? 0) > (STRENGTH[reasons.get(userId) ?? ''] ?? 0)) reasons.set(userId, reason);
    };

    const created = journal.version === 1;
    if (!created) for (const watcher of await this.workPackages.watcherIds(workPackage.id)) add(watcher, 'watched');
    if (created || details.some((d) => d.property === 'assignee')) add(workPackage.assignee_id, 'assigned');
    // Mentioned: in the comment, in a new description, or newly in an edited one (old mentions stay quiet).
    const mentioned = new Set(await this.mentionedIds(journal.notes));
    const description = details.find((d) => d.property === 'description');
    if (created || description) {
      const before = new Set(created ? [] : await this.mentionedIds(description?.old ?? ''));
      const now = await this.mentionedIds(created ? workPackage.description : (description?.new ?? ''));
      for (const userId of now) if (!before.has(userId)) mentioned.add(userId);
    }
    for (const userId of mentioned) add(userId, 'mentioned');

    const rows = [];
    for (const [userId, reason] of reasons) {
      const user = await this.users.find(userId);
      // Only people who may see the work package hear about it.
      if (!user || user.status !== 'active' || !(await this.permissions.allowed(user, 'view_work_packages', workPackage.project_id))) continue;
      rows.push({
        recipient_id: userId,
        reason,
        read_ian: 0,
        resource_id: workPackage.id,
        project_id: workPackage.project_id,
        actor_id: journal.user_id,
        journal_id: journal.id,
        created_at: journal.created_at,
        updated_at: journal.created_at,
      });
    }
    await this.repository.insertMany(rows);
  }

  private async mentionedIds(text: string): Promise<number[]> {
    const { ids, logins } = mentionsIn(text);
    const found = await Promise.all(logins.map((login) => this.users.findByLogin(login)));
    return [...new Set([...ids, ...found.filter((u): u is UserRow => u !== undefined).map((u) => u.id)])];
  }

  /** The caller's notifications about work packages they can still see. */
  async list(caller: Caller, query: CollectionQuery) {
    const conditions = await this.conditions(caller, query.filters);
    return this.repository.list(caller.id, conditions, query.sortBy, { limit: query.pageSize, offset: (query.offset - 1) * query.pageSize });
  }

  async get(caller: Caller, id: number): Promise<NotificationRow> {
    const found = await this.repository.find(caller.id, id);
    if (!found || !(await this.permissions.allowed(caller, 'view_work_packages', found.project_id))) throw errors.not_found({ resource: 'notification', id });
    return found;
  }

  /**
   * Bulk read/unread by the `filters` query parameter. A `resourceId` naming no work package the caller can see is an invalid query, whose
   * message OpenProject sends as a list (the Nextcloud app joins it).
   */
  async setRead(caller: Caller, rawFilters: unknown, read: boolean): Promise<number> {
    try {
      const filters = parseFilters(rawFilters, NOTIFICATION_FILTERS);
      for (const filter of filters.filter((f) => f.name === 'resource_id')) {
        for (const value of filter.values) {
          const workPackage = await this.workPackages.find(Number(value));
          if (!workPackage || !(await this.permissions.allowed(caller, 'view_work_packages', workPackage.project_id))) {
            throw errors.invalid_query({}, 'Filters Resource filter has invalid values.');
          }
        }
      }
      return await this.repository.setRead(caller.id, await this.conditions(caller, filters), read, Date.now());
    } catch (error) {
      if (isAppError(error) && error.code === 'invalid_query') throw errors.invalid_query({ messages: [error.message] });
      throw error;
    }
  }

  async setReadOne(caller: Caller, id: number, read: boolean): Promise<void> {
    const notification = await this.get(caller, id);
    await this.repository.setRead(caller.id, [(eb) => eb('notifications.id', '=', notification.id)], read, Date.now());
  }

  private async conditions(caller: Caller, filters: Filter[]): Promise<NotificationCondition[]> {
    const visible = await this.permissions.projectIdsWith(caller, 'view_work_packages');
    const conditions: NotificationCondition[] = [(eb) => eb('notifications.project_id', 'in', visible.length ? visible : [0])];
    for (const filter of filters) {
      const column = { id: 'id', read_ian: 'read_ian', reason: 'reason', project: 'project_id', resource_id: 'resource_id' }[filter.name];
      if (!column) continue; // resource_type: every notification is about a work package
      const kind = filter.name === 'read_ian' ? 'boolean' : filter.name === 'reason' ? 'string' : 'integer';
      conditions.push((eb) => columnCondition(eb, `notifications.${column}`, filter, kind));
    }
    return conditions;
  }
}
