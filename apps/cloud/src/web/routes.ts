import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
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

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function webRoutes(app: FastifyInstance, dist = WEB_DIST): void {
  // Vite's hashed bundles: a file name never changes content, so browsers may keep it for good.
  app.get('/assets/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const full = path.join(dist, 'assets', file);
    if (!/^[\w.-]+$/.test(file) || !fs.existsSync(full)) throw errors.not_found();
    reply
      .header('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff');
    return reply.send(fs.createReadStream(full));
  });

  const page = async (_request: unknown, reply: FastifyReply) => {
    const index = path.join(dist, 'index.html');
    if (!fs.existsSync(index)) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web interface is not built yet: run `npm run build -w apps/cloud/web` (npm start does this).');
    }
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-frame-options', 'SAMEORIGIN')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
    return reply.send(fs.createReadStream(index));
  };
  for (const url of PAGE_ROUTES) app.get(url, page);
}
