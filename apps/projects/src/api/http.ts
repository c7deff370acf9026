import type { FastifyRequest } from 'fastify';
import { errors } from '../errors.ts';
import { idFromHref, paginatedCollection } from './hal.ts';
import { parseCollectionQuery, type CollectionQuery, type CollectionSpec } from './query.ts';

/** A numeric path parameter; anything else names no resource (404, as OpenProject answers). */
export function idParam(request: FastifyRequest, name = 'id'): number {
  const raw = (request.params as Record<string, string>)[name] ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw errors.not_found();
  return Number(raw);
}

/** The request body as a JSON object (OpenProject: "The request body was not a single JSON object."). */
export function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.invalid_request_body();
  return body as Record<string, unknown>;
}

export function query(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/** `_links.<name>.href` of a write body; `null` when the link is explicitly empty. */
export function linkHref(body: Record<string, unknown>, name: string): string | null | undefined {
  const links = body._links as Record<string, unknown> | undefined;
  if (!links || typeof links !== 'object' || !(name in links)) return undefined;
  const value = links[name] as { href?: unknown } | null;
  if (value === null || value?.href === null || value?.href === undefined) return null;
  if (typeof value.href !== 'string') throw errors.invalid_request_body();
  return value.href;
}

/** `_links.<name>` as an id of `resource`: undefined if absent, null if emptied, -1 if it names nothing. */
export function linkedId(body: Record<string, unknown>, name: string, resource: string): number | null | undefined {
  const href = linkHref(body, name);
  if (href === undefined || href === null) return href;
  return idFromHref(href, resource) ?? -1;
}

/** `_links.<name>` as a list of ids (e.g. `roles`); ids of other resources count as -1. */
export function linkedIds(body: Record<string, unknown>, name: string, resource: string): number[] | undefined {
  const links = body._links as Record<string, unknown> | undefined;
  const list = links?.[name];
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw errors.invalid_request_body();
  return list.map((item) => idFromHref((item as { href?: unknown } | null)?.href, resource) ?? -1);
}

/** A write-body text that OpenProject accepts either raw or as a Formattable (`{ raw }`). */
export function formattableRaw(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && typeof (value as { raw?: unknown }).raw === 'string') return (value as { raw: string }).raw;
  throw errors.invalid_request_body();
}

/**
 * The whole of a paginated API v3 list endpoint: parse `filters` / `sortBy` / `pageSize` / `offset`
 * against `spec`, fetch one page, present it, and answer OpenProject's Collection with links that
 * keep the request's filters and order.
 */
export async function listResponse<T>(
  request: FastifyRequest,
  path: string,
  spec: CollectionSpec,
  list: (query: CollectionQuery) => Promise<{ rows: T[]; total: number }>,
  present: (rows: T[]) => Promise<unknown[]> | unknown[],
) {
  const params = query(request) as Record<string, string | undefined>;
  const q = parseCollectionQuery(params, spec);
  const { rows, total } = await list(q);
  return paginatedCollection({
    path,
    params: { filters: params.filters, sortBy: params.sortBy },
    elements: await present(rows),
    total,
    pageSize: q.pageSize,
    offset: q.offset,
  });
}
