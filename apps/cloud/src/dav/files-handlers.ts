import crypto from 'node:crypto';
import type http from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../errors.ts';
import type { FileView } from '../files/service.ts';
import type { FileInfo } from '../files/types.ts';
import { ALLOW_COLLECTION, ALLOW_FILE, DAV_HEADER, contentLength, hasBody, header, parseDepth, parseMtime, parseOverwrite, parseRange, readBody, sendXml } from './http.ts';
import { LIVE, PROP, PROTECTED, renderEncoded, renderResponse, type PropContext, type PropRequest } from './properties.ts';
import { MULTISTATUS_CLOSE, MULTISTATUS_OPEN, NS, XmlBuffer, elementChildren, encodeHrefPath, innerXml, isElement, nameOf, parseXml, propTags, textOf } from './xml.ts';
import type { Element } from '@xmldom/xmldom';

/** One DAV request against a files tree (`/remote.php/dav/files/{user}/…` or `/remote.php/webdav/…`). */
export interface DavContext {
  request: FastifyRequest;
  reply: FastifyReply;
  view: FileView;
  /** URL path of the tree's root, with trailing slash, not encoded (e.g. `/remote.php/dav/files/alice/`). */
  hrefBase: string;
  /** Decoded path inside the view. */
  path: string;
  /** Path as requested (PROPPATCH echoes it). */
  rawPath: string;
  instanceId: string;
  /** Resolve a `Destination` header into a path of this tree. */
  destination(): string;
}

export const hrefOf = (base: string, info: { path: string; node: { kind: string } }) =>
  base + info.path + (info.node.kind === 'dir' && info.path !== '' ? '/' : '');

export function ocFileId(id: number, instanceId: string): string {
  return `${String(id).padStart(8, '0')}${instanceId}`;
}

/** Parse a PROPFIND body: allprop (empty body), propname, or a list of property names. */
export function parsePropfind(body: string): PropRequest {
  if (body.trim() === '') return { kind: 'allprop' };
  const root = parseXml(body).documentElement;
  if (!isElement(root, NS.dav, 'propfind')) throw errors.dav_bad_request({}, 'The root element must be {DAV:}propfind');
  const first = elementChildren(root)[0];
  if (!first || isElement(first, NS.dav, 'allprop')) return { kind: 'allprop' };
  if (isElement(first, NS.dav, 'propname')) return { kind: 'propname' };
  if (isElement(first, NS.dav, 'prop')) return { kind: 'prop', names: elementChildren(first).map(nameOf) };
  throw errors.dav_bad_request({}, 'Unexpected element in propfind');
}

export function minimalResponse(request: FastifyRequest): boolean {
  const prefer = String(request.headers.prefer ?? '').toLowerCase();
  return prefer.includes('return=minimal') || String(request.headers.brief ?? '').toLowerCase() === 't';
}

export async function propContext(view: FileView, infos: FileInfo[], request: PropRequest, instanceId: string): Promise<PropContext> {
  const providers = view.files.propertyProviders;
  // Dead properties cost a query per 500 nodes: only load them when a requested name may be one.
  const needsDead =
    request.kind !== 'prop' || request.names.some((n) => n === PROP.favorite || (!LIVE.has(n) && !providers.some((p) => p.names.includes(n))));
  const dead = needsDead ? await view.deadProperties(infos) : new Map();
  const names = request.kind === 'prop' ? request.names : [];
  for (const provider of providers) {
    if (provider.prepare && names.some((n) => provider.names.includes(n))) await provider.prepare(view.user, infos, names);
  }
  const quotaFree = request.kind !== 'prop' || names.includes(PROP.quotaAvailable) ? await view.quotaFree() : undefined;
  const counts = names.includes(PROP.containedFolders) || names.includes(PROP.containedFiles) ? await view.childCounts(infos) : undefined;
  return { user: view.user, instanceId, dead, providers, quotaFree, ...(counts ? { childCounts: counts } : {}) };
}

