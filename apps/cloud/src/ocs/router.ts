import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { isAppError } from '@tandem/core';
import type { AuthContext } from '../auth/service.ts';
import { publicBaseUrl, requestAuth } from '../http/request-auth.ts';
import { acceptEmptyJson } from '../http/json-body.ts';
import type { CloudServices } from '../services.ts';
import {
  OCS_NOT_FOUND,
  OCS_OK,
  OCS_SERVER_ERROR,
  OCS_UNAUTHORISED,
  ROUTE_NOT_FOUND_MESSAGE,
  renderOcs,
  type OcsFormat,
  type OcsOutcome,
  type OcsStyle,
  type OcsVersion,
} from './envelope.ts';

/** A failure with an explicit OCS status code (the provisioning API's 101…109, 403, 404, 998 …). */
export class OcsError extends Error {
  constructor(
    readonly statuscode: number,
    message = '',
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'OcsError';
  }
}

/** Wrong Basic credentials: answered by the "login layer" (legacy 997 `Unauthorised`). */
class OcsLoginFailure extends Error {}

/** A successful answer with paging hints or a status other than plain OK. */
export class OcsResult {
  constructor(
    readonly data: unknown,
    readonly options: { totalitems?: number; itemsperpage?: number } = {},
  ) {}
}

export interface OcsMount {
  prefix: string;
  version: OcsVersion;
}

/** `/ocs/v1.php<path>` and `/ocs/v2.php<path>`, e.g. `ocsMounts('/apps/integration_openproject')`. */
export function ocsMounts(path = '', versions: OcsVersion[] = [1, 2]): OcsMount[] {
  return versions.map((version) => ({ prefix: `/ocs/v${version}.php${path}`, version }));
}

/** Who may call a route: anyone, any signed-in user, or administrators only. */
export type OcsAccess = 'public' | 'user' | 'admin';

export interface OcsContext {
  request: FastifyRequest;
  reply: FastifyReply;
  version: OcsVersion;
  format: OcsFormat;
  services: CloudServices;
  /** The caller; always set on `user` and `admin` routes. */
  auth: AuthContext | undefined;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  /** A request parameter from the body, else the query string (Nextcloud merges both). */
  param(name: string): unknown;
  /** Public base URL of this Cloud (`CLOUD_URL`, else what the client used). */
  baseUrl: string;
}

/** Route handlers return the `data` of the envelope (or an `OcsResult`), or throw `OcsError`/`AppError`. */
export type OcsHandler = (ctx: OcsContext & { auth: AuthContext }) => Promise<unknown>;
export type OcsPublicHandler = (ctx: OcsContext) => Promise<unknown>;

interface RouteDef {
  method: HTTPMethods;
  path: string;
  access: OcsAccess;
  handler: OcsPublicHandler;
}

export interface OcsRouter {
  public(method: HTTPMethods, path: string, handler: OcsPublicHandler): void;
  user(method: HTTPMethods, path: string, handler: OcsHandler): void;
  admin(method: HTTPMethods, path: string, handler: OcsHandler): void;
}

export interface RegisterOcsOptions {
  /** Answer unknown routes under each prefix with OCS 998 (only one module may do so per prefix). */
  notFound?: boolean;
}

/**
 * Mount OCS routes under each prefix, each in its own encapsulated scope that renders every answer
 * and every error as an OCS envelope of that mount's version. Other modules use this for their OCS
 * APIs (`/ocs/v{1,2}.php/apps/<app>/…`, the groupfolders app's v1 envelope on `/index.php/apps/…`).
 */
export async function registerOcs(
  app: FastifyInstance,
  services: CloudServices,
  mounts: OcsMount[],
  define: (router: OcsRouter) => void,
  options: RegisterOcsOptions = {},
): Promise<void> {
  const routes: RouteDef[] = [];
  const add = (access: OcsAccess) => (method: HTTPMethods, path: string, handler: OcsPublicHandler | OcsHandler) =>
    routes.push({ method, path, access, handler: handler as OcsPublicHandler });
  define({ public: add('public'), user: add('user'), admin: add('admin') });

  for (const mount of mounts) {
    await app.register(
      async (scope) => {
        scope.setErrorHandler((error, request, reply) => sendError(services, mount.version, error, request, reply));
        acceptEmptyJson(scope, () => new OcsError(400, 'Invalid JSON body'));
        if (options.notFound) {
          scope.setNotFoundHandler(async (request, reply) => {
            // Nextcloud logs the caller in before it looks for the route: bad Basic credentials win.
            await resolveAuth(services, request);
            return send(reply, mount.version, legacyFormat(request), { statuscode: OCS_NOT_FOUND, message: ROUTE_NOT_FOUND_MESSAGE }, 'legacy');
          });
        }
        for (const route of routes) {
          scope.route({
            method: route.method,
            url: route.path,
            handler: async (request, reply) => {
              const auth = await resolveAuth(services, request);
              if (route.access !== 'public') {
                if (!auth) throw new OcsError(OCS_UNAUTHORISED, 'Current user is not logged in');
                if (route.access === 'admin' && !(await services.users.isAdmin(auth.user.id))) {
                  throw new OcsError(403, 'Logged in account must be an admin');
                }
              }
              if (auth) reply.header('X-User-Id', auth.user.id);
              const query = normalize(request.query);
              const body = normalize(request.body);
              const result = await route.handler({
                request,
                reply,
                version: mount.version,
                format: controllerFormat(request),
                services,
                auth,
                params: (request.params ?? {}) as Record<string, string>,
                query,
                body,
                param: (name) => body[name] ?? query[name],
                baseUrl: publicBaseUrl(services.config.publicUrl, request),
              });
              if (reply.sent || result === reply) return reply;
              const outcome: OcsOutcome =
                result instanceof OcsResult
                  ? { statuscode: OCS_OK, data: result.data, ...result.options }
                  : { statuscode: OCS_OK, data: result };
              return send(reply, mount.version, controllerFormat(request), outcome);
            },
          });
        }
      },
      { prefix: mount.prefix },
    );
  }
}

