import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { API_V3, collection, idFromHref } from '../api/hal.ts';
import { idParam, jsonBody } from '../api/http.ts';
import { constraintViolation } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import type { ProjectsServices } from '../services.ts';
import { statusResource, typeResource } from './presenter.ts';

/** API v3 types and statuses (read-only, any logged-in user), per-project types, and their admin switch. */
export function typeRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { auth, types, projects, permissions } = services;
  const projectParam = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get(`${API_V3}/types`, async (request) => {
    await requireUser(auth, request);
    return collection(`${API_V3}/types`, (await types.types()).map(typeResource));
  });

  app.get(`${API_V3}/types/:id`, async (request) => {
    await requireUser(auth, request);
    return typeResource(await types.type(idParam(request)));
  });

  app.get(`${API_V3}/statuses`, async (request) => {
    await requireUser(auth, request);
    return collection(`${API_V3}/statuses`, (await types.statuses()).map(statusResource));
  });

  app.get(`${API_V3}/statuses/:id`, async (request) => {
    await requireUser(auth, request);
    return statusResource(await types.status(idParam(request)));
  });

  app.get(`${API_V3}/projects/:id/types`, async (request) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    await permissions.require(user, 'view_work_packages', project.id);
    return collection(`${API_V3}/projects/${project.id}/types`, (await types.typesOf(project.id)).map(typeResource));
  });

  // Project settings: which types the project offers (body `{ types: [{ href }] }` or `{ typeIds: [] }`).
  app.put('/api/projects/:id/types', async (request) => {
    const { user } = await requireUser(auth, request);
    const project = await projects.visible(user, projectParam(request));
    await permissions.require(user, 'edit_project', project.id);
    const body = z
      .object({ typeIds: z.array(z.number().int()).optional(), types: z.array(z.object({ href: z.string() })).optional() })
      .safeParse(jsonBody(request));
    if (!body.success) throw constraintViolation([{ attribute: 'types', message: 'Types is invalid.' }]);
    const ids = body.data.typeIds ?? (body.data.types ?? []).map((t) => idFromHref(t.href, 'types') ?? -1);
    return collection(`${API_V3}/projects/${project.id}/types`, (await types.setTypesOf(project.id, ids)).map(typeResource));
  });
}
