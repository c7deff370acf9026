import type { FastifyInstance } from 'fastify';
import { API_V3, collection, idFromHref } from '../api/hal.ts';
import { idParam, jsonBody } from '../api/http.ts';
import { constraintViolation } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import type { ProjectsServices } from '../services.ts';
import { userResource } from '../users/presenter.ts';

/** API v3 watchers of a work package: list, add (`{ user: { href } }`), remove. */
export function watcherRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { auth, workPackages } = services;

  app.get(`${API_V3}/work_packages/:id/watchers`, async (request) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    const watchers = await workPackages.watchers(user, id);
    return collection(`${API_V3}/work_packages/${id}/watchers`, watchers.map((w) => userResource(w, user)));
  });

  app.post(`${API_V3}/work_packages/:id/watchers`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    await workPackages.visible(user, id);
    const href = (jsonBody(request).user as { href?: unknown } | undefined)?.href;
    const userId = idFromHref(href, 'users');
    if (userId === undefined) throw constraintViolation([{ attribute: 'user', message: 'User is invalid.' }]);
    const { user: watcher, added } = await workPackages.addWatcher(user, id, userId);
    return reply.status(added ? 201 : 200).send(userResource(watcher, user));
  });

  app.delete(`${API_V3}/work_packages/:id/watchers/:userId`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    await workPackages.removeWatcher(user, idParam(request), idParam(request, 'userId'));
    return reply.status(204).send();
  });
}
