import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies as PHP reads them: clients send `Content-Type: application/json` on body-less requests
 * (DELETE), which must mean "no parameters", not an error. `invalid` makes the scope's error for bad JSON.
 */
export function acceptEmptyJson(scope: FastifyInstance, invalid: () => Error): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    if (!String(text).trim()) return done(null, {});
    try {
      done(null, JSON.parse(String(text)));
    } catch {
      done(invalid(), undefined);
    }
  });
}
