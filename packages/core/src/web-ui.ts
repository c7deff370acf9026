import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface WebUiOptions {
  /** The Vite build output (`index.html`, `assets/`). */
  dist: string;
  /** GET routes answered with `index.html`: an explicit list, so protocol paths keep their own 404s. */
  pages: string[];
  /** Said when the build is missing, e.g. which command builds it. */
  notBuilt: string;
  /** The error a missing asset throws (the server's own 404). */
  notFound: () => Error;
}

/**
 * Serves a single-page app built by Vite: hashed `/assets/*` (cached for good) and `index.html` on
 * the app's page routes (never cached, so a new build is picked up at once).
 */
export function serveWebUi(app: FastifyInstance, options: WebUiOptions): void {
  const { dist } = options;
  app.get('/assets/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const full = path.join(dist, 'assets', file);
    if (!/^[\w.-]+$/.test(file) || !fs.existsSync(full)) throw options.notFound();
    reply
      .header('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff');
    return reply.send(fs.createReadStream(full));
  });

  const page = async (_request: unknown, reply: FastifyReply) => {
    const index = path.join(dist, 'index.html');
    if (!fs.existsSync(index)) return reply.status(503).type('text/plain; charset=utf-8').send(options.notBuilt);
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-frame-options', 'SAMEORIGIN')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
    return reply.send(fs.createReadStream(index));
  };
  for (const url of options.pages) app.get(url, page);
}
