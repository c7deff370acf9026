import { renderMarkdown } from './markdown.ts';

/**
 * HAL+JSON building blocks for API v3 (`_type`, `_links`, `_embedded`) in OpenProject's shapes.
 * Hrefs are relative (`/api/v3/...`), as OpenProject renders them.
 */
export const API_V3 = '/api/v3';

export interface Link {
  href: string | null;
  title?: string;
  templated?: boolean;
  method?: string;
  payload?: unknown;
  /** MIME type of the target (e.g. `text/html` for pages of the web UI). */
  type?: string;
}

export function link(href: string | null, title?: string, extra: Omit<Link, 'href' | 'title'> = {}): Link {
  return title === undefined ? { href, ...extra } : { href, title, ...extra };
}

/** Link to an API v3 resource: `apiLink('projects', 3, 'Demo')` → `{ href: '/api/v3/projects/3', title: 'Demo' }`. */
export function apiLink(resource: string, id: number | string, title?: string): Link {
  return link(`${API_V3}/${resource}/${id}`, title);
}

export function isoTime(ms: number): string {
  return new Date(Number(ms)).toISOString();
}

/** OpenProject's `Formattable`: the markdown source and its HTML (see markdown.ts). */
export function formattable(raw: string): { format: 'markdown'; raw: string; html: string } {
  return { format: 'markdown', raw, html: raw.trim() ? renderMarkdown(raw) : '' };
}

/** The id in `/api/v3/<resource>/<id>` (relative or absolute); undefined if it is not such a link. */
export function idFromHref(href: unknown, resource: string): number | undefined {
  if (typeof href !== 'string') return undefined;
  const match = new RegExp(`${API_V3}/${resource}/(\\d{1,15})/?$`).exec(href);
  return match ? Number(match[1]) : undefined;
}

/** An unpaginated Collection (`total`, `count`, `_links.self`, `_embedded.elements`). */
export function collection(self: string, elements: unknown[], total = elements.length) {
  return { _type: 'Collection', total, count: elements.length, _links: { self: link(self) }, _embedded: { elements } };
}

/**
 * An offset-paginated Collection as OpenProject renders it: `total`, `count`, `pageSize`, `offset`
 * (page number) and the `jumpTo` / `changeSize` / `previousByOffset` / `nextByOffset` links, all keeping
 * the request's other parameters (filters, sortBy).
 */
export function paginatedCollection(options: {
  path: string;
  params?: Record<string, string | undefined>;
  elements: unknown[];
  total: number;
  pageSize: number;
  offset: number;
}) {
  const { path, elements, total, pageSize, offset } = options;
  const href = (page: number | string, size: number | string) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(options.params ?? {})) if (value !== undefined) query.set(key, value);
    query.set('offset', String(page));
    query.set('pageSize', String(size));
    // Keep the URI-template braces readable, as OpenProject does.
    return `${path}?${query.toString().replace(/%7B/g, '{').replace(/%7D/g, '}')}`;
  };
  const links: Record<string, Link> = {
    self: link(href(offset, pageSize)),
    jumpTo: link(href('{offset}', pageSize), undefined, { templated: true }),
    changeSize: link(href(offset, '{size}'), undefined, { templated: true }),
  };
  if (offset > 1) links.previousByOffset = link(href(offset - 1, pageSize));
  if (pageSize > 0 && offset * pageSize < total) links.nextByOffset = link(href(offset + 1, pageSize));
  return { _type: 'Collection', total, count: elements.length, pageSize, offset, _links: links, _embedded: { elements } };
}
