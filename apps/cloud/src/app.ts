import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { isAppError } from '@tandem/core';
import type { CloudServices } from './services.ts';
import { statusRoutes } from './status/routes.ts';
import { sessionRoutes } from './auth/routes.ts';
import { oauthRoutes } from './oauth/routes.ts';
import { webRoutes } from './web/routes.ts';
import { ocsRoutes } from './ocs/routes.ts';
import { appPasswordWebRoutes } from './ocs/app-passwords.ts';
import { loginFlowRoutes } from './login-flow/routes.ts';
import { groupFolderRoutes } from './groupfolders/routes.ts';
import { termsOfServiceRoutes } from './terms-of-service/routes.ts';
import { termsOfServiceDavGate } from './terms-of-service/dav-gate.ts';
import { integrationOpenProjectRoutes } from './apps/integration-openproject/routes.ts';
import { davRoutes } from './dav/routes.ts';

/**
 * The HTTP face of Cloud. Each module registers its routes here; the DAV and OCS modules install
 * their own error renderers (Sabre XML, OCS envelopes) inside their encapsulated scopes.
 */
export async function buildCloudApp(services: CloudServices): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    routerOptions: { maxParamLength: 4096, ignoreDuplicateSlashes: false },
    bodyLimit: 10 * 1024 * 1024,
    trustProxy: process.env.TRUST_PROXY === '1',
    requestIdHeader: 'x-request-id',
  });
  await app.register(cookie);
  await app.register(formbody);

  app.setErrorHandler((error, request, reply) => {
    if (isAppError(error)) {
      return reply.status(error.status).send({ error: { code: error.code, message: error.message, ...error.details } });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status < 500) {
      return reply.status(status).send({ error: { code: 'invalid_input', message: (error as Error).message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Internal Server Error' } });
  });

  statusRoutes(app);
  sessionRoutes(app, services);
  termsOfServiceDavGate(app, services);
  oauthRoutes(app, services);
  await ocsRoutes(app, services);
  appPasswordWebRoutes(app, services);
  loginFlowRoutes(app, services);
  await groupFolderRoutes(app, services);
  await termsOfServiceRoutes(app, services);
  await integrationOpenProjectRoutes(app, services);
  webRoutes(app);
  await davRoutes(app, services);
  return app;
}
