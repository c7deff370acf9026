import type { JobQueue } from '@tandem/core';
import type { CollectionQuery, Filter, FilterDef } from '../api/query.ts';
import { columnCondition, containsInsensitive } from '../db/filters.ts';
import { constraintViolation, errors } from '../errors.ts';
import type { MembershipsRepository } from '../memberships/repository.ts';
import type { PermissionService } from '../permissions/service.ts';
import type { ProjectRow, ProjectsRepository } from '../projects/repository.ts';
import type { StatusRow, TypeRow } from '../types/repository.ts';
import type { TypesService } from '../types/service.ts';
import type { UserRow, UsersRepository } from '../users/repository.ts';
import { displayName } from '../users/service.ts';
import type { JournalDetail, JournalRow, WorkPackageCondition, WorkPackageRow, WorkPackagesRepository } from './repository.ts';

type Caller = Pick<UserRow, 'id' | 'admin'>;

/** A work-package write (create, update, form). Link ids are -1 when the link names something else. */
export interface WorkPackageInput {
  subject?: string | undefined;
  description?: string | undefined;
  startDate?: string | null | undefined;
  dueDate?: string | null | undefined;
  projectId?: number | null | undefined;
  typeId?: number | null | undefined;
  statusId?: number | null | undefined;
  assigneeId?: number | null | undefined;
  lockVersion?: number | undefined;
  /** `?notify=false`: make no notifications for this change (OpenProject's bulk imports use it). */
  notify?: boolean | undefined;
}

export interface Violation {
  attribute: string;
  message: string;
}

/** What a work package is checked and saved with: the input resolved against the database. */
export interface ResolvedWorkPackage {
  subject: string;
  description: string;
  startDate: string | null;
  dueDate: string | null;
  project: ProjectRow | undefined;
  type: TypeRow | undefined;
  status: StatusRow | undefined;
  assignee: UserRow | null;
  /** Requested link ids that resolved to nothing (kept so the form can echo them). */
  raw: WorkPackageInput;
}

/** A filter other modules add to `GET /api/v3/work_packages` (e.g. `file_link_origin_id`). */
export interface WorkPackageFilterExtension {
  def: FilterDef;
  condition(filter: Filter, caller: Caller): Promise<WorkPackageCondition>;
}

export const WORK_PACKAGE_SORTS = ['id', 'subject', 'created_at', 'updated_at', 'status', 'type', 'project', 'assignee', 'author', 'start_date', 'due_date', 'exact_match'] as const;
export const NOTIFY_JOB = 'notifications:journal';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The collection query the work package lists accept. */
export function workPackageFilterDefs(extensions: Map<string, WorkPackageFilterExtension>): Record<string, FilterDef> {
  const defs: Record<string, FilterDef> = {
    id: { label: 'ID', operators: ['=', '!'], values: 'integer' },
    typeahead: { label: 'Typeahead', operators: ['**', '~'], values: 'string' },
    project: { label: 'Project', operators: ['=', '!'], values: 'integer' },
    status: { label: 'Status', operators: ['=', '!', 'o', 'c', '*'], values: 'integer' },
    assignee: { label: 'Assignee', operators: ['=', '!', '*', '!*'], values: 'integer', allowMe: true },
    author: { label: 'Author', operators: ['=', '!'], values: 'integer', allowMe: true },
    type: { label: 'Type', operators: ['=', '!'], values: 'integer' },
    subject: { label: 'Subject', operators: ['~', '!~', '**', '=', '!'], values: 'string' },
  };
  for (const [name, extension] of extensions) defs[name] = extension.def;
  return defs;
}

/**
 * Work packages: listing with OpenProject's filters, create/update with validation and optimistic
 * locking, the activity journal (every change and comment), watchers. Each change enqueues a job that
 * turns its journal into notifications.
 */
export class WorkPackagesService {
  private readonly extensions = new Map<string, WorkPackageFilterExtension>();

  constructor(
    readonly repository: WorkPackagesRepository,
    private readonly permissions: PermissionService,
    private readonly projects: ProjectsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersRepository,
    private readonly types: TypesService,
    private readonly queue: JobQueue,
  ) {}

  registerFilter(name: string, extension: WorkPackageFilterExtension): void {
    this.extensions.set(name, extension);
  }

  filterDefs(): Record<string, FilterDef> {
    return workPackageFilterDefs(this.extensions);
  }

