import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { serveWebUi } from '@tandem/core';
import { errors } from '../errors.ts';

/** Where `npm run build -w apps/cloud/web` puts the single-page app. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * The HTML routes of the single-page app, with and without Nextcloud's `/index.php` prefix. An explicit
 * list rather than a catch-all, so the UI never answers for protocol paths (`/remote.php`, `/ocs`,
 * `/status.php`, `/api`, `/index.php/apps/oauth2/api`, `/index.php/login/v2`, …) and a typo there still
 * gets the protocol's own 404.
 */
export const PAGE_ROUTES = [
  '/',
  '/index.php',
  '/login',
  '/index.php/login',
  '/apps/files',
  '/apps/files/*',
  '/index.php/apps/files',
  '/index.php/apps/files/*',
  '/f/:fileid',
  '/index.php/f/:fileid',
  '/settings/*',
  '/index.php/settings/users',
  '/index.php/settings/groups',
  '/index.php/settings/apps',
  '/index.php/settings/user/*',
  '/index.php/settings/admin/*',
];

export function webRoutes(app: FastifyInstance, dist = WEB_DIST): void {
  serveWebUi(app, {
    dist,
    pages: PAGE_ROUTES,
    notBuilt: 'The web interface is not built yet: run `npm run build -w apps/cloud/web` (npm start does this).',
    notFound: () => errors.not_found(),
  });
}
