import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { API_V3, collection, link } from '../api/hal.ts';
import { formattableRaw, idParam, jsonBody, linkedId, listResponse, query } from '../api/http.ts';
import type { CollectionSpec, Filter, Sort } from '../api/query.ts';
import { constraintViolation, errors } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import { projectResource } from '../projects/presenter.ts';
import { PROJECT_SORTS } from '../projects/service.ts';
import type { ProjectsServices } from '../services.ts';
import { userResource } from '../users/presenter.ts';
import type { UserRow } from '../users/repository.ts';
import { formPayload, validationErrors, workPackageResource, workPackageSchema, type WorkPackageView } from './presenter.ts';
import type { WorkPackageRow } from './repository.ts';
import { WORK_PACKAGE_SORTS, type WorkPackageInput } from './service.ts';

const dateOrNull = z.string().nullable().optional();
const WorkPackageBody = z.object({
  subject: z.string().optional(),
  lockVersion: z.number().int().optional(),
  startDate: dateOrNull,
  dueDate: dateOrNull,
  date: dateOrNull,
});

/** Parse a work package write body (OpenProject's write model: properties plus `_links`) and `?notify=`. */
export function workPackageInput(body: Record<string, unknown>, request?: FastifyRequest): WorkPackageInput {
  const parsed = WorkPackageBody.safeParse(body);
  if (!parsed.success) {
    throw constraintViolation(parsed.error.issues.map((i) => ({ attribute: String(i.path[0]), message: `${String(i.path[0])} is invalid.` })));
  }
  const { date, ...rest } = parsed.data;
  // A milestone has a single `date`: it is both start and finish.
  const dates = date === undefined ? {} : { startDate: date, dueDate: date };
  return {
    ...rest,
    ...dates,
    description: formattableRaw(body.description),
    projectId: linkedId(body, 'project', 'projects'),
    typeId: linkedId(body, 'type', 'types'),
    statusId: linkedId(body, 'status', 'statuses'),
    assigneeId: linkedId(body, 'assignee', 'users'),
    notify: request ? query(request).notify !== 'false' : undefined,
  };
}

/** Render work packages for a viewer: related rows are loaded once per page. */
export async function presentWorkPackages(services: ProjectsServices, viewer: UserRow, rows: WorkPackageRow[]) {
  if (rows.length === 0) return [];
  const projectRows = await services.projects.repository.findMany([...new Set(rows.map((r) => r.project_id))]);
  const [views, types, statuses, watched] = await Promise.all([
    services.projects.views(viewer, projectRows),
    services.types.types(),
    services.types.statuses(),
    services.workPackages.watchedAmong(viewer, rows.map((r) => r.id)),
  ]);
  const userIds = rows.flatMap((r) => [r.author_id, r.assignee_id]).filter((id): id is number => id !== null);
  const users = new Map((await services.users.findMany([...new Set(userIds)])).map((u) => [u.id, u]));
  return rows.map((row) => {
    const view: WorkPackageView = {
      project: projectRows.find((p) => p.id === row.project_id)!,
      projectView: views.get(row.project_id)!,
      type: types.find((t) => t.id === row.type_id)!,
      status: statuses.find((s) => s.id === row.status_id)!,
      author: row.author_id === null ? undefined : users.get(row.author_id),
      assignee: row.assignee_id === null ? undefined : users.get(row.assignee_id),
      viewer,
      watching: watched.has(row.id),
    };
    return workPackageResource(row, view);
  });
}

/**
 * API v3 work packages: lists (global and per project) with OpenProject's filters, get, create,
 * update (`lockVersion`), delete, the create/edit forms, schemas, available projects and assignees.
 */
