import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { API_V3 } from '../api/hal.ts';
import { formattableRaw, jsonBody, linkedId, listResponse } from '../api/http.ts';
import type { Sort } from '../api/query.ts';
import { constraintViolation } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import { allModules } from '../permissions/registry.ts';
import type { ProjectsServices } from '../services.ts';
import type { UserRow } from '../users/repository.ts';
import { projectResource } from './presenter.ts';
import type { ProjectRow } from './repository.ts';
import { PROJECT_SORTS, type ProjectInput } from './service.ts';

const ProjectBody = z.object({
  identifier: z.string().optional(),
  name: z.string().optional(),
  public: z.boolean().optional(),
  active: z.boolean().optional(),
});

/** Parse a project write body (`description` raw or Formattable, `_links.parent`). */
function projectInput(body: Record<string, unknown>): ProjectInput {
  const parsed = ProjectBody.safeParse(body);
  if (!parsed.success) {
    throw constraintViolation(parsed.error.issues.map((i) => ({ attribute: String(i.path[0]), message: `${capitalize(String(i.path[0]))} is invalid.` })));
  }
  const parentId = linkedId(body, 'parent', 'projects');
  if (parentId === -1) throw constraintViolation([{ attribute: 'parent', message: 'Subproject of is invalid.' }]);
  return { ...parsed.data, description: formattableRaw(body.description), parentId };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** API v3 projects (list with filters, get, create, update incl. archive, delete) and module switches. */
export function projectRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { projects, auth } = services;

  const present = async (user: UserRow, rows: ProjectRow[]) => {
    const views = await projects.views(user, rows);
    return rows.map((row) => projectResource(row, views.get(row.id)!));
  };
  const projectParam = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get(`${API_V3}/projects`, async (request) => {
    const { user } = await requireUser(auth, request);
    const spec = { filters: projects.filterDefs(), sorts: PROJECT_SORTS, defaultSort: [['id', 'asc']] as Sort[] };
    return listResponse(request, `${API_V3}/projects`, spec, (q) => projects.list(user, q), (rows) => present(user, rows));
  });

  app.post(`${API_V3}/projects`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.create(user, projectInput(jsonBody(request)));
    return reply.status(201).send((await present(user, [project]))[0]);
  });

  app.get(`${API_V3}/projects/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    return (await present(user, [project]))[0];
  });

  app.patch(`${API_V3}/projects/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    const updated = await projects.update(user, project.id, projectInput(jsonBody(request)));
    return (await present(user, [updated]))[0];
  });

  app.delete(`${API_V3}/projects/:id`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    await projects.delete(user, project.id);
    return reply.status(204).send();
  });

  // Module switches for the project settings page (not part of OpenProject's API v3).
  app.get('/api/projects/:id/modules', async (request) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    return modulesBody(await projects.modules(user, project.id));
  });

  app.put('/api/projects/:id/modules', async (request) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    const body = z.object({ enabled: z.array(z.string()) }).safeParse(jsonBody(request));
    if (!body.success) throw constraintViolation([{ attribute: 'enabled', message: 'Enabled modules is invalid.' }]);
    return modulesBody(await projects.setModules(user, project.id, body.data.enabled));
  });
}

function modulesBody(enabled: string[]) {
  return { modules: allModules().map((m) => ({ name: m.name, label: m.label, enabled: enabled.includes(m.name) })) };
}
