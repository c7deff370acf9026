import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { serveWebUi } from '@tandem/core';
import { errors } from '../errors.ts';

/** Where `npm run build -w apps/projects/web` puts the single-page app. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * The page routes of the web UI (OpenProject's paths; keep in step with `web/src/App.tsx`). Nothing
 * under `/api`, `/oauth` or `/health_checks`: those keep their own answers and 404s.
 */
export const PAGE_ROUTES = ['/', '/login', '/projects', '/projects/*', '/work_packages/*', '/notifications', '/my/*', '/admin/*'];

export function webRoutes(app: FastifyInstance, dist = WEB_DIST): void {
  serveWebUi(app, {
    dist,
    pages: PAGE_ROUTES,
    notBuilt: 'The web interface is not built yet: run `npm run build -w apps/projects/web` (npm start does this).',
    notFound: () => errors.not_found(),
  });
}
