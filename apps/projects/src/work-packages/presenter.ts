import { API_V3, apiLink, formattable, isoTime, link, type Link } from '../api/hal.ts';
import { URN } from '../errors.ts';
import type { ProjectView } from '../projects/presenter.ts';
import { projectResource } from '../projects/presenter.ts';
import type { ProjectRow } from '../projects/repository.ts';
import type { StatusRow, TypeRow } from '../types/repository.ts';
import { statusResource, typeResource } from '../types/presenter.ts';
import { userResource } from '../users/presenter.ts';
import type { UserRow } from '../users/repository.ts';
import { displayName } from '../users/service.ts';
import type { ResolvedWorkPackage, Violation } from './service.ts';
import type { JournalDetail, JournalRow, WorkPackageRow } from './repository.ts';

/** Everything a WorkPackage resource shows besides its row. */
export interface WorkPackageView {
  project: ProjectRow;
  projectView: ProjectView;
  type: TypeRow;
  status: StatusRow;
  author: UserRow | undefined;
  assignee: UserRow | undefined;
  viewer: Pick<UserRow, 'id' | 'admin'>;
  /** The viewer watches it. */
  watching: boolean;
}

/** Links other modules add to every WorkPackage (e.g. `fileLinks`, `addFileLink`). */
export type WorkPackageLinkExtension = (workPackage: WorkPackageRow, view: WorkPackageView) => Record<string, Link | Link[]>;
const extensions: WorkPackageLinkExtension[] = [];

export function extendWorkPackageLinks(extension: WorkPackageLinkExtension): void {
  extensions.push(extension);
}

const userLink = (user: UserRow | undefined) => (user ? apiLink('users', user.id, displayName(user)) : link(null));

/** OpenProject's WorkPackage resource; action links only where the viewer holds the permission. */
export function workPackageResource(wp: WorkPackageRow, view: WorkPackageView) {
  const self = `${API_V3}/work_packages/${wp.id}`;
  const can = (p: string) => view.projectView.permissions.has(p);
  const links: Record<string, Link | Link[]> = {
    self: link(self, wp.subject),
    schema: link(`${API_V3}/work_packages/schemas/${wp.project_id}-${wp.type_id}`),
    activities: link(`${self}/activities`),
    ancestors: [],
    children: [],
    parent: link(null),
    author: userLink(view.author),
    assignee: userLink(view.assignee),
    responsible: link(null),
    priority: link(null),
    project: apiLink('projects', view.project.id, view.project.name),
    status: apiLink('statuses', view.status.id, view.status.name),
    type: apiLink('types', view.type.id, view.type.name),
    version: link(null),
    category: link(null),
  };
  if (can('edit_work_packages')) {
    links.update = link(`${self}/form`, undefined, { method: 'post' });
    links.updateImmediately = link(self, undefined, { method: 'patch' });
  }
  if (can('delete_work_packages')) links.delete = link(self, undefined, { method: 'delete' });
  if (can('add_work_package_notes')) links.addComment = link(`${self}/activities`, 'Add comment', { method: 'post' });
  if (can('view_work_package_watchers')) links.watchers = link(`${self}/watchers`);
  links[view.watching ? 'unwatch' : 'watch'] = view.watching
    ? link(`${self}/watchers/${view.viewer.id}`, undefined, { method: 'delete' })
    : link(`${self}/watchers`, undefined, { method: 'post', payload: { user: { href: `${API_V3}/users/${view.viewer.id}` } } });
  if (can('add_work_package_watchers')) {
    links.addWatcher = link(`${self}/watchers`, undefined, { method: 'post', payload: { user: { href: `${API_V3}/users/{user_id}` } }, templated: true });
  }
  if (can('delete_work_package_watchers')) links.removeWatcher = link(`${self}/watchers/{user_id}`, undefined, { method: 'delete', templated: true });
  for (const extension of extensions) Object.assign(links, extension(wp, view));

  const milestone = Boolean(view.type.is_milestone);
  const dates = milestone ? { date: wp.due_date ?? wp.start_date } : { startDate: wp.start_date, dueDate: wp.due_date };
  const embedded: Record<string, unknown> = {
    type: typeResource(view.type),
    status: statusResource(view.status),
    project: projectResource(view.project, view.projectView),
  };
  if (view.author) embedded.author = userResource(view.author, view.viewer);
  if (view.assignee) embedded.assignee = userResource(view.assignee, view.viewer);
  return {
    _type: 'WorkPackage',
    id: wp.id,
    displayId: String(wp.id),
    lockVersion: wp.lock_version,
    subject: wp.subject,
    description: formattable(wp.description),
    scheduleManually: true,
    readonly: Boolean(view.status.is_readonly),
    ...dates,
    derivedStartDate: null,
    derivedDueDate: null,
    estimatedTime: null,
    derivedEstimatedTime: null,
    percentageDone: null,
    createdAt: isoTime(wp.created_at),
    updatedAt: isoTime(wp.updated_at),
    _links: links,
    _embedded: embedded,
  };
}

const DETAIL_LABELS: Record<string, string> = {
  subject: 'Subject', description: 'Description', project: 'Project', type: 'Type', status: 'Status',
  assignee: 'Assignee', startDate: 'Start date', dueDate: 'Finish date',
};