  /** The work package if the caller may view it; 404 otherwise (whether it exists or not). */
  async visible(caller: Caller, id: number): Promise<WorkPackageRow> {
    const workPackage = await this.repository.find(id);
    if (!workPackage || !(await this.permissions.allowed(caller, 'view_work_packages', workPackage.project_id))) {
      throw errors.not_found({ resource: 'work_package', id });
    }
    return workPackage;
  }

  /** One page of the work packages the caller may view (in one project when `projectId` is set). */
  async list(caller: Caller, query: CollectionQuery, projectId?: number) {
    const visible = await this.permissions.projectIdsWith(caller, 'view_work_packages');
    const scope = projectId === undefined ? visible : visible.filter((id) => id === projectId);
    const conditions: WorkPackageCondition[] = [(eb) => eb('work_packages.project_id', 'in', scope.length ? scope : [0])];
    for (const filter of query.filters) conditions.push(await this.condition(caller, filter));
    return this.repository.list(conditions, query.sortBy, { limit: query.pageSize, offset: (query.offset - 1) * query.pageSize });
  }

  private async condition(caller: Caller, filter: Filter): Promise<WorkPackageCondition> {
    const extension = this.extensions.get(filter.name);
    if (extension) return extension.condition(filter, caller);
    const me = (values: string[]) => ({ ...filter, values: values.map((v) => (v === 'me' ? String(caller.id) : v)) });
    switch (filter.name) {
      case 'id':
        return (eb) => columnCondition(eb, 'work_packages.id', filter, 'integer');
      case 'project':
        return (eb) => columnCondition(eb, 'work_packages.project_id', filter, 'integer');
      case 'type':
        return (eb) => columnCondition(eb, 'work_packages.type_id', filter, 'integer');
      case 'assignee':
        return (eb) => columnCondition(eb, 'work_packages.assignee_id', me(filter.values), 'integer');
      case 'author':
        return (eb) => columnCondition(eb, 'work_packages.author_id', me(filter.values), 'integer');
      case 'subject':
        return (eb) => columnCondition(eb, 'work_packages.subject', filter, 'string');
      case 'status': {
        if (filter.operator !== 'o' && filter.operator !== 'c') return (eb) => columnCondition(eb, 'work_packages.status_id', filter, 'integer');
        const closed = await this.types.closedStatusIds();
        const list = closed.length ? closed : [0];
        return (eb) => (filter.operator === 'c' ? eb('work_packages.status_id', 'in', list) : eb('work_packages.status_id', 'not in', list));
      }
      default: {
        // typeahead: every word matches the subject, or the text is the id ("#12" or "12").
        const [text = ''] = filter.values;
        const id = /^#?(\d{1,15})$/.exec(text.trim());
        const words = text.trim().split(/\s+/).filter(Boolean);
        return (eb) => {
          const subject = eb.and(words.map((w) => containsInsensitive('work_packages.subject', w)));
          return id ? eb.or([subject, eb('work_packages.id', '=', Number(id[1]))]) : subject;
        };
      }
    }
  }

  // ---- writes -------------------------------------------------------------------------------

