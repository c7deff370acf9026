import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { errors } from './errors.ts';
import { HAL_JSON, sendError } from './api/errors.ts';
import { API_V3 } from './api/hal.ts';
import { rootRoutes } from './api/root.ts';
import type { ProjectsServices } from './services.ts';
import { healthRoutes } from './health/routes.ts';
import { sessionRoutes } from './auth/routes.ts';
import { userRoutes } from './users/routes.ts';
import { projectRoutes } from './projects/routes.ts';
import { membershipRoutes } from './memberships/routes.ts';
import { roleRoutes } from './roles/routes.ts';
import { oauthRoutes } from './oauth/routes.ts';
import { typeRoutes } from './types/routes.ts';
import { workPackageRoutes } from './work-packages/routes.ts';
import { activityRoutes } from './activities/routes.ts';
import { watcherRoutes } from './watchers/routes.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { webRoutes } from './web/routes.ts';
import { storageRoutes } from './storages/routes.ts';

/**
 * The HTTP face of Projects. Every module registers its routes here. All errors are rendered as
 * OpenProject's API v3 Error resource; the OAuth endpoints render Doorkeeper's shapes themselves.
 */
export async function buildProjectsApp(services: ProjectsServices): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    bodyLimit: 10 * 1024 * 1024,
    trustProxy: process.env.TRUST_PROXY === '1',
    requestIdHeader: 'x-request-id',
  });
  await app.register(cookie);
  await app.register(formbody);

  // JSON bodies: an empty body is no body (the Nextcloud app sends DELETE and read_ian that way).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'application/hal+json'], { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (!text.trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(errors.invalid_request_body(), undefined);
    }
  });

  // API v3 speaks HAL+JSON.
  app.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (request.url.startsWith(API_V3) && type.startsWith('application/json')) reply.type(HAL_JSON);
    return payload;
  });

  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) => sendError(request, reply, errors.not_found()));

  healthRoutes(app, services);
  rootRoutes(app, services);
  sessionRoutes(app, services);
  userRoutes(app, services);
  projectRoutes(app, services);
  membershipRoutes(app, services);
  roleRoutes(app, services);
  oauthRoutes(app, services);
  typeRoutes(app, services);
  workPackageRoutes(app, services);
  activityRoutes(app, services);
  watcherRoutes(app, services);
  notificationRoutes(app, services);
  storageRoutes(app, services);
  webRoutes(app);
  return app;
}
