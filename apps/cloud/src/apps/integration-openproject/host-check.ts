import { lookup } from 'node:dns/promises';
import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import { OutboundError, type Outbound, type OutboundResponse } from '@tandem/core';

/** `isValidOpenProjectInstance`'s result codes (spec §5.1); `true` means an OpenProject answers there. */
export type HostCheckResult =
  | true
  | 'invalid'
  | 'redirected'
  | 'not_valid_body'
  | 'client_exception'
  | 'server_exception'
  | 'request_exception'
  | 'local_remote_servers_not_allowed'
  | 'network_error'
  | 'unexpected_error';

export interface HostCheck {
  result: HostCheckResult;
  details?: string;
  /** What the admin page shows for a failure (the real app's field errors, plus how to fix local addresses). */
  message?: string;
}

export const ALLOW_LOCAL_HINT =
  'To be able to use an OpenProject server with a local address, enable the `allow_local_remote_servers` setting: npm run occ -- config:system:set allow_local_remote_servers --value 1';

const MESSAGES: Record<Exclude<HostCheckResult, true>, string> = {
  invalid: 'URL is invalid',
  not_valid_body: 'There is no valid OpenProject instance listening at that URL, please check the Nextcloud logs',
  client_exception: 'There is no valid OpenProject instance listening at that URL, please check the Nextcloud logs',
  server_exception: 'Server replied with an error message, please check the Nextcloud logs',
  local_remote_servers_not_allowed: 'Accessing OpenProject servers with local addresses is not allowed.',
  redirected: 'The given URL redirects to \'{location}\'. Please do not use a URL that leads to a redirect.',
  request_exception: 'Could not connect to the given URL, please check the Nextcloud logs',
  network_error: 'Could not connect to the given URL, please check the Nextcloud logs',
  unexpected_error: 'Could not connect to the given URL, please check the Nextcloud logs',
};

/** PHP's `^https?` + FILTER_VALIDATE_URL, roughly: an absolute http(s) URL with a host. */
export function isValidOpenProjectUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

const LOCAL_TLDS = new Set(['local', 'localhost', 'intranet', 'internal', 'private', 'corp', 'home', 'lan']);

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

const V4_LOCAL: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['240.0.0.0', 4],
];

/** Nextcloud's local-address rules (nextcloud-protocols §7.1) for one resolved IP. */
export function isLocalIp(ip: string): boolean {
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return isLocalIp(mapped[1]!);
  if (isIP(lower) === 4) {
    const value = ipv4ToInt(lower);
    return V4_LOCAL.some(([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(ipv4ToInt(base) / 2 ** (32 - bits)));
  }
  if (lower === '::1' || lower === '::') return true;
  return /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

/** Is the URL's host local by name, or does any address it resolves to lie in a local range? */
export async function isLocalHost(hostname: string): Promise<boolean> {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) return isLocalIp(host);
  const labels = host.split('.');
  if (labels.length === 1 || LOCAL_TLDS.has(labels.at(-1)!)) return true;
  try {
    const addresses = await lookup(host, { all: true });
    return addresses.some((a) => isLocalIp(a.address));
  } catch {
    return false; // unresolvable: the request itself reports the network error
  }
}

function failure(result: Exclude<HostCheckResult, true>, details?: string): HostCheck {
  const message = result === 'redirected' ? MESSAGES.redirected.replace('{location}', details ?? '') : MESSAGES[result];
  const withHint = result === 'local_remote_servers_not_allowed' ? `${message} ${ALLOW_LOCAL_HINT}` : message;
  return details === undefined ? { result, message: withHint } : { result, details, message: withHint };
}

/** Advice shown with "certificate verify failed": the OpenProject host's CA is not trusted yet. */
export const CERTIFICATE_ADVICE =
  "Add the CA certificate of OpenProject's TLS certificate to the PEM file CLOUD_CA_BUNDLE names (re-read on every request, no restart), or to the Cloud server's system CA store.";

/**
 * The real app's host probe: `GET {url}/api/v3/` with an empty bearer and no redirects; a Root
 * document (or an OpenProject error document, as a private instance answers) means OpenProject.
 */
export async function checkOpenProjectHost(url: string, options: { allowLocal: boolean; outbound: Outbound }): Promise<HostCheck> {
  if (!isValidOpenProjectUrl(url)) return failure('invalid', 'The URL should have the form "https://openproject.org"');
  const base = url.replace(/\/+$/, '');
  if (!options.allowLocal && (await isLocalHost(new URL(base).hostname))) return failure('local_remote_servers_not_allowed');
  let response: OutboundResponse;
  try {
    response = await options.outbound.request('GET', `${base}/api/v3/`, { authorization: 'Bearer', accept: 'application/json' });
  } catch (error) {
    if (error instanceof OutboundError && error.certificate) {
      // The seed's troubleshooting entry names this failure "certificate verify failed".
      const details = `certificate verify failed (${error.message})`;
      return { result: 'network_error', details, message: `Could not connect to the given URL: ${details}. ${CERTIFICATE_ADVICE}` };
    }
    return failure('network_error', (error as Error).message);
  }
  const text = response.body;
  let body: { _type?: unknown; instanceName?: unknown; errorIdentifier?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  const status = response.status;
  const statusLine = `${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  if (status >= 300 && status < 400) {
    const location = response.headers.location;
    if (!location) return failure('unexpected_error', `received a redirect status code (${status}) but no "Location" header`);
    return failure('redirected', location.replace('api/v3/', ''));
  }
  if (status >= 200 && status < 300) {
    if (body?._type === 'Root' && typeof body.instanceName === 'string' && body.instanceName !== '') return { result: true };
    return failure('not_valid_body', text);
  }
  if (status >= 400 && status < 500) {
    if (body?._type === 'Error' && typeof body.errorIdentifier === 'string' && body.errorIdentifier !== '') return { result: true };
    return failure('client_exception', statusLine);
  }
  return failure('server_exception', statusLine);
}