  /** Resolve and check a write; every problem is collected (the form shows them all). */
  async resolve(caller: Caller, input: WorkPackageInput, existing?: WorkPackageRow): Promise<{ resolved: ResolvedWorkPackage; violations: Violation[] }> {
    const violations: Violation[] = [];
    const subject = (input.subject ?? existing?.subject ?? '').trim();
    if (!subject) violations.push({ attribute: 'subject', message: "Subject can't be blank." });
    else if (subject.length > 255) violations.push({ attribute: 'subject', message: 'Subject is too long (maximum is 255 characters).' });

    let project: ProjectRow | undefined;
    const projectId = input.projectId === undefined ? existing?.project_id : input.projectId;
    if (projectId === undefined || projectId === null) violations.push({ attribute: 'project', message: "Project can't be blank." });
    else {
      project = await this.projects.find(projectId);
      if (!project || !(await this.permissions.allowed(caller, 'view_project', projectId))) {
        project = undefined;
        violations.push({ attribute: 'project', message: 'Project is not set to one of the allowed values.' });
      }
    }

    const offered = project ? await this.types.typesOf(project.id) : await this.types.types();
    const typeId = input.typeId === undefined ? existing?.type_id : input.typeId;
    const type = typeId === undefined || typeId === null ? (existing ? undefined : offered[0]) : offered.find((t) => t.id === typeId);
    if (!type) violations.push({ attribute: 'type', message: 'Type is not set to one of the allowed values.' });

    const statusId = input.statusId === undefined ? existing?.status_id : input.statusId;
    const status = statusId === undefined || statusId === null
      ? existing ? undefined : await this.types.defaultStatus()
      : (await this.types.statuses()).find((s) => s.id === statusId);
    if (!status) violations.push({ attribute: 'status', message: 'Status is not set to one of the allowed values.' });

    let assignee: UserRow | null = null;
    const assigneeId = input.assigneeId === undefined ? existing?.assignee_id ?? null : input.assigneeId;
    if (assigneeId !== null) {
      const assignable = project ? await this.assignableIds(project.id) : [];
      const user = assignable.includes(assigneeId) ? await this.users.find(assigneeId) : undefined;
      if (user) assignee = user;
      else violations.push({ attribute: 'assignee', message: 'Assignee is not set to one of the allowed values.' });
    }

    const startDate = input.startDate === undefined ? existing?.start_date ?? null : input.startDate;
    const dueDate = input.dueDate === undefined ? existing?.due_date ?? null : input.dueDate;
    for (const [attribute, label, value] of [['startDate', 'Start date', startDate], ['dueDate', 'Finish date', dueDate]] as const) {
      if (value !== null && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) violations.push({ attribute, message: `${label} is not a valid date.` });
    }
    if (startDate && dueDate && DATE.test(startDate) && DATE.test(dueDate) && dueDate < startDate) {
      violations.push({ attribute: 'dueDate', message: 'Finish date must be greater than or equal to start date.' });
    }

    const description = input.description ?? existing?.description ?? '';
    return { resolved: { subject, description, startDate, dueDate, project, type, status, assignee, raw: input }, violations };
  }

  /** Create a work package (in `scopeProjectId` for the per-project route); the author and assignee watch it. */
  async create(caller: Caller, input: WorkPackageInput, scopeProjectId?: number): Promise<WorkPackageRow> {
    const withScope = await this.scoped(caller, input, scopeProjectId);
    const { resolved, violations } = await this.resolve(caller, withScope);
    if (resolved.project && !(await this.permissions.allowed(caller, 'add_work_packages', resolved.project.id))) {
      throw errors.missing_permission({ permission: 'add_work_packages' });
    }
    if (violations.length) throw constraintViolation(violations);
    const now = Date.now();
    const { workPackage, journal } = await this.repository.insert(
      {
        project_id: resolved.project!.id,
        type_id: resolved.type!.id,
        status_id: resolved.status!.id,
        subject: resolved.subject,
        description: resolved.description,
        author_id: caller.id,
        assignee_id: resolved.assignee?.id ?? null,
        start_date: resolved.startDate,
        due_date: resolved.dueDate,
        lock_version: 0,
        created_at: now,
        updated_at: now,
      },
      [caller.id, ...(resolved.assignee ? [resolved.assignee.id] : [])],
    );
    if (input.notify !== false) await this.notify(journal);
    return workPackage;
  }

  /** Update with optimistic locking (409 when `lockVersion` is stale); the change is journaled. */
  async update(caller: Caller, id: number, input: WorkPackageInput): Promise<WorkPackageRow> {
    const existing = await this.visible(caller, id);
    if (!(await this.permissions.allowed(caller, 'edit_work_packages', existing.project_id))) {
      throw errors.missing_permission({ permission: 'edit_work_packages' });
    }
    if (input.lockVersion === undefined) throw constraintViolation([{ attribute: 'lockVersion', message: "Lock version can't be blank." }]);
    if (input.lockVersion !== existing.lock_version) throw errors.update_conflict();
    const { resolved, violations } = await this.resolve(caller, input, existing);
    if (resolved.project && resolved.project.id !== existing.project_id && !(await this.permissions.allowed(caller, 'add_work_packages', resolved.project.id))) {
      violations.push({ attribute: 'project', message: 'Project is not set to one of the allowed values.' });
    }
    if (violations.length) throw constraintViolation(violations);
    const details = await this.changes(existing, resolved);
    if (details.length === 0) return existing;
    const changes = {
      project_id: resolved.project!.id,
      type_id: resolved.type!.id,
      status_id: resolved.status!.id,
      subject: resolved.subject,
      description: resolved.description,
      assignee_id: resolved.assignee?.id ?? null,
      start_date: resolved.startDate,
      due_date: resolved.dueDate,
    };
    const newAssignee = resolved.assignee && resolved.assignee.id !== existing.assignee_id ? [resolved.assignee.id] : [];
    const saved = await this.repository.update(id, input.lockVersion, changes, { userId: caller.id, notes: '', details, at: Date.now() }, newAssignee);
    if (!saved) throw errors.update_conflict();
    if (input.notify !== false) await this.notify(saved.journal);
    return saved.workPackage;
  }