/**
 * The caller, as Nextcloud's OCS entry point sees it: wrong Basic credentials fail the request; an
 * invalid Bearer token counts as anonymous (the route then answers 997 if it needs a user); a browser
 * session counts only with `OCS-APIRequest: true` or its CSRF token (the OCS CSRF rule).
 */
async function resolveAuth(services: CloudServices, request: FastifyRequest): Promise<AuthContext | undefined> {
  let context: AuthContext | undefined;
  try {
    context = await requestAuth(services.auth, request);
  } catch (error) {
    if (isAppError(error) && error.code === 'invalid_credentials') {
      if (/^basic\s/i.test(request.headers.authorization ?? '')) throw new OcsLoginFailure();
      return undefined;
    }
    if (isAppError(error) && error.code === 'csrf_check_failed') return undefined;
    throw error;
  }
  if (context?.method === 'session' && !isOcsApiRequest(request) && request.headers.requesttoken !== context.csrfToken) {
    return undefined;
  }
  return context;
}

function isOcsApiRequest(request: FastifyRequest): boolean {
  return String(request.headers['ocs-apirequest'] ?? '').toLowerCase() === 'true';
}

/** App controllers: `format` parameter, else the first JSON/XML type in `Accept`, else XML. */
export function controllerFormat(request: FastifyRequest): OcsFormat {
  const explicit = (request.query as Record<string, unknown> | undefined)?.format ?? (request.body as Record<string, unknown> | undefined)?.format;
  if (explicit === 'json' || explicit === 'xml') return explicit;
  for (const part of String(request.headers.accept ?? '').split(',')) {
    const type = part.split(';')[0]!.trim().toLowerCase();
    if (type === 'application/json') return 'json';
    if (type === 'application/xml') return 'xml';
  }
  return 'xml';
}

/** The entry script looks at `?format` only. */
function legacyFormat(request: FastifyRequest): OcsFormat {
  return (request.query as Record<string, unknown> | undefined)?.format === 'json' ? 'json' : 'xml';
}

function send(reply: FastifyReply, version: OcsVersion, format: OcsFormat, outcome: OcsOutcome, style: OcsStyle = 'controller', status?: number) {
  const rendered = renderOcs(version, format, outcome, style);
  return reply
    .status(status ?? rendered.status)
    .header('Content-Type', rendered.contentType)
    .header('Cache-Control', 'no-cache, no-store, must-revalidate')
    .header('X-Content-Type-Options', 'nosniff')
    .send(rendered.body);
}

function sendError(services: CloudServices, version: OcsVersion, error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof OcsLoginFailure) {
    const dummy = request.headers['x-requested-with'] === 'XMLHttpRequest' ? 'Dummy' : '';
    reply.header('WWW-Authenticate', `${dummy}Basic realm="Authorisation Required"`);
    return send(reply, version, legacyFormat(request), { statuscode: OCS_UNAUTHORISED, message: 'Unauthorised' }, 'legacy');
  }
  const format = controllerFormat(request);
  if (error instanceof OcsError) return send(reply, version, format, { statuscode: error.statuscode, message: error.message, data: error.data });
  if (isAppError(error)) {
    if (error.status === 401) return send(reply, version, format, { statuscode: OCS_UNAUTHORISED, message: 'Current user is not logged in' });
    // Throttling must reach the client as HTTP 429 whatever the envelope version says.
    if (error.status === 429) return send(reply, version, format, { statuscode: 429, message: error.message }, 'controller', 429);
    if (error.status < 500) return send(reply, version, format, { statuscode: error.status, message: error.message });
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (!isAppError(error) && status && status >= 400 && status < 500) {
    return send(reply, version, format, { statuscode: status, message: (error as Error).message });
  }
  services.logger.error({ err: error, url: request.url }, 'OCS request failed');
  return send(reply, version, legacyFormat(request), { statuscode: OCS_SERVER_ERROR, message: 'Internal Server Error\n' }, 'legacy');
}

/** Form and query parameters: `groups[]=a&groups[]=b` arrives as `groups: ['a','b']`. */
function normalize(input: unknown): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.endsWith('[]')) out[key.slice(0, -2)] = Array.isArray(value) ? value : [value];
    else out[key] = value;
  }
  return out;
}