export function workPackageRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { auth, workPackages, projects, types, permissions } = services;
  const projectParam = (request: FastifyRequest) => (request.params as { id: string }).id;
  const listSpec = (): CollectionSpec => ({
    filters: workPackages.filterDefs(),
    sorts: WORK_PACKAGE_SORTS,
    defaultSort: [['id', 'asc']],
    // OpenProject lists open work packages unless filters say otherwise.
    defaultFilters: [{ name: 'status', operator: 'o', values: [] }],
  });
  const present = async (user: UserRow, row: WorkPackageRow) => (await presentWorkPackages(services, user, [row]))[0];

  const list = async (request: FastifyRequest, path: string, projectId?: number) => {
    const { user } = await requireUser(auth, request);
    return listResponse(request, path, listSpec(), (q) => workPackages.list(user, q, projectId), (rows) => presentWorkPackages(services, user, rows));
  };

  app.get(`${API_V3}/work_packages`, (request) => list(request, `${API_V3}/work_packages`));

  app.get(`${API_V3}/projects/:id/work_packages`, async (request) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    return list(request, `${API_V3}/projects/${project.id}/work_packages`, project.id);
  });

  app.post(`${API_V3}/work_packages`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const created = await workPackages.create(user, workPackageInput(jsonBody(request), request));
    return reply.status(201).send(await present(user, created));
  });

  app.post(`${API_V3}/projects/:id/work_packages`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    const created = await workPackages.create(user, workPackageInput(jsonBody(request), request), project.id);
    return reply.status(201).send(await present(user, created));
  });

  app.get(`${API_V3}/work_packages/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    return present(user, await workPackages.visible(user, idParam(request)));
  });

  app.patch(`${API_V3}/work_packages/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    await workPackages.visible(user, id);
    return present(user, await workPackages.update(user, id, workPackageInput(jsonBody(request), request)));
  });

  app.delete(`${API_V3}/work_packages/:id`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    await workPackages.delete(user, idParam(request));
    return reply.status(204).send();
  });

  // ---- forms and schemas ----
  const form = async (request: FastifyRequest, self: string, scopeProjectId?: number, existingId?: number) => {
    const { user } = await requireUser(auth, request);
    const body = request.body === undefined ? {} : jsonBody(request);
    const { resolved, violations, existing } = await workPackages.formFor(user, workPackageInput(body), scopeProjectId, existingId);
    const project = resolved.project;
    const [offered, statuses, assignees] = await Promise.all([
      project ? types.typesOf(project.id) : types.types(),
      types.statuses(),
      project ? workPackages.assignableIds(project.id).then((ids) => services.users.findMany(ids)) : Promise.resolve([]),
    ]);
    const payload: Record<string, unknown> = formPayload(resolved);
    if (existing) payload.lockVersion = existing.lock_version;
    return {
      _type: 'Form',
      _embedded: {
        payload,
        schema: workPackageSchema({ project, type: resolved.type, types: offered, statuses, assignees, viewer: user }),
        validationErrors: validationErrors(violations),
      },
      _links: {
        self: link(self, undefined, { method: 'post' }),
        validate: link(self, undefined, { method: 'post' }),
        ...(violations.length === 0 && existingId === undefined ? { commit: link(scopeProjectId === undefined ? `${API_V3}/work_packages` : `${API_V3}/projects/${scopeProjectId}/work_packages`, undefined, { method: 'post' }) } : {}),
        ...(violations.length === 0 && existingId !== undefined ? { commit: link(`${API_V3}/work_packages/${existingId}`, undefined, { method: 'patch' }) } : {}),
      },
    };
  };

  app.post(`${API_V3}/work_packages/form`, (request) => form(request, `${API_V3}/work_packages/form`));

  app.post(`${API_V3}/projects/:id/work_packages/form`, async (request) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    return form(request, `${API_V3}/projects/${project.id}/work_packages/form`, project.id);
  });

  app.post(`${API_V3}/work_packages/:id/form`, (request) => {
    const id = idParam(request);
    return form(request, `${API_V3}/work_packages/${id}/form`, undefined, id);
  });

  // `/work_packages/schemas/{projectId}-{typeId}`, as linked from each work package.
  app.get(`${API_V3}/work_packages/schemas/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    const match = /^(\d{1,15})-(\d{1,15})$/.exec((request.params as { id: string }).id);
    if (!match) throw errors.not_found();
    const project = await permissions.require(user, 'view_work_packages', Number(match[1]));
    const offered = await types.typesOf(project.id);
    const type = offered.find((t) => t.id === Number(match[2]));
    if (!type) throw errors.not_found();
    const assignees = await services.users.findMany(await workPackages.assignableIds(project.id));
    return workPackageSchema({ project, type, types: offered, statuses: await types.statuses(), assignees, viewer: user });
  });

  // Projects in which the caller may create work packages (the Nextcloud app's project picker), or to
  // which a work package may be moved (`/work_packages/{id}/available_projects`).
  const availableProjects = async (request: FastifyRequest, path: string) => {
    const { user } = await requireUser(auth, request);
    const spec = { filters: projects.filterDefs(), sorts: PROJECT_SORTS, defaultSort: [['id', 'asc']] as Sort[] };
    const canCreate: Filter = { name: 'user_action', operator: '&=', values: ['work_packages/create'] };
    return listResponse(
      request,
      path,
      spec,
      (q) => projects.list(user, { ...q, filters: [...q.filters, canCreate] }),
      async (rows) => {
        const views = await projects.views(user, rows);
        return rows.map((row) => projectResource(row, views.get(row.id)!));
      },
    );
  };
  app.get(`${API_V3}/work_packages/available_projects`, (request) => availableProjects(request, `${API_V3}/work_packages/available_projects`));
  app.get(`${API_V3}/work_packages/:id/available_projects`, async (request) => {
    const { user } = await requireUser(auth, request);
    const workPackage = await workPackages.visible(user, idParam(request));
    if (!(await permissions.allowed(user, 'edit_work_packages', workPackage.project_id))) throw errors.missing_permission({ permission: 'edit_work_packages' });
    return availableProjects(request, `${API_V3}/work_packages/${workPackage.id}/available_projects`);
  });

  app.get(`${API_V3}/projects/:id/available_assignees`, async (request) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    const mine = await permissions.permissionsIn(user, project.id);
    if (!mine.has('add_work_packages') && !mine.has('edit_work_packages')) throw errors.missing_permission({ permission: 'add_work_packages' });
    const users = await services.users.findMany(await workPackages.assignableIds(project.id));
    users.sort((a, b) => a.id - b.id);
    return collection(`${API_V3}/projects/${project.id}/available_assignees`, users.map((u) => userResource(u, user)));
  });
}
