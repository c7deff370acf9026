import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '@tandem/core';
import { errors } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import { InvalidPathError, decodeUrlPath } from '../files/paths.ts';
import type { FileUser } from '../files/types.ts';
import type { CloudServices } from '../services.ts';
import { del, fakeLock, get, mkcol, moveOrCopy, options, propfind, proppatch, put, type DavContext } from './files-handlers.ts';
import { SECURITY_HEADERS, destinationPath, sendXml } from './http.ts';
import { uploadsRequest, type DavTreeRequest } from './uploads.ts';
import { report, search } from './search.ts';
import { trashbinRequest } from '../trash/dav.ts';
import { MULTISTATUS_CLOSE, MULTISTATUS_OPEN, sabreError } from './xml.ts';

export type DavTreeHandler = (tree: DavTreeRequest) => Promise<FastifyReply>;
const extraTrees = new Map<string, DavTreeHandler>();

/**
 * Another module's DAV tree at `/remote.php/dav/<name>/{user}/…` (e.g. `groupfolders`). The caller is
 * authenticated and `{user}` checked to be them; errors render as Sabre XML.
 */
export function registerDavTree(name: string, handler: DavTreeHandler): void {
  extraTrees.set(name, handler);
}

export const DAV_METHODS = ['PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'REPORT', 'SEARCH'] as const;
const ALL_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'POST', ...DAV_METHODS];

const SABRE: Record<number, string> = {
  400: 'Sabre\\DAV\\Exception\\BadRequest',
  401: 'Sabre\\DAV\\Exception\\NotAuthenticated',
  403: 'Sabre\\DAV\\Exception\\Forbidden',
  404: 'Sabre\\DAV\\Exception\\NotFound',
  405: 'Sabre\\DAV\\Exception\\MethodNotAllowed',
  409: 'Sabre\\DAV\\Exception\\Conflict',
  412: 'Sabre\\DAV\\Exception\\PreconditionFailed',
  413: 'Sabre\\DAV\\Exception\\EntityTooLarge',
  415: 'Sabre\\DAV\\Exception\\UnsupportedMediaType',
  416: 'Sabre\\DAV\\Exception\\RequestedRangeNotSatisfiable',
  423: 'OCA\\DAV\\Connector\\Sabre\\Exception\\FileLocked',
  429: 'Sabre\\DAV\\Exception\\TooManyRequests',
  501: 'Sabre\\DAV\\Exception\\NotImplemented',
  507: 'Sabre\\DAV\\Exception\\InsufficientStorage',
};

const NOT_AUTHENTICATED =
  "No public access to this resource., No 'Authorization: Basic' header found. Either the client didn't send one, or the server is misconfigured, No 'Authorization: Basic' header found. Either the client didn't send one, or the server is misconfigured";

/** Render any error of the DAV scope as Sabre exception XML. */
function renderError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status = 500;
  let message = 'Internal Server Error';
  if (error instanceof InvalidPathError) {
    status = 400;
    message = 'Invalid path';
  } else if (isAppError(error)) {
    status = error.status;
    message = error.code === 'unauthenticated' || error.code === 'invalid_credentials' ? NOT_AUTHENTICATED : error.message;
  } else {
    const code = (error as FastifyError).statusCode;
    if (code && code >= 400 && code < 500) {
      status = code;
      message = error.message;
    } else request.log.error({ err: error }, 'DAV request failed');
  }
  if (status === 401) reply.header('www-authenticate', 'Basic realm="Nextcloud", charset="UTF-8"');
  if (request.method === 'HEAD') return reply.status(status).send();
  const exception = SABRE[status] ?? (status >= 500 ? 'Internal Server Error' : 'Sabre\\DAV\\Exception');
  return sendXml(reply, status, sabreError(exception, message));
}

/** The URL path before decoding, without query string. */
const rawPathOf = (request: FastifyRequest) => {
  const url = request.raw.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
};

function decodeUser(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new InvalidPathError(segment);
  }
}

/**
 * Nextcloud's WebDAV: `/remote.php/dav/files/{user}/…`, `/remote.php/webdav/…`, chunked-upload staging
 * under `/remote.php/dav/uploads/{user}/…` and the trash bin under `/remote.php/dav/trashbin/{user}/…`.
 * Bodies stay unread streams here (PUT streams straight to disk).
 */
