import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { testDialects } from '@tandem/core/testkit';
import { assertSchema } from '../api/openapi.ts';
import { startTestProjects, TEST_ADMIN_PASSWORD, type TestProjects } from '../testing.ts';

const REDIRECT = 'https://nc.example.org/index.php/apps/integration_openproject/oauth-redirect';
const insecure = { [oauth.allowInsecureRequests]: true };

for (const dialect of testDialects()) {
  describe(`OAuth 2 provider on ${dialect}`, () => {
    let server: TestProjects;
    let as: oauth.AuthorizationServer;
    let client: oauth.Client;
    let clientAuth: oauth.ClientAuth;
    let secret: string;
    let applicationId: number;
    let cookie: string;

    /** A PKCE authorization request as the Nextcloud app sends it (no scope), consented in the browser session. */
    async function authorize(options: { redirectUri?: string; challenge?: string | null; decision?: string } = {}) {
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set('client_id', client.client_id);
      url.searchParams.set('redirect_uri', options.redirectUri ?? REDIRECT);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('state', state);
      const challenge = options.challenge === undefined ? await oauth.calculatePKCECodeChallenge(verifier) : options.challenge;
      if (challenge !== null) {
        url.searchParams.set('code_challenge', challenge);
        url.searchParams.set('code_challenge_method', 'S256');
      }
      const consent = await fetch(url, { headers: { cookie }, redirect: 'manual' });
      const page = await consent.text();
      if (consent.status !== 200) return { status: consent.status, page, location: consent.headers.get('location'), verifier, state };
      assert.match(page, /Authorize Nextcloud/);
      const fields = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));
      const decided = await fetch(`${server.url}/oauth/authorize`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, decision: options.decision ?? 'authorize' }),
        redirect: 'manual',
      });
      return { status: decided.status, page: '', location: decided.headers.get('location'), verifier, state };
    }

    async function codeFlow() {
      const { location, verifier, state } = await authorize();
      const params = oauth.validateAuthResponse(as, client, new URL(location!), state);
      const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, REDIRECT, verifier, insecure);
      return oauth.processAuthorizationCodeResponse(as, client, response);
    }

    const me = (token: string) => server.api('GET', '/api/v3/users/me', { auth: `Bearer ${token}` });

    before(async () => {
      server = await startTestProjects(dialect);
      as = {
        issuer: server.url,
        authorization_endpoint: `${server.url}/oauth/authorize`,
        token_endpoint: `${server.url}/oauth/token`,
        revocation_endpoint: `${server.url}/oauth/revoke`,
      };
      const created = await server.api('POST', '/api/admin/oauth_applications', {
        auth: server.adminAuth,
        body: { name: 'Nextcloud', redirectUri: [REDIRECT], confidential: true, scopes: ['api_v3'] },
      });
      assert.equal(created.status, 201);
      secret = created.body.clientSecret;
      applicationId = created.body.id;
      client = { client_id: created.body.clientId };
      clientAuth = oauth.ClientSecretPost(secret);
      const login = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: TEST_ADMIN_PASSWORD }),
      });
      cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    });
    after(() => server.stop());

    it('creates applications with the secret shown once and stored hashed', async () => {
      const shown = await server.api('GET', `/api/v3/oauth_applications/${applicationId}`, { auth: server.adminAuth });
      assert.equal(shown.status, 200);
      assert.equal(shown.body.clientSecret, undefined);
      assert.equal(shown.body.confidential, true);
      assert.deepEqual(shown.body.scopes, ['api_v3']);
      assert.deepEqual(shown.body._links.redirectUri, [{ href: REDIRECT }]);
      await assertSchema('oauth_application_read_model', shown.body);
      const row = await server.services.db.selectFrom('oauth_applications').selectAll().where('id', '=', applicationId).executeTakeFirstOrThrow();
      assert.notEqual(row.secret_hash, secret);
      const { auth } = await server.createUser('nonadmin');
      assert.equal((await server.api('GET', `/api/v3/oauth_applications/${applicationId}`, { auth })).status, 403);
      assert.equal((await server.api('POST', '/api/admin/oauth_applications', { auth, body: { name: 'x', redirectUri: [REDIRECT] } })).status, 403);
      const invalid = await server.api('POST', '/api/admin/oauth_applications', { auth: server.adminAuth, body: { name: '', redirectUri: ['not a uri'] } });
      assert.equal(invalid.status, 422);
      assert.equal(invalid.body._embedded.errors.length, 2);
    });

    it('runs the full code + PKCE flow with oauth4webapi; the Bearer token authenticates API v3', async () => {
      const tokens = await codeFlow();
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.equal(tokens.expires_in, 7200);
      assert.equal(tokens.scope, 'api_v3');
      assert.ok(tokens.refresh_token);
      assert.equal(typeof tokens.created_at, 'number');
      const whoami = await me(tokens.access_token);
      assert.equal(whoami.status, 200);
      assert.equal(whoami.body.login, 'admin');
      const stored = await server.services.db.selectFrom('oauth_access_tokens').select('token_hash').execute();
      assert.ok(stored.every((t) => t.token_hash !== tokens.access_token), 'tokens are stored hashed');
    });

    it('refreshes (also with an empty scope=, as the Nextcloud app sends) and rotates the pair', async () => {
      const first = await codeFlow();
      const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth, first.refresh_token!, insecure));
      assert.notEqual(refreshed.access_token, first.access_token);
      assert.equal((await me(refreshed.access_token)).status, 200);
      assert.equal((await me(first.access_token)).status, 401, 'the old access token died with its refresh token');
      const again = await fetch(as.token_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Nextcloud OpenProject integration' },
        body: new URLSearchParams({ client_id: client.client_id, client_secret: secret, grant_type: 'refresh_token', refresh_token: first.refresh_token!, scope: '' }),
      });
      assert.equal(again.status, 400, 'a rotated refresh token is spent');
      assert.equal(((await again.json()) as any).error, 'invalid_grant');
      const emptyScope = await fetch(as.token_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `client_id=${client.client_id}&client_secret=${secret}&grant_type=refresh_token&refresh_token=${refreshed.refresh_token}&scope=`,
      });
      assert.equal(emptyScope.status, 200);
      const body = (await emptyScope.json()) as any;
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'created_at', 'expires_in', 'refresh_token', 'scope', 'token_type']);
      assert.equal(body.scope, 'api_v3');
      assert.equal((await me(body.access_token)).status, 200);
    });

    it('revokes tokens (RFC 7009 and the Nextcloud way: token in the query, Basic client auth)', async () => {
      const tokens = await codeFlow();
      await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, clientAuth, tokens.access_token, insecure));
      assert.equal((await me(tokens.access_token)).status, 401);
      const refresh = await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, insecure);
      await assert.rejects(oauth.processRefreshTokenResponse(as, client, refresh), { error: 'invalid_grant' });

      const second = await codeFlow();
      const basic = `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`;
      const revoked = await fetch(`${server.url}/oauth/revoke?token=${second.access_token}`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(revoked.status, 200);
      assert.equal((await me(second.access_token)).status, 401);
      const unknown = await fetch(`${server.url}/oauth/revoke?token=nothing-like-it`, { method: 'POST', headers: { authorization: basic } });
      assert.equal(unknown.status, 200, 'unknown tokens are not an error (RFC 7009)');
      const badClient = await fetch(`${server.url}/oauth/revoke?token=x`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:wrong`).toString('base64')}` } });
      assert.equal(badClient.status, 401);
    });

    it('refuses a wrong redirect URI, a missing or wrong verifier and a reused code', async () => {
      const wrongRedirect = await authorize({ redirectUri: 'https://evil.example.org/callback' });
      assert.equal(wrongRedirect.status, 400, 'shown to the user, never redirected');
      assert.match(wrongRedirect.page, /doesn&#39;t match client redirect URI/);

      const tokenRequest = (fields: Record<string, string>) =>
        fetch(as.token_endpoint!, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: client.client_id, client_secret: secret, grant_type: 'authorization_code', redirect_uri: REDIRECT, ...fields }),
        });
      const codeOf = (location: string | null) => new URL(location!).searchParams.get('code')!;

      const a = await authorize();
      const missing = await tokenRequest({ code: codeOf(a.location) });
      assert.equal(missing.status, 400);
      assert.equal(((await missing.json()) as any).error, 'invalid_grant');

      const b = await authorize();
      const wrong = await tokenRequest({ code: codeOf(b.location), code_verifier: oauth.generateRandomCodeVerifier() });
      assert.equal(((await wrong.json()) as any).error, 'invalid_grant');

      const c = await authorize();
      const otherRedirect = await tokenRequest({ code: codeOf(c.location), code_verifier: c.verifier, redirect_uri: 'https://evil.example.org/callback' });
      assert.equal(((await otherRedirect.json()) as any).error, 'invalid_grant');

      const d = await authorize();
      const ok = await tokenRequest({ code: codeOf(d.location), code_verifier: d.verifier });
      assert.equal(ok.status, 200);
      const issued = (await ok.json()) as any;
      assert.equal((await me(issued.access_token)).status, 200);
      const reused = await tokenRequest({ code: codeOf(d.location), code_verifier: d.verifier });
      assert.equal(reused.status, 400);
      assert.deepEqual(await reused.json(), {
        error: 'invalid_grant',
        error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
      });
      assert.equal((await me(issued.access_token)).status, 401, 'a replayed code revokes what it issued');

      const badSecret = await fetch(as.token_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: client.client_id, client_secret: 'wrong', grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }),
      });
      assert.equal(badSecret.status, 401);
      assert.equal(((await badSecret.json()) as any).error, 'invalid_client');
      const json = await fetch(as.token_endpoint!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token' }) });
      assert.equal(json.status, 400);
      assert.equal(((await json.json()) as any).error, 'invalid_request');
    });

    it('sends the user to sign in first, denies on request, and refuses a forged consent form', async () => {
      const url = `/oauth/authorize?client_id=${client.client_id}&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&state=s1&code_challenge=${await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier())}&code_challenge_method=S256`;
      const anonymous = await fetch(`${server.url}${url}`, { redirect: 'manual' });
      assert.equal(anonymous.status, 302);
      const loginUrl = anonymous.headers.get('location')!;
      assert.match(loginUrl, /^\/oauth\/login\?back_url=/);
      const signIn = await fetch(`${server.url}/oauth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'admin', password: TEST_ADMIN_PASSWORD, back_url: new URL(loginUrl, server.url).searchParams.get('back_url')! }),
        redirect: 'manual',
      });
      assert.equal(signIn.status, 303);
      assert.equal(signIn.headers.get('location'), url);
      const offsite = await fetch(`${server.url}/oauth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'admin', password: TEST_ADMIN_PASSWORD, back_url: '//evil.example.org/' }),
        redirect: 'manual',
      });
      assert.equal(offsite.headers.get('location'), '/', 'no open redirect');

      const denied = await authorize({ decision: 'deny' });
      const deniedUrl = new URL(denied.location!);
      assert.equal(deniedUrl.searchParams.get('error'), 'access_denied');
      assert.equal(deniedUrl.searchParams.get('state'), denied.state);

      const codesBefore = await server.services.db.selectFrom('oauth_codes').select('id').execute();
      const forged = await fetch(`${server.url}/oauth/authorize`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', decision: 'authorize' }),
        redirect: 'manual',
      });
      assert.equal(forged.status, 422);
      assert.equal((await server.services.db.selectFrom('oauth_codes').select('id').execute()).length, codesBefore.length);
    });

    it('ends every token of an application when its secret is regenerated or it is deleted', async () => {
      const tokens = await codeFlow();
      const regenerated = await server.api('POST', `/api/admin/oauth_applications/${applicationId}/secret`, { auth: server.adminAuth });
      assert.ok(regenerated.body.clientSecret && regenerated.body.clientSecret !== secret);
      assert.equal((await me(tokens.access_token)).status, 401);
      secret = regenerated.body.clientSecret;
      clientAuth = oauth.ClientSecretPost(secret);
      const fresh = await codeFlow();
      assert.equal((await me(fresh.access_token)).status, 200);
      assert.equal((await server.api('DELETE', `/api/admin/oauth_applications/${applicationId}`, { auth: server.adminAuth })).status, 204);
      assert.equal((await me(fresh.access_token)).status, 401);
      assert.equal((await server.api('GET', `/api/v3/oauth_applications/${applicationId}`, { auth: server.adminAuth })).status, 404);
    });
  });
}
