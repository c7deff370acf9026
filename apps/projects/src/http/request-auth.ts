import type { FastifyRequest } from 'fastify';
import type { AuthContext, AuthService } from '../auth/service.ts';
import { SESSION_COOKIE } from '../auth/service.ts';
import { errors } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const cache = new WeakMap<FastifyRequest, Promise<AuthContext | undefined>>();

/**
 * The caller of this request, resolved once per request. Browser sessions must also pass the CSRF
 * check on state-changing methods: an `X-CSRF-Token` header equal to the session's token (a
 * cross-site form cannot send headers).
 */
export function requestAuth(auth: AuthService, request: FastifyRequest): Promise<AuthContext | undefined> {
  let pending = cache.get(request);
  if (!pending) {
    pending = auth
      .authenticate({ authorization: request.headers.authorization, sessionToken: request.cookies?.[SESSION_COOKIE] })
      .then((context) => {
        if (context?.method === 'session' && !SAFE_METHODS.has(request.method)) {
          if (request.headers['x-csrf-token'] !== context.csrfToken) throw errors.csrf_check_failed();
        }
        return context;
      });
    cache.set(request, pending);
  }
  return pending;
}

export async function requireUser(auth: AuthService, request: FastifyRequest): Promise<AuthContext> {
  const context = await requestAuth(auth, request);
  if (!context) throw errors.unauthenticated();
  return context;
}

/** Public base URL for links we hand out: `PROJECTS_URL`, else what the client used to reach us. */
export function publicBaseUrl(configured: string | undefined, request: FastifyRequest): string {
  if (configured) return configured;
  return `${request.protocol}://${request.host}`;
}
