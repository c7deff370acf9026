import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../errors.ts';
import type { Depth } from '../files/service.ts';
import { decodeUrlPath } from '../files/paths.ts';

/** Headers Nextcloud puts on every DAV answer. */
export const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none';",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-robots-tag': 'noindex, nofollow',
  'referrer-policy': 'no-referrer',
} as const;

export const DAV_HEADER =
  '1, 3, extended-mkcol, access-control, calendarserver-principal-property-search, nc-paginate, nextcloud-checksum-update, nc-calendar-search, nc-enable-birthday-calendar';

export const ALLOW_FILE = 'OPTIONS, GET, HEAD, DELETE, PROPFIND, PUT, PROPPATCH, COPY, MOVE, REPORT, SEARCH';
export const ALLOW_COLLECTION = 'OPTIONS, GET, HEAD, DELETE, PROPFIND, PUT, PROPPATCH, COPY, MOVE, REPORT, SEARCH';

const MAX_XML_BODY = 1024 * 1024;

/** Read a (small) XML request body; bodies are unread streams in the DAV scope. */
export async function readBody(request: FastifyRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > MAX_XML_BODY) throw errors.dav_bad_request({}, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** `Depth`: 0, 1 or infinity; missing means `fallback`; anything else is a 400. */
export function parseDepth(request: FastifyRequest, fallback: Depth): Depth {
  const value = request.headers.depth;
  if (value === undefined) return fallback;
  const text = String(value).trim().toLowerCase();
  if (text === '0') return 0;
  if (text === '1') return 1;
  if (text === 'infinity') return 'infinity';
  throw errors.dav_bad_request({}, 'The HTTP Depth header may only be "0", "1" or "infinity"');
}

/** A single `bytes=` range against `size`; undefined = whole file; throws 416 when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw errors.range_not_satisfiable({ size });
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (!Number.isSafeInteger(start) || (match[2] !== '' && Number(match[2]) < start)) throw errors.range_not_satisfiable({ size });
  }
  if (start >= size) throw errors.range_not_satisfiable({ size });
  return { start, end };
}

/** `X-OC-Mtime` / `X-OC-CTime`: an integer number of seconds > 86400 (Nextcloud rejects hex and junk). */
export function parseMtime(request: FastifyRequest, name: 'x-oc-mtime' | 'x-oc-ctime' = 'x-oc-mtime'): number | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const label = name === 'x-oc-mtime' ? 'X-OC-MTime' : 'X-OC-CTime';
  if (!/^\d+(\.\d+)?$/.test(text)) throw errors.dav_bad_request({}, `${label} header must be an integer (unix timestamp).`);
  const seconds = Math.floor(Number(text));
  if (seconds <= 86400 || !Number.isSafeInteger(seconds)) throw errors.dav_bad_request({}, `${label} header must be an integer (unix timestamp).`);
  return seconds;
}

export function parseOverwrite(request: FastifyRequest): boolean {
  const value = String(request.headers.overwrite ?? 'T').trim().toUpperCase();
  if (value !== 'T' && value !== 'F') throw errors.dav_bad_request({}, 'The HTTP Overwrite header should be either T or F');
  return value === 'T';
}

export function contentLength(request: FastifyRequest): number | undefined {
  const value = request.headers['content-length'];
  if (value === undefined) return undefined;
  const length = Number(value);
  if (!Number.isSafeInteger(length) || length < 0) throw errors.dav_bad_request({}, 'Invalid Content-Length');
  return length;
}

export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export function sendXml(reply: FastifyReply, status: number, body: string | Buffer): FastifyReply {
  return reply.status(status).header('content-type', 'application/xml; charset=utf-8').send(body);
}

/** `Destination`: a full URL or an absolute path inside the tree rooted at `base` (decoded, with trailing slash). */
export function destinationPath(request: FastifyRequest, base: string): string {
  const value = request.headers.destination;
  if (typeof value !== 'string' || value === '') throw errors.dav_bad_request({}, 'The destination header was not supplied');
  let pathname: string;
  try {
    pathname = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? new URL(value).pathname : value.split('?')[0]!;
  } catch {
    throw errors.dav_bad_request({}, 'The destination header is not a valid URL');
  }
  // Compare decoded segment by segment: clients encode the user id and names differently.
  const wanted = base.split('/').filter(Boolean);
  const given = pathname.split('/').filter(Boolean);
  for (let i = 0; i < wanted.length; i += 1) {
    let segment: string;
    try {
      segment = decodeURIComponent(given[i] ?? '');
    } catch {
      throw errors.dav_bad_request({}, 'The destination header is not a valid URL');
    }
    if (segment.toLowerCase() !== wanted[i]!.toLowerCase()) throw errors.file_forbidden({}, 'The destination is outside this file tree');
  }
  return decodeUrlPath(given.slice(wanted.length).join('/'));
}