export async function propfind(ctx: DavContext): Promise<FastifyReply> {
  const depth = parseDepth(ctx.request, 1);
  const props = parsePropfind(await readBody(ctx.request));
  const info = await ctx.view.get(ctx.path);
  const infos = await ctx.view.list(info, depth);
  const pctx = await propContext(ctx.view, infos, props, ctx.instanceId);
  const minimal = minimalResponse(ctx.request);
  const body = new XmlBuffer();
  body.append(MULTISTATUS_OPEN);
  body.append(renderResponse(hrefOf(ctx.hrefBase, info), info, props, pctx, minimal));
  // Everything listed lies below `info`: encode the folder's part of the href once, then each tail.
  const below = info.path === '' ? '' : `${info.path}/`;
  const encodedBelow = encodeHrefPath(ctx.hrefBase + below);
  for (let i = 1; i < infos.length; i += 1) {
    const item = infos[i]!;
    const href = encodedBelow + encodeHrefPath(item.path.slice(below.length)) + (item.node.kind === 'dir' ? '/' : '');
    body.append(renderEncoded(href, item, props, pctx, minimal));
  }
  body.append(MULTISTATUS_CLOSE);
  return sendXml(ctx.reply.header('dav', DAV_HEADER).header('vary', 'Brief,Prefer'), 207, body.toBuffer());
}

interface PatchOp {
  name: string;
  element: Element;
  remove: boolean;
}

export async function proppatch(ctx: DavContext): Promise<FastifyReply> {
  const root = parseXml(await readBody(ctx.request)).documentElement;
  if (!isElement(root, NS.dav, 'propertyupdate')) throw errors.dav_bad_request({}, 'The root element must be {DAV:}propertyupdate');
  const info = await ctx.view.get(ctx.path);
  const ops: PatchOp[] = [];
  for (const action of elementChildren(root)) {
    const remove = isElement(action, NS.dav, 'remove');
    if (!remove && !isElement(action, NS.dav, 'set')) continue;
    for (const prop of elementChildren(action).filter((e) => isElement(e, NS.dav, 'prop'))) {
      for (const element of elementChildren(prop)) ops.push({ name: nameOf(element), element, remove });
    }
  }
  const providers = ctx.view.files.propertyProviders;
  const statuses = new Map<string, number>();
  for (const op of ops) if (PROTECTED.has(op.name)) statuses.set(op.name, 403);
  const failed = statuses.size > 0;
  if (!failed) {
    const dead: { name: string; value: string | undefined }[] = [];
    for (const op of ops) {
      const provider = providers.find((p) => p.names.includes(op.name));
      if (provider?.set) statuses.set(op.name, await provider.set(ctx.view.user, info, op.name, op.remove ? undefined : op.element));
      else if (op.name === PROP.lastmodified && !op.remove) {
        const seconds = Number(textOf(op.element));
        if (Number.isFinite(seconds) && seconds > 0) await ctx.view.touch(info, Math.floor(seconds));
        statuses.set(op.name, 200);
      } else if ((op.name === PROP.creationTime || op.name === PROP.creationdate) && !op.remove) {
        const text = textOf(op.element);
        const ms = op.name === PROP.creationTime ? Number(text) * 1000 : Date.parse(text);
        if (Number.isFinite(ms) && ms >= 0) await ctx.view.setCreationTime(info, ms);
        statuses.set(op.name, 200);
      } else if (op.name === PROP.getetag && !op.remove) {
        await ctx.view.setEtag(info, textOf(op.element).replace(/^"|"$/g, ''));
        statuses.set(op.name, 200);
      } else {
        dead.push({ name: op.name, value: op.remove ? undefined : innerXml(op.element) });
        statuses.set(op.name, 200);
      }
    }
    if (dead.length) await ctx.view.patchDeadProperties(info, dead);
  } else {
    for (const op of ops) if (!statuses.has(op.name)) statuses.set(op.name, 424);
  }
  const byStatus = new Map<number, string[]>();
  for (const [name, status] of statuses) byStatus.set(status, [...(byStatus.get(status) ?? []), name]);
  const reason: Record<number, string> = { 200: 'OK', 403: 'Forbidden', 409: 'Conflict', 424: 'Failed Dependency' };
  let body = `${MULTISTATUS_OPEN}<d:response><d:href>${encodeHrefPath(ctx.rawPath)}</d:href>`;
  for (const [status, names] of byStatus) {
    body += `<d:propstat><d:prop>${names.map((n) => propTags(n).empty).join('')}</d:prop><d:status>HTTP/1.1 ${status} ${reason[status] ?? ''}</d:status></d:propstat>`;
  }
  body += `</d:response>${MULTISTATUS_CLOSE}`;
  return sendXml(ctx.reply.header('vary', 'Brief,Prefer'), 207, body);
}

