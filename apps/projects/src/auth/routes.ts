import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sessionCookieOptions } from '@tandem/core';
import { isoTime } from '../api/hal.ts';
import { idParam, jsonBody } from '../api/http.ts';
import { constraintViolation } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import type { ProjectsServices } from '../services.ts';
import { userResource } from '../users/presenter.ts';
import type { ApiKeyRow } from './repository.ts';
import { SESSION_COOKIE } from './service.ts';

const LoginBody = z.object({ login: z.string().min(1), password: z.string().min(1) });
const ApiKeyBody = z.object({ name: z.string().max(255).optional() });

const apiKeyJson = (key: ApiKeyRow) => ({
  id: key.id,
  name: key.name,
  createdAt: isoTime(key.created_at),
  lastUsedAt: key.last_used_at === null ? null : isoTime(key.last_used_at),
});

/** The browser-session cookie: HTTP-only, same-site lax, secure behind HTTPS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: { token: string; expiresAt: number }): void {
  reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(request, session.expiresAt));
}

/**
 * JSON API for the web UI: browser sessions (log in, who am I with the CSRF token, log out) and
 * *My account* API keys (created here, shown once).
 */
export function sessionRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { auth } = services;

  app.post('/api/session', async (request, reply) => {
    const body = LoginBody.safeParse(jsonBody(request));
    if (!body.success) throw constraintViolation([{ attribute: 'login', message: "Login and password can't be blank." }]);
    const user = await auth.login(body.data.login, body.data.password);
    const session = await auth.createSession(user.id);
    setSessionCookie(request, reply, session);
    return { user: userResource(user, user), csrfToken: session.csrfToken };
  });

  app.get('/api/session', async (request) => {
    const context = await requireUser(auth, request);
    return { user: userResource(context.user, context.user), csrfToken: context.csrfToken ?? null };
  });

  app.delete('/api/session', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await auth.endSession(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/my/api_keys', async (request) => {
    const { user } = await requireUser(auth, request);
    return { apiKeys: (await auth.listApiKeys(user.id)).map(apiKeyJson) };
  });

  app.post('/api/my/api_keys', async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const body = ApiKeyBody.safeParse(request.body ?? {});
    if (!body.success) throw constraintViolation([{ attribute: 'name', message: 'Name is invalid.' }]);
    const { key, token } = await auth.createApiKey(user.id, body.data.name ?? 'API key');
    // The key itself is shown this once; only its hash is stored.
    return reply.status(201).send({ ...apiKeyJson(key), token });
  });

  app.delete('/api/my/api_keys/:id', async (request, reply) => {
    const { user } = await requireUser(auth, request);
    await auth.revokeApiKey(user.id, idParam(request));
    return reply.status(204).send();
  });
}
