import { randomBytes } from 'node:crypto';
import { OutboundError, type Outbound } from '@tandem/core';

/** OpenProject's minimums (`nextcloud_dependencies.yml`; the HTTPX validator's constant is 22, its message says 23). */
export const MINIMAL_NEXTCLOUD_MAJOR = 22;
export const MINIMAL_INTEGRATION_APP_VERSION = '2.6.3';
export const MINIMAL_GROUP_FOLDERS_VERSION = '14.0.9';

/** The check-config probe: Nextcloud must echo exactly this header back. */
export const TEST_BEARER = 'Bearer TESTBEARERTOKEN';

export const HOST_MESSAGES = {
  invalid_url: 'Host is not a valid URL.',
  cannot_be_connected_to: 'Host can not be connected to.',
  not_nextcloud_server: 'Host is not a Nextcloud server',
  minimal_nextcloud_version_unmet: 'Host does not meet minimal version requirements (must be Nextcloud 23 or higher)',
  integration_app_version_unmet: 'Host has an Integration OpenProject app version that is not supported. Please update the app to 2.6.3 or higher.',
  op_application_not_installed: 'Host appears to not have the app "OpenProject integration" installed. Please install it first and then try again.',
  authorization_header_missing:
    'Host is not fully set up. The Nextcloud instance does not receive the "Authorization" header, which is necessary for a Bearer token based authorization of API requests. Please double check your HTTP server configuration.',
} as const;

export const PASSWORD_MESSAGES = {
  blank: "Application password can't be blank.",
  invalid_password: 'Application password is not valid.',
  unknown_error: 'Application password could not be validated. Please check your storage connection and try again.',
} as const;

/** The host normalised as OpenProject's `uri`: parsed, always ending with "/"; undefined if not an http(s) URL. */
export function normaliseHost(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.search || url.hash || url.username) return undefined;
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** `<host>` + path (host ends with "/", path has none at its start). */
export const hostUrl = (host: string, path: string) => `${host}${path.replace(/^\//, '')}`;

/** major.minor.patch comparison; unparsable versions count as unknown (undefined). */
export function versionAtLeast(version: unknown, minimum: string): boolean | undefined {
  const parse = (v: string) => (/^\d+\.\d+\.\d+$/.test(v) ? v.split('.').map(Number) : undefined);
  const have = typeof version === 'string' ? parse(version) : undefined;
  const want = parse(minimum)!;
  if (!have) return undefined;
  for (let i = 0; i < 3; i += 1) if (have[i] !== want[i]) return have[i]! > want[i]!;
  return true;
}

function unreachable(error: unknown): string {
  if (error instanceof OutboundError && error.certificate) {
    return `${HOST_MESSAGES.cannot_be_connected_to} certificate verify failed (${error.message})`;
  }
  return HOST_MESSAGES.cannot_be_connected_to;
}

/**
 * OpenProject's NextcloudCompatibleHostValidator: capabilities (no auth) and the major version,
 * then check-config with a test Bearer header that Nextcloud must see. Returns the violation
 * message, or undefined when the host is fit.
 */
export async function validateNextcloudHost(outbound: Outbound, host: string): Promise<string | undefined> {
  let capabilities;
  try {
    capabilities = await outbound.request('GET', hostUrl(host, 'ocs/v2.php/cloud/capabilities'), { 'OCS-APIRequest': 'true', Accept: 'application/json' });
  } catch (error) {
    return unreachable(error);
  }
  if (capabilities.status < 200 || capabilities.status >= 300) return HOST_MESSAGES.cannot_be_connected_to;
  let data: { version?: { major?: unknown }; capabilities?: Record<string, unknown> } | undefined;
  try {
    data = (JSON.parse(capabilities.body) as { ocs?: { data?: typeof data } }).ocs?.data;
  } catch {
    data = undefined;
  }
  const major = data?.version?.major;
  if (typeof major !== 'number') return HOST_MESSAGES.not_nextcloud_server;
  if (major < MINIMAL_NEXTCLOUD_MAJOR) return HOST_MESSAGES.minimal_nextcloud_version_unmet;
  const app = data?.capabilities?.integration_openproject as { app_version?: unknown } | undefined;
  if (app && versionAtLeast(app.app_version, MINIMAL_INTEGRATION_APP_VERSION) === false) return HOST_MESSAGES.integration_app_version_unmet;

  let check;
  try {
    check = await outbound.request('GET', hostUrl(host, 'index.php/apps/integration_openproject/check-config'), { Authorization: TEST_BEARER });
  } catch (error) {
    return unreachable(error);
  }
  if (check.status >= 300 && check.status < 400) return HOST_MESSAGES.op_application_not_installed;
  if (check.status < 200 || check.status >= 300) return HOST_MESSAGES.cannot_be_connected_to;
  let echoed: unknown;
  try {
    echoed = (JSON.parse(check.body) as { authorization_header?: unknown }).authorization_header;
  } catch {
    echoed = undefined;
  }
  return echoed === TEST_BEARER ? undefined : HOST_MESSAGES.authorization_header_missing;
}

/** OpenProject's NextcloudApplicationCredentialsValidator: `HEAD remote.php/dav` as the OpenProject user. */
export async function checkAppPassword(outbound: Outbound, host: string, username: string, password: string): Promise<string | undefined> {
  try {
    const response = await outbound.request('HEAD', hostUrl(host, 'remote.php/dav'), {
      Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
    });
    if (response.status >= 200 && response.status < 300) return undefined;
    return response.status === 401 ? PASSWORD_MESSAGES.invalid_password : PASSWORD_MESSAGES.unknown_error;
  } catch {
    return PASSWORD_MESSAGES.unknown_error;
  }
}

export const NEXTCLOUD_CLIENT_MESSAGES = {
  unknown_client: 'Nextcloud does not know the Nextcloud OAuth client ID of this storage: the client was deleted or replaced in Nextcloud (its "Reset" or "Replace").',
  wrong_secret: 'Nextcloud refuses the Nextcloud OAuth client secret of this storage.',
} as const;

/**
 * Is the storage's Nextcloud OAuth client still the one Nextcloud has? Without side effects:
 * Nextcloud's authorize endpoint shows its "not authorized to connect" page for an unknown client
 * (its token endpoint answers `invalid_request` for that, as for any bogus code), and a bogus code
 * with a wrong secret of a known client is `invalid_client`. Returns the problem, or undefined when
 * the client is fine or Nextcloud could not tell (the host checks report unreachable hosts).
 */
export async function checkNextcloudOAuthClient(outbound: Outbound, host: string, clientId: string, clientSecret: string): Promise<string | undefined> {
  try {
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, state: 'tandem-probe' });
    const authorize = await outbound.request('GET', `${hostUrl(host, 'index.php/apps/oauth2/authorize')}?${query}`);
    if (authorize.status === 200 && /not authorized to connect/.test(authorize.body)) return NEXTCLOUD_CLIENT_MESSAGES.unknown_client;
    // A random code nobody was issued: the probe can never obtain a token.
    const body = new URLSearchParams({ grant_type: 'authorization_code', code: randomBytes(32).toString('hex'), client_id: clientId, client_secret: clientSecret });
    const token = await outbound.request('POST', hostUrl(host, 'index.php/apps/oauth2/api/v1/token'), { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body.toString());
    return token.status === 400 && /"invalid_client"/.test(token.body) ? NEXTCLOUD_CLIENT_MESSAGES.wrong_secret : undefined;
  } catch {
    return undefined;
  }
}
