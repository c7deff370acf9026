import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authorizationErrorRedirect, parseClientCredentials, redirectWith, type AuthorizationParams } from '@tandem/core';
import { API_V3 } from '../api/hal.ts';
import { idParam, jsonBody } from '../api/http.ts';
import { setSessionCookie } from '../auth/routes.ts';
import { SESSION_COOKIE } from '../auth/service.ts';
import { constraintViolation } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import type { ProjectsServices } from '../services.ts';
import { displayName } from '../users/service.ts';
import { INVALID_REDIRECT_URI, describe, describeError, errorResponse, tokenResponse } from './doorkeeper.ts';
import { consentPage, errorPage, loginPage } from './pages.ts';
import { applicationResource } from './presenter.ts';
import type { OAuthApplicationRow } from './repository.ts';
import type { ApplicationInput } from './service.ts';

type Form = Record<string, string | undefined>;
const AUTHORIZATION_FIELDS = ['client_id', 'redirect_uri', 'response_type', 'state', 'scope', 'code_challenge', 'code_challenge_method'] as const;

const pick = (source: unknown, keys: readonly string[]): Form => {
  const input = (source ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, typeof input[k] === 'string' ? (input[k] as string) : undefined]));
};

/** Only same-origin paths are followed after signing in (no open redirects). */
const safeBackUrl = (value: unknown) => (typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/');

const ApplicationBody = z.object({
  name: z.string().optional(),
  redirectUri: z.union([z.string(), z.array(z.string())]).optional(),
  confidential: z.boolean().optional(),
  scopes: z.array(z.string()).optional(),
});

function applicationInput(body: Record<string, unknown>): ApplicationInput {
  const parsed = ApplicationBody.safeParse(body);
  if (!parsed.success) throw constraintViolation([{ attribute: String(parsed.error.issues[0]?.path[0] ?? 'base'), message: 'OAuth application is invalid.' }]);
  const { redirectUri, ...rest } = parsed.data;
  const uris = redirectUri === undefined ? undefined : (Array.isArray(redirectUri) ? redirectUri : redirectUri.split('\n')).map((u) => u.trim()).filter(Boolean);
  return { ...rest, redirectUris: uris };
}

/**
 * OpenProject's OAuth 2 provider endpoints (Doorkeeper wire format): `/oauth/authorize` (consent
 * page), `/oauth/token`, `/oauth/revoke`; a sign-in page for the flow; the admin's JSON API for
 * applications and API v3 `GET /oauth_applications/{id}`.
 */
export function oauthRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { oauth, auth } = services;
  const provider = oauth.provider;

  const sessionUser = async (request: FastifyRequest) =>
    request.cookies[SESSION_COOKIE] ? auth.authenticate({ sessionToken: request.cookies[SESSION_COOKIE] }) : undefined;
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.status(status).header('Cache-Control', 'no-store').header('X-Frame-Options', 'DENY').type('text/html; charset=utf-8').send(body);

  app.get('/oauth/login', async (request, reply) => html(reply, 200, loginPage(safeBackUrl((request.query as Form).back_url))));

  app.post('/oauth/login', async (request, reply) => {
    const form = pick(request.body, ['username', 'password', 'back_url']);
    const backUrl = safeBackUrl(form.back_url);
    const user = form.username && form.password ? await auth.login(form.username, form.password).catch(() => undefined) : undefined;
    if (!user) return html(reply, 401, loginPage(backUrl, 'Invalid user or password'));
    setSessionCookie(request, reply, await auth.createSession(user.id));
    return reply.redirect(backUrl, 303);
  });

  /** Validate an authorization request; answer the failure (page or redirect) or return it checked. */
  async function checkedAuthorization(params: AuthorizationParams, reply: FastifyReply) {
    const result = await provider.validateAuthorization(params);
    if (result.ok) return result.value;
    if (result.failure.redirectable) {
      await reply.redirect(authorizationErrorRedirect({ ...result.failure, description: describe(result.failure) }, params.state));
    } else {
      const message = result.failure.reason === 'redirect_uri_mismatch' || result.failure.reason === 'redirect_uri_required'
        ? INVALID_REDIRECT_URI
        : describe(result.failure);
      await html(reply, 400, errorPage(message));
    }
    return undefined;
  }

  app.get('/oauth/authorize', async (request, reply) => {
    const params = pick(request.query, AUTHORIZATION_FIELDS);
    const checked = await checkedAuthorization(params, reply);
    if (!checked) return reply;
    const context = await sessionUser(request);
    if (!context) return reply.redirect(`/oauth/login?back_url=${encodeURIComponent(request.url)}`);
    return html(
      reply,
      200,
      consentPage({
        applicationName: checked.client.name,
        scopes: checked.scope.split(' ').filter(Boolean),
        userName: displayName(context.user),
        hidden: params,
        authenticityToken: context.csrfToken!,
      }),
    );
  });

  app.post('/oauth/authorize', async (request, reply) => {
    const form = pick(request.body, [...AUTHORIZATION_FIELDS, 'authenticity_token', 'decision']);
    const checked = await checkedAuthorization(form, reply);
    if (!checked) return reply;
    const context = await sessionUser(request);
    if (!context) return reply.redirect(`/oauth/login?back_url=${encodeURIComponent(`/oauth/authorize?${new URLSearchParams(pick(form, AUTHORIZATION_FIELDS) as Record<string, string>)}`)}`, 303);
    // The consent form carries the session's CSRF token: a cross-site form post cannot know it.
    if (form.authenticity_token !== context.csrfToken) return html(reply, 422, errorPage('Your request could not be verified. Please go back and try again.'));
    if (form.decision !== 'authorize') {
      return reply.redirect(authorizationErrorRedirect({ error: 'access_denied', description: describeError('access_denied'), redirectUri: checked.redirectUri }, checked.state), 302);
    }
    const code = await provider.issueCode(checked, String(context.user.id));
    return reply.redirect(redirectWith(checked.redirectUri, { code, state: checked.state }), 302);
  });

  app.post('/oauth/token', async (request, reply) => {
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    // Doorkeeper's enforce_content_type: token requests are form-encoded.
    if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return reply.status(400).send({ error: 'invalid_request', error_description: describeError('invalid_request') });
    }
    const form = pick(request.body, ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'client_id', 'client_secret']);
    const credentials = parseClientCredentials(request.headers.authorization, form);
    const result = await provider.token(credentials, form);
    if (!result.ok) {
      const { status, body } = errorResponse(result.failure, 'token');
      return reply.status(status).send(body);
    }
    return tokenResponse(result.value);
  });

  app.post('/oauth/revoke', async (request, reply) => {
    // The Nextcloud app sends the token in the query string with an empty body.
    const form = { ...pick(request.query, ['token', 'token_type_hint']), ...stripUndefined(pick(request.body, ['token', 'token_type_hint', 'client_id', 'client_secret'])) };
    const credentials = parseClientCredentials(request.headers.authorization, form);
    const result = await provider.revoke(credentials, form);
    if (!result.ok) {
      const { status, body } = errorResponse(result.failure, 'revoke');
      return reply.status(status).send(body);
    }
    return {};
  });

  // --- Administration of applications (admins only) ---

  const present = async (row: OAuthApplicationRow, clientSecret?: string) =>
    applicationResource(row, row.owner_id === null ? undefined : await services.users.find(row.owner_id), clientSecret);
  const admin = async (request: FastifyRequest) => {
    const { user } = await requireUser(auth, request);
    services.permissions.requireAdmin(user);
    return user;
  };

  app.get(`${API_V3}/oauth_applications/:id`, async (request) => {
    await admin(request);
    return present(await oauth.getApplication(idParam(request)));
  });

  app.get('/api/admin/oauth_applications', async (request) => {
    await admin(request);
    return { applications: await Promise.all((await oauth.listApplications()).map((row) => present(row))) };
  });

  app.post('/api/admin/oauth_applications', async (request, reply) => {
    const user = await admin(request);
    const { application, clientSecret } = await oauth.createApplication(user.id, applicationInput(jsonBody(request)));
    return reply.status(201).send(await present(application, clientSecret));
  });

  app.get('/api/admin/oauth_applications/:id', async (request) => {
    await admin(request);
    return present(await oauth.getApplication(idParam(request)));
  });

  app.patch('/api/admin/oauth_applications/:id', async (request) => {
    await admin(request);
    return present(await oauth.updateApplication(idParam(request), applicationInput(jsonBody(request))));
  });

  app.post('/api/admin/oauth_applications/:id/secret', async (request) => {
    await admin(request);
    const { application, clientSecret } = await oauth.regenerateSecret(idParam(request));
    return present(application, clientSecret);
  });

  app.delete('/api/admin/oauth_applications/:id', async (request, reply) => {
    await admin(request);
    await oauth.deleteApplication(idParam(request));
    return reply.status(204).send();
  });

}

function stripUndefined(form: Form): Form {
  return Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined));
}
