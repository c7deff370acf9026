import type { FastifyRequest } from 'fastify';
import { memoisedRequestAuth } from '@tandem/core';
import type { AuthContext, AuthService } from '../auth/service.ts';
import { SESSION_COOKIE } from '../auth/service.ts';
import { errors } from '../errors.ts';

export { publicBaseUrl } from '@tandem/core';

/**
 * Browser sessions must pass the CSRF check on state-changing methods: an `X-CSRF-Token` header
 * equal to the session's token (a cross-site form cannot send headers).
 */
const resolveOnce = memoisedRequestAuth<AuthContext>({
  safeMethods: ['GET', 'HEAD', 'OPTIONS'],
  header: 'x-csrf-token',
  failed: () => errors.csrf_check_failed(),
});

/** The caller of this request, resolved once per request (with the CSRF check above). */
export function requestAuth(auth: AuthService, request: FastifyRequest): Promise<AuthContext | undefined> {
  return resolveOnce(request, () =>
    auth.authenticate({ authorization: request.headers.authorization, sessionToken: request.cookies?.[SESSION_COOKIE] }),
  );
}

export async function requireUser(auth: AuthService, request: FastifyRequest): Promise<AuthContext> {
  const context = await requestAuth(auth, request);
  if (!context) throw errors.unauthenticated();
  return context;
}
