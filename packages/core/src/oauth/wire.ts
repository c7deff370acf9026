import { hashToken, randomToken } from '../secrets.ts';
import type { ClientCredentials, OAuthFailure } from './types.ts';

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64; tolerate clients that skip it. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * Client credentials from `Authorization: Basic` (preferred when present) or the form body's
 * `client_id` / `client_secret`; `undefined` when neither names a client.
 */
export function parseClientCredentials(
  authorization: string | undefined,
  body: { client_id?: unknown; client_secret?: unknown },
): ClientCredentials | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (match) {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)), via: 'basic' };
    }
  }
  if (typeof body.client_id === 'string' && body.client_id) {
    return {
      clientId: body.client_id,
      clientSecret: typeof body.client_secret === 'string' ? body.client_secret : undefined,
      via: 'body',
    };
  }
  return undefined;
}

/** Append query parameters in the given order (`?` or `&` as the URI needs); undefined values are left out. */
export function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const query = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  if (!query) return uri;
  return `${uri}${uri.includes('?') ? '&' : '?'}${query}`;
}

/**
 * Where to send the browser for a `redirectable` authorization failure (RFC 6749 §4.1.2.1), e.g. the
 * user's `access_denied`; `redirectUri` defaults to the one the failure carries.
 */
export function authorizationErrorRedirect(
  failure: Pick<OAuthFailure, 'error' | 'description' | 'redirectUri'>,
  state: string | undefined,
  redirectUri = failure.redirectUri,
): string {
  if (!redirectUri) throw new Error('This OAuth failure must not be redirected');
  return redirectWith(redirectUri, { error: failure.error, error_description: failure.description, state });
}

/** New client credentials: alphanumeric id and secret (Nextcloud uses 64 of each); store `secretHash` only. */
export function newClientCredentials(idLength = 64, secretLength = 64): { clientId: string; clientSecret: string; secretHash: string } {
  const clientSecret = randomToken(secretLength);
  return { clientId: randomToken(idLength), clientSecret, secretHash: hashToken(clientSecret) };
}

/**
 * Redirect URIs clients may register: absolute http(s) URLs without a fragment (RFC 6749 §3.1.2),
 * or a private-use scheme for native apps (RFC 8252 §7.1).
 */
export function isValidRedirectUri(uri: string): boolean {
  if (uri.includes('#') || /\s/.test(uri)) return false;
  try {
    const url = new URL(uri);
    if (url.protocol === 'http:' || url.protocol === 'https:') return Boolean(url.hostname);
    return /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol);
  } catch {
    return false;
  }
}
