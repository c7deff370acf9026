/**
 * One place for talking to Projects: the session's CSRF token (`X-CSRF-Token` on every change) and
 * OpenProject's Error resource (`message`, a string or a list) turned into an `ApiError` whose
 * message can be shown as is.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The sentence(s) an API v3 Error carries, or a generic one. */
export function messageFromBody(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; _embedded?: { errors?: { message?: unknown }[] } };
    const nested = body._embedded?.errors?.map((e) => e.message).filter((m) => typeof m === 'string');
    if (nested?.length) return nested.join(' ');
    if (Array.isArray(body.message)) return body.message.join(' ');
    if (typeof body.message === 'string' && body.message.trim()) return body.message.trim();
  } catch {
    // not JSON
  }
  return `The server answered ${status}`;
}

/** A same-origin JSON request with the session cookie; throws `ApiError` unless the answer is 2xx. */
export async function api<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
  // X-Requested-With: a 401 then names the `Session` scheme instead of Basic (no browser password dialog).
  const headers: Record<string, string> = { accept: 'application/hal+json, application/json', 'x-requested-with': 'XMLHttpRequest' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new ApiError(messageFromBody(text, response.status), response.status);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** `filters` query parameter in OpenProject's JSON syntax. */
export const filtersParam = (filters: Record<string, { operator: string; values: string[] }>[]) =>
  `filters=${encodeURIComponent(JSON.stringify(filters))}`;

/** The id at the end of an API v3 link (`/api/v3/users/7` → 7). */
export const idOf = (link: { href: string | null } | undefined): number | null => {
  const match = link?.href ? /\/(\d+)$/.exec(link.href) : null;
  return match ? Number(match[1]) : null;
};
