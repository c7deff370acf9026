/**
 * One place for talking to Cloud: the CSRF token every state-changing request carries, and turning
 * failures of any of the server's wire formats (JSON `error.message`, OCS `meta.message`, Sabre
 * `s:message`) into an `ApiError` whose message can be shown to the user as is.
 */
let requestToken: string | null = null;

export function setRequestToken(token: string | null): void {
  requestToken = token;
}

export function getRequestToken(): string | null {
  return requestToken;
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

const SAFE = new Set(['GET', 'HEAD', 'PROPFIND', 'SEARCH', 'REPORT']);

/** Headers for a request of the given method: the CSRF token on anything that changes state. */
export function csrfHeaders(method: string): Record<string, string> {
  return !SAFE.has(method.toUpperCase()) && requestToken ? { requesttoken: requestToken } : {};
}

/** The most useful sentence a failed response carries, whatever its format. */
export function messageFromBody(text: string, contentType: string, status: number, statusText = ''): string {
  const fallback = `The server answered ${status}${statusText ? ` ${statusText}` : ''}`;
  if (!text) return fallback;
  if (contentType.includes('json')) {
    try {
      const body = JSON.parse(text) as any;
      const message =
        (typeof body?.error === 'object' ? body.error?.message : undefined) ??
        body?.ocs?.meta?.message ??
        body?.message ??
        (typeof body?.error === 'string' ? body.error : undefined);
      return typeof message === 'string' && message.trim() ? message.trim() : fallback;
    } catch {
      return fallback;
    }
  }
  if (contentType.includes('xml')) {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const node =
      doc.getElementsByTagNameNS('http://sabredav.org/ns', 'message')[0] ?? doc.getElementsByTagName('message')[0];
    const message = node?.textContent?.trim();
    return message ? message : fallback;
  }
  return fallback;
}

export async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  const message = messageFromBody(text, response.headers.get('content-type') ?? '', response.status, response.statusText);
  return new ApiError(message, response.status);
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as JSON unless it is already a string or a Blob. */
  body?: unknown;
}

/** A same-origin request with the session cookie; throws `ApiError` unless the answer is 2xx. */
export async function request(method: string, url: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...csrfHeaders(method), ...options.headers };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string' || options.body instanceof Blob) {
      body = options.body;
    } else {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  const response = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  if (!response.ok) throw await errorFrom(response);
  return response;
}

export async function requestJson<T>(method: string, url: string, options: RequestOptions = {}): Promise<T> {
  const response = await request(method, url, { ...options, headers: { accept: 'application/json', ...options.headers } });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

interface OcsEnvelope<T> {
  ocs: { meta: { status: string; statuscode: number; message?: string }; data: T };
}

/**
 * An OCS call (`/ocs/v2.php/…`, or the v1 envelope the groupfolders app uses under `/index.php`).
 * v1 answers HTTP 200 even on failure, so the envelope's status decides.
 */
export async function ocs<T>(method: string, url: string, body?: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: {
      'OCS-APIRequest': 'true',
      accept: 'application/json',
      ...csrfHeaders(method),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let envelope: OcsEnvelope<T> | undefined;
  try {
    envelope = JSON.parse(text) as OcsEnvelope<T>;
  } catch {
    envelope = undefined;
  }
  const meta = envelope?.ocs?.meta;
  if (!response.ok || !meta || meta.status !== 'ok') {
    const status = meta && meta.statuscode >= 400 ? meta.statuscode : response.status;
    throw new ApiError(messageFromBody(text, response.headers.get('content-type') ?? '', status, response.statusText), status);
  }
  return envelope!.ocs.data;
}