export async function davRoutes(app: FastifyInstance, services: CloudServices): Promise<void> {
  for (const method of DAV_METHODS) app.addHttpMethod(method, { hasBody: true, overrideExisting: true });
  let instanceId: Promise<string> | undefined;
  const basePath = services.config.publicUrl ? new URL(services.config.publicUrl).pathname.replace(/\/+$/, '') : '';

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.setErrorHandler(renderError);
    scope.addHook('onRequest', async (request, reply) => {
      reply.headers(SECURITY_HEADERS).header('x-request-id', request.id);
    });

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = rawPathOf(request);
      const auth = await requireUser(services.auth, request);
      const user: FileUser = { id: auth.user.id, displayName: auth.user.display_name, quota: auth.user.quota };
      instanceId ??= services.settings.instanceId();
      const iid = await instanceId;
      const segments = raw.split('/');
      // segments: ['', 'remote.php', 'dav' | 'webdav', …]
      if (segments[2] === 'webdav') {
        return filesRequest(request, reply, user, `${basePath}/remote.php/webdav/`, segments.slice(3).join('/'), iid);
      }
      const tree = segments[3];
      if (tree === undefined || tree === '') return davRoot(request, reply, user, iid);
      const owner = decodeUser(segments[4] ?? '');
      if (tree === 'files' || tree === 'uploads' || tree === 'trashbin' || extraTrees.has(tree)) {
        // Another user's tree is simply not there for this caller.
        if (owner === '' || owner.toLowerCase() !== user.id.toLowerCase()) {
          if (owner === '' && tree === 'files' && request.method === 'PROPFIND') throw errors.file_not_found({}, 'Principal not found');
          throw errors.file_not_found({}, `Principal with name ${owner} not found`);
        }
      }
      const base = `${basePath}/remote.php/dav/${tree}/${user.id}/`;
      const tail = segments.slice(5).join('/');
      if (tree === 'files') return filesRequest(request, reply, user, base, tail, iid);
      if (tree === 'uploads') return uploadsRequest({ services, request, reply, user, base, tail, instanceId: iid, basePath });
      if (tree === 'trashbin') return trashbinRequest({ services, request, reply, user, base, tail, instanceId: iid, basePath });
      const extra = extraTrees.get(tree);
      if (extra) return extra({ services, request, reply, user, base, tail, instanceId: iid, basePath });
      throw errors.file_not_found({}, `File with name ${tree} could not be located`);
    };

    const filesRequest = async (request: FastifyRequest, reply: FastifyReply, user: FileUser, hrefBase: string, tail: string, iid: string) => {
      const path = decodeUrlPath(tail);
      const view = await services.files.viewFor(user);
      const ctx: DavContext = {
        request,
        reply,
        view,
        hrefBase,
        path,
        rawPath: decodeURIComponent(hrefBase + tail),
        instanceId: iid,
        destination: () => destinationPath(request, hrefBase),
      };
      switch (request.method) {
        case 'OPTIONS':
          return options(ctx);
        case 'LOCK':
        case 'UNLOCK':
          return fakeLock(ctx);
        case 'PROPFIND':
          return propfind(ctx);
        case 'PROPPATCH':
          return proppatch(ctx);
        case 'GET':
          return get(ctx, false);
        case 'HEAD':
          return get(ctx, true);
        case 'PUT':
          return put(ctx);
        case 'MKCOL':
          return mkcol(ctx);
        case 'DELETE':
          return del(ctx);
        case 'MOVE':
          return moveOrCopy(ctx, false);
        case 'COPY':
          return moveOrCopy(ctx, true);
        case 'REPORT':
          await report(ctx);
          return reply;
        default:
          throw errors.not_implemented();
      }
    };

    /** `/remote.php/dav` itself: OpenProject checks app passwords with `HEAD`. */
    const davRoot = async (request: FastifyRequest, reply: FastifyReply, user: FileUser, iid: string) => {
      if (request.method === 'OPTIONS') return options({ reply });
      if (request.method === 'SEARCH') {
        await search({ request, reply, view: await services.files.viewFor(user), instanceId: iid }, basePath);
        return reply;
      }
      if (request.method === 'PROPFIND') {
        const href = `${basePath}/remote.php/dav/`;
        return sendXml(
          reply,
          207,
          `${MULTISTATUS_OPEN}<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>${MULTISTATUS_CLOSE}`,
        );
      }
      if (request.method === 'GET' || request.method === 'HEAD') {
        return reply.status(200).header('content-type', 'text/plain; charset=utf-8').send(request.method === 'HEAD' ? undefined : 'This is the WebDAV interface.');
      }
      throw errors.not_implemented();
    };

    for (const url of ['/remote.php/dav', '/remote.php/dav/*', '/remote.php/webdav', '/remote.php/webdav/*']) {
      scope.route({ method: ALL_METHODS, url, exposeHeadRoute: false, handler });
    }
  });
}
