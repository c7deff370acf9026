import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_V3 } from '../api/hal.ts';
import { idParam, listResponse, query } from '../api/http.ts';
import type { Sort } from '../api/query.ts';
import { requireUser } from '../http/request-auth.ts';
import { projectResource } from '../projects/presenter.ts';
import type { ProjectsServices } from '../services.ts';
import type { UserRow } from '../users/repository.ts';
import { presentWorkPackages } from '../work-packages/routes.ts';
import { notificationResource } from './presenter.ts';
import type { NotificationRow } from './repository.ts';
import { NOTIFICATION_FILTERS, NOTIFICATION_SORTS } from './service.ts';

/** API v3 in-app notifications of the caller: list with filters, one, read/unread (bulk and single). */
export function notificationRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { auth, notifications, workPackages, projects } = services;

  const present = async (viewer: UserRow, rows: NotificationRow[]) => {
    if (rows.length === 0) return [];
    const wps = await workPackages.repository.findMany([...new Set(rows.map((r) => r.resource_id))]);
    // The work package comes without its own embedded resources: the notification embeds its project,
    // and a dashboard listing a thousand notifications should not carry each type and status a thousand times.
    const resources = new Map((await presentWorkPackages(services, viewer, wps)).map(({ _embedded: _, ...r }) => [r.id, r]));
    const projectRows = await projects.repository.findMany([...new Set(rows.map((r) => r.project_id))]);
    const views = await projects.views(viewer, projectRows);
    const projectsById = new Map(projectRows.map((p) => [p.id, projectResource(p, views.get(p.id)!)]));
    const actorIds = [...new Set(rows.map((r) => r.actor_id).filter((id): id is number => id !== null))];
    const actors = new Map((await services.users.findMany(actorIds)).map((u) => [u.id, u]));
    return rows.map((row) =>
      notificationResource(row, {
        project: projectsById.get(row.project_id)!,
        resource: resources.get(row.resource_id)!,
        actor: row.actor_id === null ? undefined : actors.get(row.actor_id),
        viewer,
      }),
    );
  };

  app.get(`${API_V3}/notifications`, async (request) => {
    const { user } = await requireUser(auth, request);
    const spec = { filters: NOTIFICATION_FILTERS, sorts: NOTIFICATION_SORTS, defaultSort: [['id', 'desc']] as Sort[] };
    const body = await listResponse(request, `${API_V3}/notifications`, spec, (q) => notifications.list(user, q), (rows) => present(user, rows));
    return { ...body, _embedded: { ...body._embedded, detailsSchemas: [] } };
  });

  app.get(`${API_V3}/notifications/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    return (await present(user, [await notifications.get(user, idParam(request))]))[0];
  });

  const bulk = (read: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { user } = await requireUser(auth, request);
    await notifications.setRead(user, query(request).filters, read);
    return reply.status(204).send();
  };
  app.post(`${API_V3}/notifications/read_ian`, bulk(true));
  app.post(`${API_V3}/notifications/unread_ian`, bulk(false));

  const one = (read: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { user } = await requireUser(auth, request);
    await notifications.setReadOne(user, idParam(request), read);
    return reply.status(204).send();
  };
  app.post(`${API_V3}/notifications/:id/read_ian`, one(true));
  app.post(`${API_V3}/notifications/:id/unread_ian`, one(false));
}