  async delete(caller: Caller, id: number): Promise<void> {
    const existing = await this.visible(caller, id);
    if (!(await this.permissions.allowed(caller, 'delete_work_packages', existing.project_id))) {
      throw errors.missing_permission({ permission: 'delete_work_packages' });
    }
    await this.repository.delete(id);
  }

  /** Add a comment: a journal with notes and no changes. */
  async comment(caller: Caller, id: number, text: string): Promise<JournalRow> {
    const existing = await this.visible(caller, id);
    if (!(await this.permissions.allowed(caller, 'add_work_package_notes', existing.project_id))) {
      throw errors.missing_permission({ permission: 'add_work_package_notes' });
    }
    if (!text.trim()) throw constraintViolation([{ attribute: 'comment', message: "Comment can't be blank." }]);
    // A comment never conflicts: retry on a concurrent change instead of failing the user.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = attempt === 0 ? existing : await this.visible(caller, id);
      const saved = await this.repository.update(id, current.lock_version, {}, { userId: caller.id, notes: text, details: [], at: Date.now() }, []);
      if (saved) {
        await this.notify(saved.journal);
        return saved.journal;
      }
    }
    throw errors.update_conflict();
  }

  async activities(caller: Caller, id: number): Promise<{ workPackage: WorkPackageRow; journals: JournalRow[] }> {
    const workPackage = await this.visible(caller, id);
    return { workPackage, journals: await this.repository.journals(id) };
  }

  /** A journal entry of a work package the caller may view. */
  async activity(caller: Caller, journalId: number): Promise<{ workPackage: WorkPackageRow; journal: JournalRow }> {
    const journal = await this.repository.journal(journalId);
    if (!journal) throw errors.not_found({ resource: 'activity', id: journalId });
    return { workPackage: await this.visible(caller, journal.work_package_id), journal };
  }

  /** Edit a comment: its author only (OpenProject's `edit_own_work_package_notes`), text only. */
  async editComment(caller: Caller, journalId: number, text: string): Promise<{ workPackage: WorkPackageRow; journal: JournalRow }> {
    const { workPackage, journal } = await this.activity(caller, journalId);
    if (!journal.notes || journal.user_id !== caller.id || !(await this.permissions.allowed(caller, 'add_work_package_notes', workPackage.project_id))) {
      throw errors.missing_permission({ permission: 'edit_own_work_package_notes' });
    }
    if (!text.trim()) throw constraintViolation([{ attribute: 'comment', message: "Comment can't be blank." }]);
    return { workPackage, journal: await this.repository.updateNotes(journalId, text, Date.now()) };
  }

  // ---- watchers -----------------------------------------------------------------------------

  async watchers(caller: Caller, id: number): Promise<UserRow[]> {
    const workPackage = await this.visible(caller, id);
    if (!(await this.permissions.allowed(caller, 'view_work_package_watchers', workPackage.project_id))) {
      throw errors.missing_permission({ permission: 'view_work_package_watchers' });
    }
    const ids = await this.repository.watcherIds(id);
    const users = await this.users.findMany(ids);
    return ids.map((uid) => users.find((u) => u.id === uid)).filter((u): u is UserRow => u !== undefined);
  }

  /** Anyone who can view may watch themself; adding others takes `add_work_package_watchers`. */
  async addWatcher(caller: Caller, id: number, userId: number): Promise<{ user: UserRow; added: boolean }> {
    const workPackage = await this.visible(caller, id);
    if (userId !== caller.id && !(await this.permissions.allowed(caller, 'add_work_package_watchers', workPackage.project_id))) {
      throw errors.missing_permission({ permission: 'add_work_package_watchers' });
    }
    const user = await this.users.find(userId);
    if (!user || !(await this.permissions.allowed(user, 'view_work_packages', workPackage.project_id))) {
      throw constraintViolation([{ attribute: 'user', message: 'User is not allowed to view this resource.' }]);
    }
    return { user, added: await this.repository.addWatcher(id, userId, Date.now()) };
  }

  async removeWatcher(caller: Caller, id: number, userId: number): Promise<void> {
    const workPackage = await this.visible(caller, id);
    if (userId !== caller.id && !(await this.permissions.allowed(caller, 'delete_work_package_watchers', workPackage.project_id))) {
      throw errors.missing_permission({ permission: 'delete_work_package_watchers' });
    }
    if (!(await this.repository.removeWatcher(id, userId))) throw errors.not_found({ resource: 'watcher' });
  }

  watchedAmong(caller: Caller, ids: number[]): Promise<Set<number>> {
    return this.repository.watchedAmong(caller.id, ids);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Members of the project whose roles let them be assigned (`assign_work_packages`). */
  async assignableIds(projectId: number): Promise<number[]> {
    const memberIds = await this.memberships.userIdsIn([projectId]);
    const users = await this.users.findMany(memberIds);
    const allowed = await Promise.all(
      users.filter((u) => u.status === 'active').map(async (u) => ((await this.permissions.allowed(u, 'assign_work_packages', projectId)) ? u.id : undefined)),
    );
    return allowed.filter((uid): uid is number => uid !== undefined).sort((a, b) => a - b);
  }

  /** The per-project routes fix the project: the project must be visible (404) and the body may not name another. */
  private async scoped(caller: Caller, input: WorkPackageInput, scopeProjectId: number | undefined): Promise<WorkPackageInput> {
    if (scopeProjectId === undefined) return input;
    await this.permissions.visibleProject(caller, scopeProjectId);
    return { ...input, projectId: scopeProjectId };
  }

  /** Checks for the create form: project scope and permission as for create, problems as a list. */
  async formFor(caller: Caller, input: WorkPackageInput, scopeProjectId?: number, existingId?: number) {
    const existing = existingId === undefined ? undefined : await this.visible(caller, existingId);
    if (existing && !(await this.permissions.allowed(caller, 'edit_work_packages', existing.project_id))) {
      throw errors.missing_permission({ permission: 'edit_work_packages' });
    }
    const withScope = await this.scoped(caller, input, scopeProjectId);
    if (scopeProjectId !== undefined) await this.permissions.require(caller, 'add_work_packages', scopeProjectId);
    const result = await this.resolve(caller, withScope, existing);
    if (!existing && result.resolved.project && !(await this.permissions.allowed(caller, 'add_work_packages', result.resolved.project.id))) {
      result.violations.push({ attribute: 'project', message: 'Project is not set to one of the allowed values.' });
    }
    return { ...result, existing };
  }

  /** The journal details of an update: one per changed property, with display values. */
  private async changes(existing: WorkPackageRow, next: ResolvedWorkPackage): Promise<JournalDetail[]> {
    const details: JournalDetail[] = [];
    const [types, statuses] = await Promise.all([this.types.types(), this.types.statuses()]);
    const add = (property: string, old: string | null, now: string | null) => {
      if (old !== now) details.push({ property, old, new: now });
    };
    add('subject', existing.subject, next.subject);
    // The texts are kept so that notifications can tell newly added mentions from old ones.
    add('description', existing.description, next.description);
    if (existing.project_id !== next.project!.id) {
      const old = await this.projects.find(existing.project_id);
      add('project', old?.name ?? null, next.project!.name);
    }
    if (existing.type_id !== next.type!.id) add('type', types.find((t) => t.id === existing.type_id)?.name ?? null, next.type!.name);
    if (existing.status_id !== next.status!.id) add('status', statuses.find((s) => s.id === existing.status_id)?.name ?? null, next.status!.name);
    if (existing.assignee_id !== (next.assignee?.id ?? null)) {
      const old = existing.assignee_id === null ? undefined : await this.users.find(existing.assignee_id);
      add('assignee', old ? displayName(old) : null, next.assignee ? displayName(next.assignee) : null);
    }
    add('startDate', existing.start_date, next.startDate);
    add('dueDate', existing.due_date, next.dueDate);
    return details;
  }

  /** Notifications are worked out by a job, so a slow fan-out never holds up the request. */
  private async notify(journal: JournalRow): Promise<void> {
    await this.queue.enqueue(NOTIFY_JOB, { journalId: journal.id });
  }
}
