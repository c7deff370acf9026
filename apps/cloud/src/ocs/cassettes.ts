import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** One recorded exchange of a VCR cassette (shared/spec/nextcloud-cassettes). */
export interface Interaction {
  method: string;
  /** Path and query, without scheme and host. */
  path: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

/** Where the recordings live: `CASSETTES_DIR`, else `shared/spec/nextcloud-cassettes` beside the checkout. */
export function cassettesDir(): string {
  if (process.env.CASSETTES_DIR) return process.env.CASSETTES_DIR;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
  for (const candidate of [path.join(root, '../shared/spec/nextcloud-cassettes'), path.join(root, 'shared/spec/nextcloud-cassettes')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.join(root, '../shared/spec/nextcloud-cassettes');
}

const first = (value: unknown): string => (Array.isArray(value) ? String(value[0] ?? '') : String(value ?? ''));

export function loadCassette(name: string): Interaction[] {
  const doc = parse(fs.readFileSync(path.join(cassettesDir(), name), 'utf8')) as { http_interactions: any[] };
  return doc.http_interactions.map((i) => {
    const url = new URL(i.request.uri as string);
    const headers = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), first(v)]));
    return {
      method: String(i.request.method).toUpperCase(),
      path: url.pathname + url.search,
      requestHeaders: headers(i.request.headers),
      requestBody: String(i.request.body?.string ?? ''),
      status: Number(i.response.status.code),
      responseHeaders: headers(i.response.headers),
      responseBody: String(i.response.body?.string ?? ''),
    };
  });
}

/** Send a recorded request again (same method, path, body and content headers) with our own credentials. */
export function resend(baseUrl: string, recorded: Interaction, authorization: string): Promise<Response> {
  const headers: Record<string, string> = { Authorization: authorization };
  for (const name of ['accept', 'content-type', 'ocs-apirequest', 'user-agent']) {
    const value = recorded.requestHeaders[name];
    if (value) headers[name] = value;
  }
  return fetch(`${baseUrl}${recorded.path}`, {
    method: recorded.method,
    headers,
    ...(recorded.requestBody ? { body: recorded.requestBody } : {}),
  });
}