function contentDisposition(name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}; filename="${encoded}"`;
}

export async function get(ctx: DavContext, head: boolean): Promise<FastifyReply> {
  const info = await ctx.view.get(ctx.path);
  const { reply } = ctx;
  if (info.node.kind === 'dir') {
    const text = 'This is the WebDAV interface. It can only be accessed by WebDAV clients such as the Nextcloud desktop sync client.';
    return reply.status(200).header('content-type', 'text/plain; charset=utf-8').send(head ? undefined : text);
  }
  const ifNoneMatch = header(ctx.request, 'if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((v) => v.trim() === `"${info.etag}"` || v.trim() === '*')) {
    return reply.status(304).header('etag', `"${info.etag}"`).send();
  }
  const ifMatch = header(ctx.request, 'if-match');
  if (ifMatch && !ifMatch.split(',').some((v) => v.trim() === `"${info.etag}"` || v.trim() === '*')) throw errors.precondition_failed();
  const size = info.node.size;
  reply
    .header('content-type', info.node.mimetype)
    .header('etag', `"${info.etag}"`)
    .header('oc-etag', `"${info.etag}"`)
    .header('last-modified', new Date(info.node.mtime * 1000).toUTCString())
    .header('accept-ranges', 'bytes')
    .header('x-accel-buffering', 'no')
    .header('oc-fileid', ocFileId(info.node.id, ctx.instanceId))
    .header('content-disposition', contentDisposition(info.node.name));
  if (info.node.checksum) reply.header('oc-checksum', info.node.checksum);
  let range: { start: number; end: number } | undefined;
  try {
    range = parseRange(header(ctx.request, 'range'), size);
  } catch (error) {
    reply.header('content-range', `bytes */${size}`);
    throw error;
  }
  if (range) {
    reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`).header('content-length', range.end - range.start + 1);
  } else reply.status(200).header('content-length', size);
  if (head || size === 0) return reply.send();
  // Straight to the socket: fastify's stream path costs about half the throughput on big files.
  reply.hijack();
  const res = reply.raw;
  res.writeHead(reply.statusCode, reply.getHeaders() as http.OutgoingHttpHeaders);
  await ctx.view.files.sendContent(info.node, res, range).then(
    () => res.end(),
    () => res.destroy(),
  );
  return reply;
}

export function writeHeaders(ctx: DavContext, info: FileInfo): void {
  ctx.reply
    .header('oc-fileid', ocFileId(info.node.id, ctx.instanceId))
    .header('etag', `"${info.etag}"`)
    .header('oc-etag', `"${info.etag}"`);
}

export async function put(ctx: DavContext): Promise<FastifyReply> {
  const mtime = parseMtime(ctx.request);
  const checksum = header(ctx.request, 'oc-checksum')?.trim() || undefined;
  const want = String(ctx.request.headers['x-hash'] ?? '').toLowerCase();
  const hashes = want === 'all' ? (['md5', 'sha1', 'sha256'] as const) : (['md5', 'sha1', 'sha256'] as const).filter((h) => h === want);
  if (ctx.request.headers['oc-chunked']) throw errors.not_implemented({}, 'Legacy chunked uploads are not supported; use chunking v1/v2');
  const ctime = parseMtime(ctx.request, 'x-oc-ctime');
  const result = await ctx.view.write(ctx.path, ctx.request.raw, {
    length: contentLength(ctx.request),
    mtime,
    ctime,
    checksum,
    ifMatch: header(ctx.request, 'if-match'),
    ifNoneMatch: header(ctx.request, 'if-none-match'),
    hashes: [...hashes],
  });
  writeHeaders(ctx, result.info);
  if (mtime !== undefined) ctx.reply.header('x-oc-mtime', 'accepted');
  if (ctime !== undefined && result.created) ctx.reply.header('x-oc-ctime', 'accepted');
  for (const [name, value] of Object.entries(result.hashes)) ctx.reply.header(`x-hash-${name}`, value);
  return ctx.reply.status(result.created ? 201 : 204).header('content-length', 0).send();
}

