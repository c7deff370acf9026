import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { hashToken } from '../secrets.ts';
import { MemoryOAuthStore } from './memory-store.ts';
import { s256Challenge, verifyS256 } from './pkce.ts';
import { OAuthProvider, type OAuthProviderOptions } from './provider.ts';
import type { AuthorizationParams, ClientCredentials, OAuthResult, TokenSet } from './types.ts';
import { authorizationErrorRedirect, isValidRedirectUri, newClientCredentials, parseClientCredentials, redirectWith } from './wire.ts';

const REDIRECT = 'https://client.example/callback';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function value<T>(result: OAuthResult<T>): T {
  if (!result.ok) assert.fail(`expected success, got ${result.failure.reason}`);
  return result.value;
}

function refusal<T>(result: OAuthResult<T>) {
  if (result.ok) assert.fail('expected a refusal');
  return result.failure;
}

describe('OAuth provider core', () => {
  let store: MemoryOAuthStore;
  let clock: number;
  let provider: OAuthProvider;
  let confidential: ClientCredentials;
  let other: ClientCredentials;
  const make = (options: Partial<OAuthProviderOptions> = {}) => new OAuthProvider({ store, now: () => clock, ...options });

  beforeEach(() => {
    store = new MemoryOAuthStore();
    clock = 1_700_000_000_000;
    for (const [name, uris] of [['app', [REDIRECT]], ['other', ['https://other.example/cb']]] as const) {
      const creds = newClientCredentials();
      store.clients.set(creds.clientId, { clientId: creds.clientId, name, secretHash: creds.secretHash, redirectUris: [...uris] });
      const credentials = { clientId: creds.clientId, clientSecret: creds.clientSecret, via: 'body' as const };
      if (name === 'app') confidential = credentials;
      else other = credentials;
    }
    store.clients.set('public-app', { clientId: 'public-app', name: 'SPA', secretHash: null, redirectUris: [REDIRECT, 'app.example:/cb'] });
    provider = make();
  });

  async function authorize(params: AuthorizationParams = {}, userId = 'alice', p = provider): Promise<string> {
    const request = value(await p.validateAuthorization({ response_type: 'code', client_id: confidential.clientId, ...params }));
    return p.issueCode(request, userId);
  }

  async function codeFlow(): Promise<TokenSet> {
    const code = await authorize({ code_challenge: CHALLENGE, code_challenge_method: 'S256', redirect_uri: REDIRECT });
    return value(await provider.token(confidential, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: VERIFIER }));
  }

  it('computes S256 challenges as RFC 7636 appendix B does', () => {
    assert.equal(s256Challenge(VERIFIER), CHALLENGE);
    assert.equal(verifyS256(VERIFIER, CHALLENGE), true);
    assert.equal(verifyS256('short', s256Challenge('short')), false, 'verifiers under 43 characters never match');
  });

  it('runs the code flow with PKCE and issues a Bearer token pair bound to the user', async () => {
    const tokens = await codeFlow();
    assert.equal(tokens.tokenType, 'Bearer');
    assert.equal(tokens.expiresIn, 3600);
    assert.equal(tokens.userId, 'alice');
    assert.equal(tokens.refreshToken.length, 64);
    const [access] = [...store.accessTokens.values()];
    assert.equal(access?.token, tokens.accessToken);
    assert.equal(access?.expiresAt, clock + 3600_000);
    assert.ok(!JSON.stringify([...store.codes.values(), ...store.grants.values()]).includes(tokens.refreshToken), 'only hashes are stored');
  });

  it('matches redirect URIs exactly and does not redirect to an unregistered one', async () => {
    for (const redirect_uri of [`${REDIRECT}/`, 'https://CLIENT.example/callback', `${REDIRECT}?x=1`, 'https://evil.example/callback']) {
      const failed = refusal(await provider.validateAuthorization({ response_type: 'code', client_id: confidential.clientId, redirect_uri }));
      assert.equal(failed.reason, 'redirect_uri_mismatch');
      assert.equal(failed.redirectable, false);
    }
    const unknown = refusal(await provider.validateAuthorization({ response_type: 'code', client_id: 'nope' }));
    assert.deepEqual([unknown.error, unknown.redirectable], ['invalid_client', false]);
    const several = refusal(await provider.validateAuthorization({ response_type: 'code', client_id: 'public-app', code_challenge: CHALLENGE, code_challenge_method: 'S256' }));
    assert.equal(several.reason, 'redirect_uri_required');
    const token = refusal(await provider.token(confidential, {
      grant_type: 'authorization_code',
      code: await authorize({ redirect_uri: REDIRECT }),
      redirect_uri: 'https://client.example/other',
    }));
    assert.deepEqual([token.error, token.reason], ['invalid_grant', 'redirect_uri_mismatch']);
    const omitted = refusal(await provider.token(confidential, { grant_type: 'authorization_code', code: await authorize({ redirect_uri: REDIRECT }) }));
    assert.equal(omitted.reason, 'redirect_uri_mismatch', 'a redirect_uri named at authorization must be repeated');
  });

  it('redirects response-type and PKCE errors back to the client, and refuses plain PKCE', async () => {
    const base = { client_id: confidential.clientId, response_type: 'code' };
    const cases: [AuthorizationParams, string, string][] = [
      [{ ...base, response_type: 'token' }, 'unsupported_response_type', 'unsupported_response_type'],
      [{ ...base, code_challenge: VERIFIER, code_challenge_method: 'plain' }, 'invalid_request', 'pkce_method_unsupported'],
      [{ ...base, code_challenge: CHALLENGE }, 'invalid_request', 'pkce_method_unsupported'],
      [{ ...base, code_challenge: 'abc', code_challenge_method: 'S256' }, 'invalid_request', 'pkce_invalid_challenge'],
      [{ ...base, client_id: 'public-app', redirect_uri: REDIRECT }, 'invalid_request', 'pkce_required'],
    ];
    for (const [params, error, reason] of cases) {
      const failed = refusal(await provider.validateAuthorization(params));
      assert.deepEqual([failed.error, failed.reason, failed.redirectable], [error, reason, true], reason);
      assert.equal(failed.redirectUri, REDIRECT);
    }
    assert.equal(refusal(await make({ pkce: 'required' }).validateAuthorization(base)).reason, 'pkce_required');
    assert.ok((await make({ pkce: 'optional' }).validateAuthorization(base)).ok);
  });

  it('checks the code verifier when a challenge was sent, and refuses a verifier without one', async () => {
    const withChallenge = () => authorize({ code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    const exchange = async (code: string, code_verifier?: string) =>
      refusal(await provider.token(confidential, { grant_type: 'authorization_code', code, code_verifier })).reason;
    assert.equal(await exchange(await withChallenge()), 'pkce_verifier_missing');
    assert.equal(await exchange(await withChallenge(), VERIFIER.replace('d', 'e')), 'pkce_verifier_mismatch');
    assert.equal(await exchange(await authorize(), VERIFIER), 'pkce_verifier_unexpected');
  });

  it('lets a public client in with PKCE and no secret', async () => {
    const request = value(await provider.validateAuthorization({
      response_type: 'code', client_id: 'public-app', redirect_uri: 'app.example:/cb', code_challenge: CHALLENGE, code_challenge_method: 'S256',
    }));
    const code = await provider.issueCode(request, 'bob');
    const publicCreds = { clientId: 'public-app', clientSecret: undefined, via: 'body' as const };
    const tokens = value(await provider.token(publicCreds, { grant_type: 'authorization_code', code, redirect_uri: 'app.example:/cb', code_verifier: VERIFIER }));
    assert.equal(tokens.userId, 'bob');
    assert.equal(refusal(await provider.authenticateClient({ ...publicCreds, clientSecret: 'guess' })).error, 'invalid_client');
  });

  it('uses a code once; a second use revokes the tokens the first one issued', async () => {
    const code = await authorize();
    const first = value(await provider.token(confidential, { grant_type: 'authorization_code', code }));
    assert.equal(store.accessTokens.size, 1);
    const again = refusal(await provider.token(confidential, { grant_type: 'authorization_code', code }));
    assert.deepEqual([again.error, again.reason], ['invalid_grant', 'code_reused']);
    assert.equal(store.accessTokens.size, 0, 'the access token from the first exchange is revoked');
    assert.equal(refusal(await provider.token(confidential, { grant_type: 'refresh_token', refresh_token: first.refreshToken })).reason, 'refresh_token_unknown');
  });

  it('expires codes after ten minutes and binds them to their client', async () => {
    const code = await authorize();
    clock += 10 * 60_000;
    assert.equal(refusal(await provider.token(confidential, { grant_type: 'authorization_code', code })).reason, 'code_expired');
    const fresh = await authorize();
    assert.equal(refusal(await provider.token(other, { grant_type: 'authorization_code', code: fresh })).reason, 'code_client_mismatch');
    assert.equal(refusal(await provider.token(confidential, { grant_type: 'authorization_code', code: 'made-up' })).reason, 'code_unknown');
  });

  it('authenticates clients by secret and refuses wrong, missing or unknown ones alike', async () => {
    assert.equal(value(await provider.authenticateClient(confidential)).name, 'app');
    for (const credentials of [
      { ...confidential, clientSecret: `${confidential.clientSecret!.slice(0, -1)}${confidential.clientSecret!.endsWith('x') ? 'y' : 'x'}` },
      { ...confidential, clientSecret: undefined },
      { ...confidential, clientSecret: other.clientSecret },
      { ...confidential, clientId: 'unknown' },
      undefined,
    ]) {
      assert.equal(refusal(await provider.authenticateClient(credentials)).error, 'invalid_client');
    }
    assert.equal(refusal(await provider.authenticateClient({ ...confidential, clientId: 'unknown' })).reason, 'unknown_client');
    const code = await authorize();
    const wrong = refusal(await provider.token({ ...confidential, clientSecret: 'nope' }, { grant_type: 'authorization_code', code }));
    assert.equal(wrong.error, 'invalid_client');
    assert.ok(value(await provider.token(confidential, { grant_type: 'authorization_code', code })), 'a refused client does not burn the code');
  });

  it('refuses unknown grant types and missing parameters', async () => {
    assert.equal(refusal(await provider.token(confidential, { grant_type: 'password' })).error, 'unsupported_grant_type');
    assert.equal(refusal(await provider.token(confidential, {})).error, 'invalid_request');
    assert.equal(refusal(await provider.token(confidential, { grant_type: 'authorization_code' })).error, 'invalid_request');
    assert.equal(refusal(await provider.token(confidential, { grant_type: 'refresh_token' })).error, 'invalid_request');
  });

  it('rotates refresh tokens: the old refresh and access tokens stop working', async () => {
    const first = await codeFlow();
    clock += 60_000;
    const second = value(await provider.token(confidential, { grant_type: 'refresh_token', refresh_token: first.refreshToken, scope: '' }));
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.deepEqual([...store.accessTokens.values()].map((t) => t.token), [second.accessToken]);
    assert.equal([...store.accessTokens.values()][0]?.expiresAt, clock + 3600_000);
    const replay = refusal(await provider.token(confidential, { grant_type: 'refresh_token', refresh_token: first.refreshToken }));
    assert.deepEqual([replay.error, replay.reason], ['invalid_grant', 'refresh_token_unknown']);
    const stolen = refusal(await provider.token(other, { grant_type: 'refresh_token', refresh_token: second.refreshToken }));
    assert.equal(stolen.reason, 'token_client_mismatch');
    assert.equal(store.accessTokens.size, 0, 'a refresh token presented by another client is burnt');
  });

  it('limits refresh-token age and scope, and refuses users who can no longer sign in', async () => {
    const aged = make({ refreshTokenTtlMs: 1000 });
    const code = await authorize({}, 'alice', aged);
    const tokens = value(await aged.token(confidential, { grant_type: 'authorization_code', code }));
    clock += 1000;
    assert.equal(refusal(await aged.token(confidential, { grant_type: 'refresh_token', refresh_token: tokens.refreshToken })).reason, 'refresh_token_expired');

    store.clients.get(confidential.clientId)!.scopes = ['api_v3', 'read'];
    const scoped = make({ defaultScope: 'api_v3' });
    assert.equal(refusal(await scoped.validateAuthorization({ response_type: 'code', client_id: confidential.clientId, scope: 'admin' })).error, 'invalid_scope');
    const scopedCode = await authorize({}, 'alice', scoped);
    const pair = value(await scoped.token(confidential, { grant_type: 'authorization_code', code: scopedCode }));
    assert.equal(pair.scope, 'api_v3');
    const wider = refusal(await scoped.token(confidential, { grant_type: 'refresh_token', refresh_token: pair.refreshToken, scope: 'api_v3 read' }));
    assert.equal(wider.error, 'invalid_scope');
    store.inactiveUsers.add('alice');
    const disabled = refusal(await scoped.token(confidential, { grant_type: 'refresh_token', refresh_token: pair.refreshToken }));
    assert.equal(disabled.reason, 'user_inactive', 'the grant survived the refused scope request');
    assert.equal(store.accessTokens.size, 0);
  });

  it('revokes by refresh or access token, ignores unknown tokens and protects other clients\u2019 tokens', async () => {
    const a = await codeFlow();
    assert.deepEqual(value(await provider.revoke(confidential, { token: a.refreshToken })), { revoked: true });
    assert.equal(store.accessTokens.size, 0);
    const b = await codeFlow();
    assert.equal(refusal(await provider.revoke(other, { token: b.accessToken })).error, 'unauthorized_client');
    assert.equal(store.grants.size, 1, 'another client cannot revoke it');
    assert.deepEqual(value(await provider.revoke(confidential, { token: b.accessToken, token_type_hint: 'access_token' })), { revoked: true });
    assert.equal(store.grants.size, 0);
    assert.deepEqual(value(await provider.revoke(confidential, { token: 'unknown' })), { revoked: false });
    assert.equal(refusal(await provider.revoke(confidential, {})).error, 'invalid_request');
  });

  it('ends every code and token of a client', async () => {
    await codeFlow();
    await codeFlow();
    const pending = await authorize();
    assert.equal(await provider.revokeClient(confidential.clientId), 2);
    assert.equal(store.accessTokens.size, 0);
    assert.equal(store.codes.has(hashToken(pending)), false);
  });
});

describe('OAuth wire helpers', () => {
  it('prefers Basic credentials and form-decodes them', () => {
    const basic = `Basic ${Buffer.from('my%20id:s%3Acret').toString('base64')}`;
    assert.deepEqual(parseClientCredentials(basic, { client_id: 'body', client_secret: 'x' }), { clientId: 'my id', clientSecret: 's:cret', via: 'basic' });
    assert.deepEqual(parseClientCredentials(undefined, { client_id: 'id', client_secret: 'sec' }), { clientId: 'id', clientSecret: 'sec', via: 'body' });
    assert.deepEqual(parseClientCredentials('Bearer x', { client_id: 'id' }), { clientId: 'id', clientSecret: undefined, via: 'body' });
    assert.equal(parseClientCredentials(undefined, {}), undefined);
  });

  it('appends redirect parameters in order', () => {
    assert.equal(redirectWith('https://a.example/cb', { state: 'a b', code: 'c' }), 'https://a.example/cb?state=a%20b&code=c');
    assert.equal(redirectWith('https://a.example/cb?x=1', { state: undefined, code: 'c' }), 'https://a.example/cb?x=1&code=c');
    const denied = { error: 'access_denied' as const, description: 'No', redirectUri: 'https://a.example/cb' };
    assert.equal(authorizationErrorRedirect(denied, 's'), 'https://a.example/cb?error=access_denied&error_description=No&state=s');
    assert.throws(() => authorizationErrorRedirect({ ...denied, redirectUri: undefined }, 's'));
  });

  it('accepts only absolute redirect URIs without fragments', () => {
    assert.equal(isValidRedirectUri('https://op.example/oauth_clients/abc/callback'), true);
    assert.equal(isValidRedirectUri('http://localhost:3000/cb'), true);
    assert.equal(isValidRedirectUri('com.example.app:/cb'), true);
    for (const bad of ['/relative', 'https://a.example/cb#frag', 'javascript:alert(1)', 'not a url', 'data:text/html,x']) {
      assert.equal(isValidRedirectUri(bad), false, bad);
    }
  });

  it('makes 64-character alphanumeric client credentials and keeps only the secret hash', () => {
    const creds = newClientCredentials();
    assert.match(creds.clientId, /^[A-Za-z0-9]{64}$/);
    assert.match(creds.clientSecret, /^[A-Za-z0-9]{64}$/);
    assert.equal(creds.secretHash, hashToken(creds.clientSecret));
  });
});
