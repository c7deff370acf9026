import type { FastifyInstance } from 'fastify';
import type { ProjectsServices } from '../services.ts';

/**
 * `/health_checks/<name>` as OpenProject's OkComputer answers: plain text lines
 * `<check>: PASSED|FAILED <message> (<seconds>s)`, or JSON with `Accept: application/json` or a
 * `.json` suffix; 200 when every check passed, 500 otherwise. No authentication.
 */
export function healthRoutes(app: FastifyInstance, services: ProjectsServices): void {
  app.get('/health_checks', (request, reply) => answer('all', request.headers.accept, reply));
  app.get('/health_checks/:name', (request, reply) => {
    const raw = (request.params as { name: string }).name;
    const json = raw.endsWith('.json') || /application\/json/.test(request.headers.accept ?? '');
    return answer(raw.replace(/\.json$/, ''), json ? 'application/json' : undefined, reply);
  });

  async function answer(name: string, accept: string | undefined, reply: import('fastify').FastifyReply) {
    const checks = services.health.checksFor(name);
    if (!checks) return reply.status(404).type('text/plain').send(`No matching checks`);
    const results = await services.health.run(checks);
    const status = results.every((r) => r.success) ? 200 : 500;
    reply.header('Cache-Control', 'no-store');
    if (accept && /application\/json/.test(accept)) {
      const body = Object.fromEntries(results.map((r) => [r.name, { message: r.message, success: r.success, time: r.time }]));
      return reply.status(status).type('application/json').send(body);
    }
    const lines = results.map((r) => `${r.name}: ${r.success ? 'PASSED' : 'FAILED'} ${r.message} (${r.time.toFixed(3)}s)`);
    return reply.status(status).type('text/plain').send(lines.join('\n'));
  }
}
