import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authorizationErrorRedirect, parseClientCredentials, safeEqual, type AuthorizationParams } from '@tandem/core';
import { SESSION_COOKIE } from '../auth/service.ts';
import { errors } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import type { CloudServices } from '../services.ts';
import { nextcloudTokenBody, nextcloudTokenError } from './presenter.ts';
import { consentPage, errorPage, unknownClientPage } from './pages.ts';

/** Nextcloud serves its apps with and without `index.php`; OpenProject uses the long form. */
const PREFIXES = ['/index.php/apps/oauth2', '/apps/oauth2'];

const optional = z.string().optional();
const AuthorizeParams = z.object({
  response_type: optional,
  client_id: optional,
  redirect_uri: optional,
  state: optional,
  scope: optional,
  code_challenge: optional,
  code_challenge_method: optional,
});
const ConsentBody = AuthorizeParams.extend({ requesttoken: optional, decision: optional });
const TokenBody = z.object({
  grant_type: optional,
  code: optional,
  redirect_uri: optional,
  code_verifier: optional,
  refresh_token: optional,
  scope: optional,
  client_id: optional,
  client_secret: optional,
});
const NewClient = z.object({ name: z.string(), redirectUri: z.string() });

export function oauthRoutes(app: FastifyInstance, services: CloudServices): void {
  for (const prefix of PREFIXES) {
    app.get(`${prefix}/authorize`, (request, reply) => authorize(services, request, reply, request.query));
    app.post(`${prefix}/authorize`, (request, reply) => authorize(services, request, reply, request.body));
    app.post(`${prefix}/api/v1/token`, (request, reply) => token(services, request, reply));
  }

  app.get('/index.php/apps/oauth2/clients', async (request) => {
    await requireAdmin(services, request);
    return services.oauth.listClients();
  });

  app.post('/index.php/apps/oauth2/clients', async (request) => {
    await requireAdmin(services, request);
    const body = NewClient.safeParse(request.body);
    if (!body.success) throw errors.invalid_input({ issues: body.error.issues.map((i) => i.path.join('.')) });
    return services.oauth.createClient(body.data.name, body.data.redirectUri);
  });

  app.delete('/index.php/apps/oauth2/clients/:id', async (request) => {
    await requireAdmin(services, request);
    const id = Number((request.params as { id: string }).id);
    if (!Number.isSafeInteger(id)) throw errors.oauth_client_not_found();
    await services.oauth.deleteClient({ id });
    return [];
  });
}

async function requireAdmin(services: CloudServices, request: FastifyRequest): Promise<void> {
  const context = await requireUser(services.auth, request);
  if (!(await services.users.isAdmin(context.user.id))) throw errors.admin_required();
}

/**
 * GET shows the consent page (after the login page, if needed); POST is that page's form: it must
 * carry the session's requesttoken, then redirects to the client with `state` and `code`.
 */
async function authorize(services: CloudServices, request: FastifyRequest, reply: FastifyReply, input: unknown) {
  const parsed = (request.method === 'POST' ? ConsentBody : AuthorizeParams).safeParse(input ?? {});
  if (!parsed.success) return errorPage(reply, 400, 'The authorization request is malformed.');
  const params: AuthorizationParams & { requesttoken?: string; decision?: string } = parsed.data;
  const validated = await services.oauth.validateAuthorization(params);
  if (!validated.ok) {
    const failure = validated.failure;
    if (failure.reason === 'unknown_client') return unknownClientPage(reply);
    if (!failure.redirectable) return errorPage(reply, 400, failure.description);
    return reply.redirect(authorizationErrorRedirect(failure, params.state), 303);
  }
  const sessionToken = request.cookies[SESSION_COOKIE];
  const context = sessionToken ? await services.auth.authenticate({ sessionToken }, request.ip) : undefined;
  const authorizeUrl = `${request.url.split('?')[0]}?${new URLSearchParams(authorizeFields(params))}`;
  if (!context) return reply.redirect(`/login?redirect_url=${encodeURIComponent(authorizeUrl)}`, 303);

  const authorization = validated.value;
  if (request.method === 'GET') {
    return consentPage(reply, {
      action: request.url.split('?')[0]!,
      clientName: authorization.client.name,
      user: { id: context.user.id, displayName: context.user.display_name },
      redirectUri: authorization.redirectUri,
      fields: { ...authorizeFields(params), requesttoken: context.csrfToken },
    });
  }
  if (!params.requesttoken || !context.csrfToken || !safeEqual(params.requesttoken, context.csrfToken)) {
    return errorPage(reply, 412, 'The form has expired or did not come from this site. Go back and try again.');
  }
  if (params.decision !== 'grant') {
    const denied = { error: 'access_denied', description: 'The user denied access' } as const;
    return reply.redirect(authorizationErrorRedirect(denied, authorization.state, authorization.redirectUri), 303);
  }
  return reply.redirect(await services.oauth.grant(authorization, context.user.id), 303);
}

/** The authorization request's own parameters (those that were sent), to repeat in a URL or form. */
function authorizeFields(params: AuthorizationParams): Record<string, string> {
  const keys = Object.keys(AuthorizeParams.shape) as (keyof AuthorizationParams)[];
  return Object.fromEntries(keys.flatMap((key) => (params[key] === undefined ? [] : [[key, params[key]]])));
}

/** Nextcloud's token endpoint: client credentials by Basic or in the body; errors are 400 `{"error": …}`. */
async function token(services: CloudServices, request: FastifyRequest, reply: FastifyReply) {
  reply.header('cache-control', 'no-cache, no-store, must-revalidate').header('pragma', 'no-cache');
  const delay = await services.auth.throttleAttempt(request.ip);
  if (delay > 0) reply.header('x-nextcloud-bruteforce-throttled', `${delay}ms`);
  const body = TokenBody.safeParse(request.body ?? {});
  const result = body.success
    ? await services.oauth.token(parseClientCredentials(request.headers.authorization, body.data), body.data)
    : undefined;
  if (!result?.ok) {
    // Only guessing client secrets counts as an attack: a stale refresh token of a genuine client must not
    // slow down (or lock out) a busy server that refreshes for many users from one address.
    if (result?.failure.error === 'invalid_client') await services.auth.recordFailedAttempt(request.ip, 'oauth2GetToken');
    return reply.status(400).send({ error: result ? nextcloudTokenError(result.failure) : 'invalid_request' });
  }
  return nextcloudTokenBody(result.value);
}