/** A journal detail as OpenProject words it ("Status changed from New to In progress"). */
export function detailText(detail: JournalDetail): string {
  const label = DETAIL_LABELS[detail.property] ?? detail.property;
  if (detail.property === 'description') return `${label} changed`;
  if (detail.new === null) return `${label} deleted (${detail.old ?? ''})`;
  if (detail.old === null) return `${label} set to ${detail.new}`;
  return `${label} changed from ${detail.old} to ${detail.new}`;
}

/** OpenProject's Activity (a journal entry): `Activity::Comment` when it carries a comment. */
export function activityResource(journal: JournalRow, workPackage: WorkPackageRow, user: UserRow | undefined) {
  const details = (JSON.parse(journal.details) as JournalDetail[]).map((d) => {
    const raw = detailText(d);
    return { format: 'custom', raw, html: formattable(raw).html.replace(/^<p class="op-uc-p">|<\/p>$/g, '') };
  });
  return {
    _type: journal.notes ? 'Activity::Comment' : 'Activity',
    id: journal.id,
    version: journal.version,
    comment: formattable(journal.notes),
    details,
    internal: false,
    createdAt: isoTime(journal.created_at),
    updatedAt: isoTime(journal.updated_at),
    _links: {
      self: apiLink('activities', journal.id),
      workPackage: apiLink('work_packages', workPackage.id, workPackage.subject),
      user: userLink(user),
    },
  };
}

// ---- form and schema ------------------------------------------------------------------------

const property = (type: string, name: string, options: { required?: boolean; writable?: boolean; hasDefault?: boolean } = {}) => ({
  type,
  name,
  required: options.required ?? false,
  hasDefault: options.hasDefault ?? false,
  writable: options.writable ?? true,
});

/** The Schema of work packages of one type in one project (what the form offers). */
export function workPackageSchema(options: { project: ProjectRow | undefined; type: TypeRow | undefined; types: TypeRow[]; statuses: StatusRow[]; assignees: UserRow[]; viewer: Pick<UserRow, 'id' | 'admin'> }) {
  const { project, type } = options;
  const allowed = <T extends { id: number; name?: string }>(resource: string, rows: T[], title: (row: T) => string) =>
    rows.map((row) => apiLink(resource, row.id, title(row)));
  const schema: Record<string, unknown> = {
    _type: 'Schema',
    _dependencies: [],
    lockVersion: property('Integer', 'Lock version', { required: true, writable: false }),
    id: property('Integer', 'ID', { required: true, writable: false }),
    subject: { ...property('String', 'Subject', { required: true }), minLength: 1, maxLength: 255 },
    description: property('Formattable', 'Description'),
    startDate: property('Date', 'Start date'),
    dueDate: property('Date', 'Finish date'),
    createdAt: property('DateTime', 'Created on', { required: true, writable: false }),
    updatedAt: property('DateTime', 'Updated on', { required: true, writable: false }),
    author: property('User', 'Author', { required: true, writable: false }),
    project: {
      ...property('Project', 'Project', { required: true }),
      _links: { allowedValues: link(`${API_V3}/work_packages/available_projects`) },
    },
    type: {
      ...property('Type', 'Type', { required: true, hasDefault: true }),
      _links: { allowedValues: allowed('types', options.types, (t) => t.name) },
      _embedded: { allowedValues: options.types.map(typeResource) },
    },
    status: {
      ...property('Status', 'Status', { required: true, hasDefault: true }),
      _links: { allowedValues: allowed('statuses', options.statuses, (s) => s.name) },
      _embedded: { allowedValues: options.statuses.map(statusResource) },
    },
    assignee: {
      ...property('User', 'Assignee'),
      _links: { allowedValues: project ? link(`${API_V3}/projects/${project.id}/available_assignees`) : link(null) },
    },
    _links: { self: link(project && type ? `${API_V3}/work_packages/schemas/${project.id}-${type.id}` : null) },
  };
  return schema;
}

/** The form's payload: what would be saved, in write-model shape. */
export function formPayload(resolved: ResolvedWorkPackage) {
  const { raw } = resolved;
  const hrefOr = (resource: string, row: { id: number; name?: string } | undefined, requested: number | null | undefined, title?: string) =>
    row ? apiLink(resource, row.id, title ?? row.name) : link(requested && requested > 0 ? `${API_V3}/${resource}/${requested}` : null);
  return {
    subject: resolved.subject,
    description: formattable(resolved.description),
    startDate: resolved.startDate,
    dueDate: resolved.dueDate,
    _links: {
      project: hrefOr('projects', resolved.project, raw.projectId),
      type: hrefOr('types', resolved.type, raw.typeId),
      status: hrefOr('statuses', resolved.status, raw.statusId),
      assignee: resolved.assignee ? apiLink('users', resolved.assignee.id, displayName(resolved.assignee)) : link(null),
    },
  };
}

/** `validationErrors` keyed by property, each an OpenProject Error. */
export function validationErrors(violations: Violation[]) {
  return Object.fromEntries(
    violations.map((v) => [
      v.attribute,
      { _type: 'Error', errorIdentifier: `${URN}PropertyConstraintViolation`, message: v.message, _embedded: { details: { attribute: v.attribute } } },
    ]),
  );
}
