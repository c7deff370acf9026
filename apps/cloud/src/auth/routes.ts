import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sessionCookieOptions } from '@tandem/core';
import { errors } from '../errors.ts';
import type { CloudServices } from '../services.ts';
import { requireUser } from '../http/request-auth.ts';
import { SESSION_COOKIE } from './service.ts';

const LoginBody = z.object({ user: z.string().min(1), password: z.string().min(1) });

/** The browser-session cookie, set by every page that logs a user in (web UI, login flow). */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: { token: string; expiresAt: number }): void {
  reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(request, session.expiresAt));
}

/** Browser sessions for the web UI: log in, who am I (with the CSRF token), log out. */
export function sessionRoutes(app: FastifyInstance, services: CloudServices): void {
  app.post('/api/session', async (request, reply) => {
    const body = LoginBody.safeParse(request.body);
    if (!body.success) throw errors.invalid_input({ issues: body.error.issues.map((i) => i.path.join('.')) });
    const context = await services.auth.login(body.data.user, body.data.password, request.ip);
    const session = await services.auth.createSession(context.user.id);
    setSessionCookie(request, reply, session);
    return { user: { id: context.user.id, displayName: context.user.display_name }, requesttoken: session.csrfToken };
  });

  app.get('/api/session', async (request) => {
    const context = await requireUser(services.auth, request);
    return {
      user: { id: context.user.id, displayName: context.user.display_name, email: context.user.email },
      isAdmin: await services.users.isAdmin(context.user.id),
      requesttoken: context.csrfToken ?? null,
    };
  });

  app.delete('/api/session', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await services.auth.endSession(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });
}
