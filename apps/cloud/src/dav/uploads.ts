import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../errors.ts';
import { baseName, decodeUrlPath, parentOf } from '../files/paths.ts';
import { uploadsStorage } from '../files/service.ts';
import type { FileUser } from '../files/types.ts';
import type { CloudServices } from '../services.ts';
import { del, mkcol, options, propfind, put, writeHeaders, type DavContext } from './files-handlers.ts';
import { destinationPath, header, parseMtime } from './http.ts';

export interface DavTreeRequest {
  services: CloudServices;
  request: FastifyRequest;
  reply: FastifyReply;
  user: FileUser;
  /** `…/remote.php/dav/<tree>/<user>/` */
  base: string;
  /** Raw (encoded) path below `base`. */
  tail: string;
  instanceId: string;
  basePath: string;
}

/** Upload folders untouched this long are removed by the `files.cleanup-uploads` job. */
export const UPLOAD_TTL_MS = 24 * 3600_000;

/**
 * Chunked uploads v1 (nextcloudcmd: `0000000000000000`, …) and v2 (`1`…`10000`, `Destination` on every
 * request). Staging lives in the user's `uploads::` storage; `MOVE …/.file` concatenates the chunks in
 * numeric (or name) order into the target, keeping its file id, and removes the staging folder.
 */
export async function uploadsRequest(tree: DavTreeRequest): Promise<FastifyReply> {
  const { services, request, reply, user } = tree;
  const path = decodeUrlPath(tree.tail);
  const view = await services.files.storageView(user, uploadsStorage(user.id));
  const ctx: DavContext = {
    request,
    reply,
    view,
    hrefBase: tree.base,
    path,
    rawPath: tree.base + path,
    instanceId: tree.instanceId,
    destination: () => {
      throw errors.file_forbidden();
    },
  };
  const v2 = request.headers.destination !== undefined;
  switch (request.method) {
    case 'OPTIONS':
      return options(ctx);
    case 'PROPFIND':
      return propfind(ctx);
    case 'MKCOL':
      if (path.includes('/')) throw errors.file_forbidden({}, 'Upload folders cannot be nested');
      return mkcol(ctx);
    case 'PUT': {
      if (!path.includes('/')) throw errors.file_forbidden({}, `Permission denied to create file (filename ${path})`);
      const name = baseName(path);
      if (v2 && !(/^\d+$/.test(name) && Number(name) >= 1 && Number(name) <= 10000)) {
        throw errors.dav_bad_request({}, 'Invalid chunk name, must be numeric between 1 and 10000');
      }
      return put(ctx);
    }
    case 'DELETE':
      return del(ctx);
    case 'MOVE':
      if (baseName(path) !== '.file' || parentOf(path) === '' || parentOf(path).includes('/')) throw errors.file_forbidden({}, 'Only …/.file can be moved out of an upload folder');
      return assemble(tree, parentOf(path));
    default:
      throw errors.not_implemented();
  }
}

async function assemble(tree: DavTreeRequest, folder: string): Promise<FastifyReply> {
  const { services, request, reply, user } = tree;
  const uploads = await services.files.storageView(user, uploadsStorage(user.id));
  const dir = await uploads.get(folder);
  const chunks = (await uploads.list(dir, 1)).slice(1).filter((c) => c.node.kind === 'file' && c.node.name !== '.file');
  const numeric = chunks.every((c) => /^\d+$/.test(c.node.name));
  chunks.sort((a, b) => (numeric ? Number(a.node.name) - Number(b.node.name) : a.node.name < b.node.name ? -1 : 1));
  const total = chunks.reduce((sum, c) => sum + c.node.size, 0);
  const expected = header(request, 'oc-total-length');
  if (expected !== undefined && Number(expected) !== total) {
    throw errors.dav_bad_request({}, `Chunks on server do not sum up to ${expected} but to ${total} bytes`);
  }
  const target = destinationPath(request, `${tree.basePath}/remote.php/dav/files/${user.id}/`);
  const files = await services.files.viewFor(user);
  const mtime = parseMtime(request);
  const keys = chunks.map((c) => c.node.blob).filter((k): k is string => !!k);
  const result = await files.write(target, () => services.files.blobs.concat(keys), {
    mtime,
    checksum: header(request, 'oc-checksum')?.trim() || undefined,
    ifMatch: header(request, 'if-match'),
    ifNoneMatch: header(request, 'if-none-match'),
  });
  await services.files.purge(dir.node);
  writeHeaders({ reply, instanceId: tree.instanceId } as DavContext, result.info);
  if (mtime !== undefined) reply.header('x-oc-mtime', 'accepted');
  return reply.status(result.created ? 201 : 204).header('content-type', 'application/xml; charset=utf-8').header('content-length', 0).send();
}

/** The scheduled clean-up of abandoned upload folders. */
export async function cleanupUploads(services: CloudServices, now = Date.now()): Promise<number> {
  const stale = await services.files.repository.staleTopFolders('uploads::', Math.floor((now - UPLOAD_TTL_MS) / 1000));
  for (const node of stale) await services.files.purge(node);
  return stale.length;
}
