import { API_V3, apiLink, formattable, isoTime, link, type Link } from '../api/hal.ts';
import { filterParam } from '../users/presenter.ts';
import type { ProjectRow } from './repository.ts';

export interface ProjectView {
  /** The caller's permissions in this project. */
  permissions: Set<string>;
  /** Ancestors the caller can see, root first; the last one is the parent. */
  ancestors: ProjectRow[];
  /** The parent exists but the caller cannot see it. */
  parentHidden?: boolean;
  admin: boolean;
}

/** Links other modules add to every Project (e.g. `storages`, `projectStorages`). */
export type ProjectLinkExtension = (project: ProjectRow, view: ProjectView) => Record<string, Link | Link[]>;
const extensions: ProjectLinkExtension[] = [];

export function extendProjectLinks(extension: ProjectLinkExtension): void {
  extensions.push(extension);
}

/** OpenProject's Project resource; action links only where the caller holds the permission. */
export function projectResource(project: ProjectRow, view: ProjectView) {
  const self = `${API_V3}/projects/${project.id}`;
  const can = (p: string) => view.permissions.has(p);
  const parent = view.parentHidden ? undefined : view.ancestors.at(-1);
  const links: Record<string, Link | Link[]> = {
    self: apiLink('projects', project.id, project.name),
    categories: link(`${self}/categories`),
    types: link(`${self}/types`),
    versions: link(`${self}/versions`),
    workPackages: link(`${self}/work_packages`),
    memberships: link(`${API_V3}/memberships?filters=${encodeURIComponent(filterParam('project', project.id))}`),
    parent: parent ? apiLink('projects', parent.id, parent.name) : link(null),
    ancestors: view.ancestors.map((a) => apiLink('projects', a.id, a.name)),
    status: link(null),
  };
  if (can('edit_project')) {
    links.update = link(`${self}/form`, undefined, { method: 'post' });
    links.updateImmediately = link(self, undefined, { method: 'patch' });
  }
  if (view.admin) links.delete = link(self, undefined, { method: 'delete' });
  if (can('add_work_packages')) {
    links.createWorkPackage = link(`${self}/work_packages/form`, undefined, { method: 'post' });
    links.createWorkPackageImmediately = link(`${self}/work_packages`, undefined, { method: 'post' });
  }
  for (const extension of extensions) Object.assign(links, extension(project, view));
  return {
    _type: 'Project',
    id: project.id,
    identifier: project.identifier,
    name: project.name,
    active: Boolean(project.active),
    public: Boolean(project.public),
    description: formattable(project.description),
    statusExplanation: formattable(''),
    createdAt: isoTime(project.created_at),
    updatedAt: isoTime(project.updated_at),
    _links: links,
  };
}
