import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_V3, paginatedCollection } from '../api/hal.ts';
import { idParam, query } from '../api/http.ts';
import { parseCollectionQuery, parseFilters } from '../api/query.ts';
import { isAppError } from '@tandem/core';
import { errors } from '../errors.ts';
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
    const resources = new Map((await presentWorkPackages(services, viewer, wps)).map((r) => [r.id, r]));
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
    const params = query(request) as Record<string, string | undefined>;
    const q = parseCollectionQuery(params, { filters: NOTIFICATION_FILTERS, sorts: NOTIFICATION_SORTS, defaultSort: [['id', 'desc']] });
    const { rows, total } = await notifications.list(user, q);
    const body = paginatedCollection({
      path: `${API_V3}/notifications`,
      params: { filters: params.filters, sortBy: params.sortBy },
      elements: await present(user, rows),
      total,
      pageSize: q.pageSize,
      offset: q.offset,
    });
    return { ...body, _embedded: { ...body._embedded, detailsSchemas: [] } };
  });

  app.get(`${API_V3}/notifications/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    return (await present(user, [await notifications.get(user, idParam(request))]))[0];
  });

  const bulk = (read: boolean) => async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const { user } = await requireUser(auth, request);
    let filters;
    try {
      filters = parseFilters(query(request).filters, NOTIFICATION_FILTERS);
    } catch (error) {
      // OpenProject answers read_ian's query errors with a list of messages.
      if (isAppError(error) && error.code === 'invalid_query') throw errors.invalid_query({ messages: [error.message] });
      throw error;
    }
    await notifications.setRead(user, filters, read);
    return reply.status(204).send();
  };
  app.post(`${API_V3}/notifications/read_ian`, bulk(true));
  app.post(`${API_V3}/notifications/unread_ian`, bulk(false));

  const one = (read: boolean) => async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const { user } = await requireUser(auth, request);
    await notifications.setReadOne(user, idParam(request), read);
    return reply.status(204).send();
  };
  app.post(`${API_V3}/notifications/:id/read_ian`, one(true));
  app.post(`${API_V3}/notifications/:id/unread_ian`, one(false));
}
