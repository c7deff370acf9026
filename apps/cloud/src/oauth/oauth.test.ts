import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, TEST_ADMIN_PASSWORD, type TestCloud } from '../testing.ts';

const REDIRECT = 'https://openproject.example/oauth_clients/abc/callback';
const insecure = { [oauth.allowInsecureRequests]: true };

interface Session {
  cookie: string;
  requesttoken: string;
}

interface RegisteredClient {
  id: number;
  clientId: string;
  clientSecret: string;
}

/** Log in as the web UI does: `POST /api/session` → cookie + requesttoken. */
async function login(cloud: TestCloud, user: string, password: string): Promise<Session> {
  const response = await fetch(`${cloud.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  assert.equal(response.status, 200);
  const cookie = response.headers.getSetCookie()[0]!.split(';')[0]!;
  return { cookie, requesttoken: ((await response.json()) as { requesttoken: string }).requesttoken };
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The consent page's form fields, as a browser would submit them. */
function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[unescape(match[1]!)] = unescape(match[2]!);
  return fields;
}

async function consentPage(cloud: TestCloud, url: URL | string, session: Session): Promise<{ html: string; fields: Record<string, string>; action: string }> {
  const response = await fetch(url, { headers: { cookie: session.cookie }, redirect: 'manual' });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  const html = await response.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, 'the consent page has a form');
  return { html, fields: formFields(html), action: `${cloud.url}${unescape(action)}` };
}

/** Show the consent page and press a button; returns the redirect. */
async function decide(cloud: TestCloud, url: URL | string, session: Session, decision = 'grant', tamper: (f: Record<string, string>) => void = () => {}) {
  const page = await consentPage(cloud, url, session);
  tamper(page.fields);
  return fetch(page.action, {
    method: 'POST',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...page.fields, decision }),
    redirect: 'manual',
  });
}

async function tokenRequest(cloud: TestCloud, body: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${cloud.url}/index.php/apps/oauth2/api/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

for (const dialect of testDialects()) {
  describe(`OAuth 2 app on ${dialect}`, () => {
    let cloud: TestCloud;
    let admin: Session;
    let client: RegisteredClient;
    let as: oauth.AuthorizationServer;

    /** Authorize (Nextcloud style, no PKCE) and grant as admin: the code from the redirect. */
    async function codeFor(params: Record<string, string> = {}, session = admin): Promise<string> {
      const url = new URL(as.authorization_endpoint!);
      for (const [k, v] of Object.entries({ response_type: 'code', client_id: client.clientId, state: 'st', ...params })) url.searchParams.set(k, v);
      const granted = await decide(cloud, url, session);
      assert.equal(granted.status, 303);
      return new URL(granted.headers.get('location')!).searchParams.get('code')!;
    }

    async function createClient(name: string, redirectUri = REDIRECT): Promise<RegisteredClient> {
      const response = await fetch(`${cloud.url}/index.php/apps/oauth2/clients`, {
        method: 'POST',
        headers: { cookie: admin.cookie, requesttoken: admin.requesttoken, 'content-type': 'application/json' },
        body: JSON.stringify({ name, redirectUri }),
      });
      assert.equal(response.status, 200);
      return (await response.json()) as RegisteredClient;
    }

    const me = async (accessToken: string) => fetch(`${cloud.url}/api/session`, { headers: { authorization: `Bearer ${accessToken}` } });

    before(async () => {
      cloud = await startTestCloud(dialect);
      admin = await login(cloud, 'admin', TEST_ADMIN_PASSWORD);
      client = await createClient('OpenProject');
      as = {
        issuer: cloud.url,
        authorization_endpoint: `${cloud.url}/index.php/apps/oauth2/authorize`,
        token_endpoint: `${cloud.url}/index.php/apps/oauth2/api/v1/token`,
      };
    });
    after(() => cloud.stop());

    it('lets admins register, list and delete clients; the secret is shown once', async () => {
      assert.match(client.clientId, /^[A-Za-z0-9]{64}$/);
      assert.match(client.clientSecret, /^[A-Za-z0-9]{64}$/);
      const listed = await fetch(`${cloud.url}/index.php/apps/oauth2/clients`, { headers: { authorization: cloud.basic('admin', TEST_ADMIN_PASSWORD) } });
      const clients = (await listed.json()) as Record<string, unknown>[];
      assert.deepEqual(clients[0], { id: client.id, name: 'OpenProject', redirectUri: REDIRECT, clientId: client.clientId });
      assert.ok(!JSON.stringify(clients).includes(client.clientSecret));

      const bad = await fetch(`${cloud.url}/index.php/apps/oauth2/clients`, {
        method: 'POST',
        headers: { cookie: admin.cookie, requesttoken: admin.requesttoken, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', redirectUri: '/relative' }),
      });
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as any).error.code, 'oauth_invalid_redirect_uri');
      const noCsrf = await fetch(`${cloud.url}/index.php/apps/oauth2/clients`, {
        method: 'POST',
        headers: { cookie: admin.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', redirectUri: REDIRECT }),
      });
      assert.equal(noCsrf.status, 412);
      await cloud.createUser('mallory');
      const notAdmin = await fetch(`${cloud.url}/index.php/apps/oauth2/clients`, { headers: { authorization: cloud.basic('mallory', 'mallory-password') } });
      assert.equal(notAdmin.status, 403);

      const temporary = await createClient('Temporary');
      const removed = await fetch(`${cloud.url}/index.php/apps/oauth2/clients/${temporary.id}`, {
        method: 'DELETE',
        headers: { cookie: admin.cookie, requesttoken: admin.requesttoken },
      });
      assert.equal(removed.status, 200);
      assert.equal((await cloud.services.oauth.listClients()).length, 1);
      const again = await fetch(`${cloud.url}/index.php/apps/oauth2/clients/${temporary.id}`, { method: 'DELETE', headers: { authorization: cloud.basic('admin', TEST_ADMIN_PASSWORD) } });
      assert.equal(again.status, 404);
    });

    it('runs the full code flow with oauth4webapi, and the Bearer token signs the user in', async () => {
      await cloud.createUser('alice');
      const alice = await login(cloud, 'alice', 'alice-password');
      const oc: oauth.Client = { client_id: client.clientId };
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const url = new URL(as.authorization_endpoint!);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        state,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      }).toString();

      const anonymous = await fetch(url, { redirect: 'manual' });
      assert.equal(anonymous.status, 303, 'not logged in: off to the login page');
      assert.equal(anonymous.headers.get('location'), `/login?redirect_url=${encodeURIComponent(url.pathname + url.search)}`);

      const page = await consentPage(cloud, url, alice);
      assert.match(page.html, /OpenProject/);
      assert.match(page.html, /Grant access/);
      assert.equal(page.fields.requesttoken, alice.requesttoken);

      const granted = await decide(cloud, url, alice);
      assert.equal(granted.status, 303);
      const location = new URL(granted.headers.get('location')!);
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
      assert.deepEqual([...location.searchParams.keys()], ['state', 'code'], "Nextcloud's parameter order");
      assert.equal(location.searchParams.get('code')!.length, 128);

      const params = oauth.validateAuthResponse(as, oc, location, state);
      const response = await oauth.authorizationCodeGrantRequest(as, oc, oauth.ClientSecretBasic(client.clientSecret), params, REDIRECT, verifier, insecure);
      const tokens = await oauth.processAuthorizationCodeResponse(as, oc, response);
      assert.equal(tokens.token_type, 'bearer');
      assert.equal(tokens.expires_in, 3600);
      assert.equal(tokens.access_token.length, 72);
      assert.equal(tokens.refresh_token?.length, 128);
      assert.equal(tokens.user_id, 'alice');

      const who = await me(tokens.access_token);
      assert.equal(who.status, 200);
      assert.equal(((await who.json()) as any).user.id, 'alice');
      // The same token works on WebDAV and OCS, as OpenProject uses it.
      const bearer = { authorization: `Bearer ${tokens.access_token}` };
      const dav = await fetch(`${cloud.url}/remote.php/dav/files/alice/`, { method: 'PROPFIND', headers: { ...bearer, depth: '0' } });
      assert.equal(dav.status, 207);
      const ocs = await fetch(`${cloud.url}/ocs/v1.php/cloud/user?format=json`, { headers: { ...bearer, 'ocs-apirequest': 'true' } });
      assert.equal(((await ocs.json()) as any).ocs.data.id, 'alice');
    });

    it('rotates refresh tokens: the old refresh token and the old access token stop working', async () => {
      const oc: oauth.Client = { client_id: client.clientId };
      const auth = oauth.ClientSecretPost(client.clientSecret);
      const first = await tokenRequest(cloud, { grant_type: 'authorization_code', code: await codeFor(), redirect_uri: REDIRECT }, { authorization: basic(client.clientId, client.clientSecret) });
      const pair = (await first.json()) as { access_token: string; refresh_token: string };
      const refreshed = await oauth.processRefreshTokenResponse(
        as,
        oc,
        await oauth.refreshTokenGrantRequest(as, oc, auth, pair.refresh_token, { ...insecure, additionalParameters: { scope: '' } }),
      );
      assert.notEqual(refreshed.refresh_token, pair.refresh_token);
      assert.equal((await me(refreshed.access_token)).status, 200);
      assert.equal((await me(pair.access_token)).status, 401, 'the old access token is gone');
      const replay = await tokenRequest(cloud, { grant_type: 'refresh_token', refresh_token: pair.refresh_token, client_id: client.clientId, client_secret: client.clientSecret });
      assert.equal(replay.status, 400);
      assert.equal(await replay.text(), '{"error":"invalid_request"}');
    });

    it('refuses bad token requests with Nextcloud\u2019s exact error JSON', async () => {
      const creds = { client_id: client.clientId, client_secret: client.clientSecret };
      const refused = async (body: Record<string, string>, error: string, headers?: Record<string, string>) => {
        const response = await tokenRequest(cloud, body, headers);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
        assert.equal(await response.text(), JSON.stringify({ error }));
      };

      const code = await codeFor();
      await refused({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: client.clientId, client_secret: 'x'.repeat(64) }, 'invalid_client');
      await refused({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, 'invalid_client', { authorization: basic(client.clientId, client.clientSecret.toLowerCase()) });
      await refused({ grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example/callback', ...creds }, 'invalid_request');
      await refused({ grant_type: 'password', username: 'admin', password: TEST_ADMIN_PASSWORD, ...creds }, 'invalid_grant');
      await refused({ grant_type: 'authorization_code', code: 'z'.repeat(128), ...creds }, 'invalid_request');

      const reused = await codeFor();
      const firstUse = await tokenRequest(cloud, { grant_type: 'authorization_code', code: reused, ...creds });
      const { access_token } = (await firstUse.json()) as { access_token: string };
      assert.equal((await me(access_token)).status, 200);
      await refused({ grant_type: 'authorization_code', code: reused, ...creds }, 'invalid_request');
      assert.equal((await me(access_token)).status, 401, 'replaying a code revokes what it issued (RFC 6749 §10.5)');

      const late = await codeFor();
      cloud.services.oauth.clock.now = () => Date.now() + 10 * 60_000 + 1;
      try {
        await refused({ grant_type: 'authorization_code', code: late, ...creds }, 'invalid_request');
      } finally {
        cloud.services.oauth.clock.now = () => Date.now();
      }
    });

    it('lets exactly one of two simultaneous uses of a code or refresh token win', async () => {
      const creds = { client_id: client.clientId, client_secret: client.clientSecret };
      const code = await codeFor();
      const exchanges = await Promise.all([1, 2].map(() => tokenRequest(cloud, { grant_type: 'authorization_code', code, ...creds })));
      assert.deepEqual(exchanges.map((r) => r.status).sort(), [200, 400]);
      // (the loser's replay also revokes the winner's tokens, so refresh concurrency needs a fresh pair)
      const fresh = await tokenRequest(cloud, { grant_type: 'authorization_code', code: await codeFor(), ...creds });
      const { refresh_token } = (await fresh.json()) as { refresh_token: string };
      const refreshes = await Promise.all([1, 2].map(() => tokenRequest(cloud, { grant_type: 'refresh_token', refresh_token, ...creds })));
      assert.deepEqual(refreshes.map((r) => r.status).sort(), [200, 400]);
    });

    it('answers the request shapes recorded from OpenProject', async () => {
      // refresh_token.yml: Basic credentials, `scope=` first, then the refresh token.
      const issued = await tokenRequest(cloud, { grant_type: 'authorization_code', code: await codeFor(), redirect_uri: REDIRECT, client_id: client.clientId, client_secret: client.clientSecret });
      const { refresh_token } = (await issued.json()) as { refresh_token: string };
      const refreshed = await fetch(`${cloud.url}/index.php/apps/oauth2/api/v1/token`, {
        method: 'POST',
        headers: { authorization: basic(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' },
        body: `grant_type=refresh_token&scope=&refresh_token=${refresh_token}`,
      });
      assert.equal(refreshed.status, 200);
      assert.equal(refreshed.headers.get('content-type'), 'application/json; charset=utf-8');
      const body = (await refreshed.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['access_token', 'token_type', 'expires_in', 'refresh_token', 'user_id']);
      assert.deepEqual([body.token_type, body.expires_in, body.user_id], ['Bearer', 3600, 'admin']);
      assert.match(String(body.access_token), /^[A-Za-z0-9]{72}$/);
      assert.match(String(body.refresh_token), /^[A-Za-z0-9]{128}$/);

      // user_token_refresh_token_invalid.yml: body credentials and an access token where the refresh token belongs.
      const invalid = await fetch(`${cloud.url}/index.php/apps/oauth2/api/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=refresh_token&scope=&client_id=${client.clientId}&client_secret=${client.clientSecret}&refresh_token=${String(body.access_token)}`,
      });
      assert.equal(invalid.status, 400);
      assert.equal(await invalid.text(), '{"error":"invalid_request"}');
      assert.equal((await me(String(body.access_token))).status, 200, 'a failed refresh leaves the live token alone');
    });

    it('shows Nextcloud\u2019s page for unknown clients and never redirects to an unregistered URI', async () => {
      const unknown = await fetch(`${as.authorization_endpoint}?response_type=code&client_id=nope&state=s`, { redirect: 'manual' });
      assert.equal(unknown.status, 200);
      assert.match(await unknown.text(), /Your client is not authorized to connect/);

      const evil = await fetch(`${as.authorization_endpoint}?response_type=code&client_id=${client.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`, {
        headers: { cookie: admin.cookie },
        redirect: 'manual',
      });
      assert.equal(evil.status, 400);
      assert.equal(evil.headers.get('location'), null);

      const token = await fetch(`${as.authorization_endpoint}?response_type=token&client_id=${client.clientId}&state=s1`, { redirect: 'manual' });
      assert.equal(token.status, 303);
      const location = new URL(token.headers.get('location')!);
      assert.equal(location.searchParams.get('error'), 'unsupported_response_type');
      assert.equal(location.searchParams.get('state'), 's1');
    });

    it('issues no code without the session\u2019s requesttoken, and honours Cancel', async () => {
      const url = `${as.authorization_endpoint}?response_type=code&client_id=${client.clientId}&state=s2`;
      const forged = await decide(cloud, url, admin, 'grant', (fields) => {
        fields.requesttoken = 'forged';
      });
      assert.equal(forged.status, 412);
      assert.equal(forged.headers.get('location'), null);
      const denied = await decide(cloud, url, admin, 'deny');
      assert.equal(denied.status, 303);
      const location = new URL(denied.headers.get('location')!);
      assert.deepEqual([location.searchParams.get('error'), location.searchParams.get('state'), location.searchParams.get('code')], ['access_denied', 's2', null]);
    });

    it('deleting a client ends every token it issued', async () => {
      const other = await createClient('Short-lived', 'https://other.example/cb');
      const url = `${as.authorization_endpoint}?response_type=code&client_id=${other.clientId}`;
      const granted = await decide(cloud, url, admin);
      const code = new URL(granted.headers.get('location')!).searchParams.get('code')!;
      const pending = new URL((await decide(cloud, url, admin)).headers.get('location')!).searchParams.get('code')!;
      const creds = { client_id: other.clientId, client_secret: other.clientSecret };
      const tokens = (await (await tokenRequest(cloud, { grant_type: 'authorization_code', code, ...creds })).json()) as { access_token: string; refresh_token: string };
      assert.equal((await me(tokens.access_token)).status, 200);

      const removed = await fetch(`${cloud.url}/index.php/apps/oauth2/clients/${other.id}`, { method: 'DELETE', headers: { authorization: cloud.basic('admin', TEST_ADMIN_PASSWORD) } });
      assert.equal(removed.status, 200);
      assert.equal((await me(tokens.access_token)).status, 401);
      const attempts: Record<string, string>[] = [{ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { grant_type: 'authorization_code', code: pending }];
      for (const body of attempts) {
        const response = await tokenRequest(cloud, { ...body, ...creds });
        assert.equal(response.status, 400);
        assert.equal(await response.text(), '{"error":"invalid_request"}', 'the client and its tokens are gone');
      }
    });
  });
}

describe('OAuth token endpoint throttle', () => {
  it('slows down secret guessing (X-Nextcloud-Bruteforce-Throttled) but not a genuine client’s stale tokens', async () => {
    const cloud = await startTestCloud('sqlite', { CLOUD_BRUTEFORCE_PROTECTION: 'on', CLOUD_BRUTEFORCE_BASE_DELAY_MS: '1' });
    try {
      const genuine = await cloud.services.oauth.createClient('OpenProject', REDIRECT);
      for (let i = 0; i < 12; i += 1) {
        const stale = await tokenRequest(cloud, { grant_type: 'refresh_token', refresh_token: `stale${i}`, client_id: genuine.clientId, client_secret: genuine.clientSecret });
        assert.equal(await stale.text(), '{"error":"invalid_request"}');
        assert.equal(stale.headers.get('x-nextcloud-bruteforce-throttled'), null);
      }
      const first = await tokenRequest(cloud, { grant_type: 'refresh_token', refresh_token: 'nope', client_id: 'nope', client_secret: 'nope' });
      assert.equal(first.status, 400);
      assert.equal(first.headers.get('x-nextcloud-bruteforce-throttled'), null);
      const second = await tokenRequest(cloud, { grant_type: 'refresh_token', refresh_token: 'nope', client_id: 'nope', client_secret: 'nope' });
      assert.equal(second.status, 400);
      assert.equal(second.headers.get('x-nextcloud-bruteforce-throttled'), '1ms');
    } finally {
      await cloud.stop();
    }
  });
});

describe('occ oauth2 commands', () => {
  it('add a client (id and secret printed once), list it and remove it', async () => {
    const cloud = await startTestCloud('sqlite');
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const occ = async (...args: string[]) =>
      (await promisify(execFile)(process.execPath, ['--import', 'tsx', 'apps/cloud/src/cli/occ.ts', ...args], {
        cwd: root,
        env: { ...process.env, DATA_DIR: cloud.database.dataDir, LOG_LEVEL: 'silent' },
      })).stdout;
    try {
      const added = JSON.parse(await occ('oauth2:add-client', 'Nextcloud desktop', 'https://app.example/cb')) as Record<string, string>;
      assert.match(added.client_id!, /^[A-Za-z0-9]{64}$/);
      assert.match(added.client_secret!, /^[A-Za-z0-9]{64}$/);
      const wrongSecret = await tokenRequest(cloud, { grant_type: 'authorization_code', code: 'x', client_id: added.client_id!, client_secret: 'nope' });
      assert.equal(await wrongSecret.text(), '{"error":"invalid_client"}', 'the running server knows the new client');
      const listed = await occ('oauth2:list');
      assert.match(listed, new RegExp(`${added.client_id}: Nextcloud desktop \\(https://app.example/cb\\)`));
      assert.ok(!listed.includes(added.client_secret!));
      await occ('oauth2:remove-client', added.client_id!);
      assert.deepEqual(await cloud.services.oauth.listClients(), []);
    } finally {
      await cloud.stop();
    }
  });
});
