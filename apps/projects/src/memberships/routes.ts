import type { FastifyInstance } from 'fastify';
import { API_V3 } from '../api/hal.ts';
import { idParam, jsonBody, linkedId, linkedIds, listResponse } from '../api/http.ts';
import type { Sort } from '../api/query.ts';
import { requireUser } from '../http/request-auth.ts';
import type { ProjectsServices } from '../services.ts';
import type { UserRow } from '../users/repository.ts';
import { membershipResource } from './presenter.ts';
import type { Membership } from './repository.ts';
import { MEMBERSHIP_FILTERS, MEMBERSHIP_SORTS } from './service.ts';

/** API v3 memberships: list (filters `project`, `principal`, `role`), get, create, update roles, delete. */
export function membershipRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { memberships, auth } = services;

  /** Load what the presenter needs for a page of memberships in a few queries. */
  const present = async (viewer: UserRow, rows: Membership[]) => {
    const [projects, users, roles, permissions] = await Promise.all([
      services.projects.repository.findMany([...new Set(rows.map((m) => m.project_id))]),
      services.users.findMany([...new Set(rows.map((m) => m.user_id))]),
      services.roles.findMany([...new Set(rows.flatMap((m) => m.roleIds))]),
      services.permissions.permissionsByProject(viewer, [...new Set(rows.map((m) => m.project_id))]),
    ]);
    return rows.map((m) =>
      membershipResource(m, {
        project: projects.find((p) => p.id === m.project_id)!,
        user: users.find((u) => u.id === m.user_id)!,
        roles: roles.filter((r) => m.roleIds.includes(r.id)),
        viewer,
        canManage: permissions.get(m.project_id)?.has('manage_members') ?? false,
      }),
    );
  };

  app.get(`${API_V3}/memberships`, async (request) => {
    const { user } = await requireUser(auth, request);
    const spec = { filters: MEMBERSHIP_FILTERS, sorts: MEMBERSHIP_SORTS, defaultSort: [['id', 'asc']] as Sort[] };
    return listResponse(request, `${API_V3}/memberships`, spec, (q) => memberships.list(user, q), (rows) => present(user, rows));
  });

  app.get(`${API_V3}/memberships/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    return (await present(user, [await memberships.get(user, idParam(request))]))[0];
  });

  app.post(`${API_V3}/memberships`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const body = jsonBody(request);
    const principal = linkedId(body, 'principal', 'users') ?? linkedId(body, 'principal', 'principals');
    const created = await memberships.create(user, {
      projectId: linkedId(body, 'project', 'projects') ?? undefined,
      userId: principal ?? undefined,
      roleIds: linkedIds(body, 'roles', 'roles'),
    });
    return reply.status(201).send((await present(user, [created]))[0]);
  });

  app.patch(`${API_V3}/memberships/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    const updated = await memberships.update(user, id, linkedIds(jsonBody(request), 'roles', 'roles'));
    return (await present(user, [updated]))[0];
  });

  app.delete(`${API_V3}/memberships/:id`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    await memberships.delete(user, idParam(request));
    return reply.status(204).send();
  });
}