export async function mkcol(ctx: DavContext): Promise<FastifyReply> {
  if (hasBody(ctx.request)) throw errors.unsupported_media_type({}, 'The request body for the MKCOL request must have an xml Content-Type');
  const existing = await ctx.view.stat(ctx.path);
  if (existing) {
    ctx.reply.header('allow', existing.node.kind === 'dir' ? ALLOW_COLLECTION : ALLOW_FILE);
    throw errors.file_exists();
  }
  const info = await ctx.view.mkdir(ctx.path);
  return ctx.reply.status(201).header('oc-fileid', ocFileId(info.node.id, ctx.instanceId)).header('content-length', 0).send();
}

export async function del(ctx: DavContext): Promise<FastifyReply> {
  await ctx.view.delete(ctx.path, { ifMatch: header(ctx.request, 'if-match') });
  return ctx.reply.status(204).send();
}

export async function moveOrCopy(ctx: DavContext, copy: boolean): Promise<FastifyReply> {
  const destination = ctx.destination();
  const overwrite = parseOverwrite(ctx.request);
  const mtime = parseMtime(ctx.request);
  const result = copy
    ? await ctx.view.copy(ctx.path, destination, { overwrite, depth: parseDepth(ctx.request, 'infinity') })
    : await ctx.view.move(ctx.path, destination, { overwrite });
  let info = result.info;
  if (mtime !== undefined && info.node.kind === 'file') {
    await ctx.view.touch(info, mtime);
    info = await ctx.view.get(destination);
    ctx.reply.header('x-oc-mtime', 'accepted');
  }
  ctx.reply.header('oc-fileid', ocFileId(info.node.id, ctx.instanceId));
  if (info.node.kind === 'file') ctx.reply.header('etag', `"${info.etag}"`).header('oc-etag', `"${info.etag}"`);
  return ctx.reply.status(result.created ? 201 : 204).header('content-length', 0).send();
}

/**
 * Finder (WebDAVFS), OneNote and Windows' mini-redirector refuse to write without locks; Nextcloud gives
 * exactly these clients a fake lock (class 2, dummy tokens) and keeps locks away from everyone else.
 */
export const wantsFakeLocks = (request: FastifyRequest) => /WebDAVFS|OneNote|Microsoft-WebDAV-MiniRedir/.test(String(request.headers['user-agent'] ?? ''));

export function options(ctx: { reply: FastifyReply; request?: FastifyRequest }): FastifyReply {
  const fake = ctx.request !== undefined && wantsFakeLocks(ctx.request);
  return ctx.reply
    .status(200)
    .header('dav', fake ? `1, 2, 3, ${DAV_HEADER.slice(6)}` : DAV_HEADER)
    .header('allow', ALLOW_COLLECTION)
    .header('ms-author-via', 'DAV')
    .header('accept-ranges', 'bytes')
    .header('content-length', 0)
    .send();
}

/** The fake LOCK: an exclusive write lock with a fresh token, nothing is actually locked. */
export async function fakeLock(ctx: DavContext): Promise<FastifyReply> {
  if (!wantsFakeLocks(ctx.request)) throw errors.not_implemented();
  await readBody(ctx.request);
  if (ctx.request.method === 'UNLOCK') return ctx.reply.status(204).send();
  const token = `opaquelocktoken:${crypto.randomUUID()}`;
  const href = encodeHrefPath(ctx.hrefBase + ctx.path);
  const body =
    '<?xml version="1.0" encoding="utf-8"?>\n<d:prop xmlns:d="DAV:"><d:lockdiscovery><d:activelock><d:lockscope><d:exclusive/></d:lockscope>' +
    '<d:locktype><d:write/></d:locktype><d:depth>infinity</d:depth><d:timeout>Second-1800</d:timeout>' +
    `<d:locktoken><d:href>${token}</d:href></d:locktoken><d:lockroot><d:href>${href}</d:href></d:lockroot></d:activelock></d:lockdiscovery></d:prop>`;
  return sendXml(ctx.reply.header('lock-token', `<${token}>`), 200, body);
}

/** Keep `hrefOf` and `encodeHrefPath` together for other DAV trees (uploads, trash). */
export { encodeHrefPath };
