import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_V3, collection } from '../api/hal.ts';
import { idParam, jsonBody } from '../api/http.ts';
import { constraintViolation } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import { roleResource } from '../memberships/presenter.ts';
import { allModules, allPermissions } from '../permissions/registry.ts';
import type { ProjectsServices } from '../services.ts';
import type { RoleRow } from './repository.ts';
import { rolePermissions } from './service.ts';

const RoleBody = z.object({ name: z.string().optional(), permissions: z.array(z.string()).optional() });

/** Admin JSON view of a role: the API v3 Role plus its permissions. */
const adminRole = (role: RoleRow) => ({ ...roleResource(role), permissions: rolePermissions(role) });

/**
 * API v3 roles (read-only, as OpenProject) and the admin's JSON API to edit roles and their
 * permissions (`/api/admin/roles`, `/api/admin/permissions` lists what can be granted).
 */
export function roleRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { roles, auth, permissions } = services;

  app.get(`${API_V3}/roles`, async (request) => {
    await requireUser(auth, request);
    return collection(`${API_V3}/roles`, (await roles.list()).map(roleResource));
  });

  app.get(`${API_V3}/roles/:id`, async (request) => {
    await requireUser(auth, request);
    return roleResource(await roles.get(idParam(request)));
  });

  app.get('/api/admin/permissions', async (request) => {
    permissions.requireAdmin((await requireUser(auth, request)).user);
    return { modules: allModules(), permissions: allPermissions() };
  });

  app.get('/api/admin/roles', async (request) => {
    permissions.requireAdmin((await requireUser(auth, request)).user);
    return { roles: (await roles.list()).map(adminRole) };
  });

  app.post('/api/admin/roles', async (request, reply) => {
    permissions.requireAdmin((await requireUser(auth, request)).user);
    return reply.status(201).send(adminRole(await roles.create(roleBody(jsonBody(request)))));
  });

  app.patch('/api/admin/roles/:id', async (request) => {
    permissions.requireAdmin((await requireUser(auth, request)).user);
    return adminRole(await roles.update(idParam(request), roleBody(jsonBody(request))));
  });

  app.delete('/api/admin/roles/:id', async (request, reply) => {
    permissions.requireAdmin((await requireUser(auth, request)).user);
    await roles.delete(idParam(request));
    return reply.status(204).send();
  });
}

function roleBody(body: Record<string, unknown>) {
  const parsed = RoleBody.safeParse(body);
  if (!parsed.success) throw constraintViolation([{ attribute: String(parsed.error.issues[0]?.path[0] ?? 'base'), message: 'Role is invalid.' }]);
  return parsed.data;
}
