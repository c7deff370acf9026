import http from 'node:http';
import type { TestCloud } from '../testing.ts';

export interface DavResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface DavClient {
  /** `path` is sent exactly as given (no URL normalisation, so `..` reaches the server). */
  request(method: string, path: string, options?: { headers?: Record<string, string>; body?: string | Buffer }): Promise<DavResponse>;
  propfind(path: string, props: string[], depth?: string): Promise<DavResponse>;
}

const PROPFIND_NS = 'xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns"';

/** A raw HTTP client for DAV tests; `fetch` would normalise `..` and refuses custom methods' bodies in places. */
export function davClient(cloud: TestCloud, user: string, password: string): DavClient {
  const url = new URL(cloud.url);
  const authorization = cloud.basic(user, password);
  const request: DavClient['request'] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const body = options.body === undefined ? undefined : Buffer.from(options.body);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: {
            authorization,
            ...(body ? { 'content-length': String(body.length) } : {}),
            ...options.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    request,
    propfind: (path, props, depth = '1') =>
      request('PROPFIND', path, {
        headers: { depth, 'content-type': 'application/xml; charset=utf-8' },
        body: `<?xml version="1.0"?><d:propfind ${PROPFIND_NS}><d:prop>${props.map((p) => `<${p}/>`).join('')}</d:prop></d:propfind>`,
      }),
  };
}

/** Values of one property per href from a multistatus body (simple regex parsing is enough for tests). */
export function propValues(xml: string, prop: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const response of xml.split('<d:response>').slice(1)) {
    const href = /<d:href>([^<]*)<\/d:href>/.exec(response)?.[1] ?? '';
    const ok = response.split('<d:propstat>').find((p) => p.includes('HTTP/1.1 200 OK')) ?? '';
    const match = new RegExp(`<${prop}>([\\s\\S]*?)</${prop}>|<${prop}/>`).exec(ok);
    if (match) out.set(href, match[1] ?? '');
  }
  return out;
}
