import crypto from 'node:crypto';
import { hashToken, randomToken } from '../secrets.ts';
import { isValidS256Challenge, verifyS256 } from './pkce.ts';
import type {
  AuthorizationParams,
  AuthorizationRequest,
  ClientCredentials,
  OAuthClient,
  OAuthErrorCode,
  OAuthFailure,
  OAuthFailureReason,
  OAuthResult,
  OAuthStore,
  TokenGrant,
  TokenSet,
} from './types.ts';

export interface OAuthProviderOptions {
  store: OAuthStore;
  /** Authorization codes live this long (RFC 6749 §4.1.2 recommends at most 10 minutes). */
  codeTtlMs?: number;
  accessTokenTtlMs?: number;
  /** Refresh tokens stop working this long after they were issued; `null` (default) = never by age. */
  refreshTokenTtlMs?: number | null;
  codeLength?: number;
  refreshTokenLength?: number;
  /**
   * `public` (default): PKCE required for public clients only; `required`: for every client;
   * `optional`: verified only when the client sent a challenge (Nextcloud). `plain` is always refused.
   */
  pkce?: 'public' | 'required' | 'optional';
  /** Scope granted when the request names none. */
  defaultScope?: string;
  /** The clock (epoch ms); injectable so tests can expire codes without waiting. */
  now?: () => number;
}

export interface TokenParams {
  grant_type?: string | undefined;
  code?: string | undefined;
  redirect_uri?: string | undefined;
  code_verifier?: string | undefined;
  refresh_token?: string | undefined;
  scope?: string | undefined;
}

export interface RevokeParams {
  token?: string | undefined;
  token_type_hint?: string | undefined;
}

export function oauthFailure(
  error: OAuthErrorCode,
  reason: OAuthFailureReason,
  description: string,
  /** The checked redirect URI, for authorization errors that may be sent back to the client. */
  redirectUri?: string,
): { ok: false; failure: OAuthFailure } {
  return { ok: false, failure: { error, reason, description, redirectable: redirectUri !== undefined, redirectUri } };
}

const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** Space-separated scope → sorted unique list (`scope=` and a missing scope are both empty). */
function scopeList(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))].sort();
}

/** A SHA-256 hex digest that a secret would never produce; compared against when the client is unknown. */
const NO_SECRET = '0'.repeat(64);

/**
 * OAuth 2 authorization-code provider (RFC 6749 §4.1, RFC 7636 PKCE S256, RFC 7009 revocation),
 * independent of storage and wire format. Methods return `OAuthResult`; they never throw for bad
 * client input (store errors do propagate).
 */
export class OAuthProvider {
  private readonly store: OAuthStore;
  private readonly codeTtlMs: number;
  private readonly accessTokenTtlMs: number;
  private readonly refreshTokenTtlMs: number | null;
  private readonly codeLength: number;
  private readonly refreshTokenLength: number;
  private readonly pkce: 'public' | 'required' | 'optional';
  private readonly defaultScope: string;
  private readonly now: () => number;

  constructor(options: OAuthProviderOptions) {
    this.store = options.store;
    this.codeTtlMs = options.codeTtlMs ?? 10 * 60_000;
    this.accessTokenTtlMs = options.accessTokenTtlMs ?? 3600_000;
    this.refreshTokenTtlMs = options.refreshTokenTtlMs ?? null;
    this.codeLength = options.codeLength ?? 64;
    this.refreshTokenLength = options.refreshTokenLength ?? 64;
    this.pkce = options.pkce ?? 'public';
    this.defaultScope = options.defaultScope ?? '';
    this.now = options.now ?? Date.now;
  }

  /**
   * Client authentication (RFC 6749 §2.3): the secret's SHA-256 is compared in constant time. An
   * unknown client id fails as `invalid_client` too, with reason `unknown_client`.
   */
  async authenticateClient(credentials: ClientCredentials | undefined): Promise<OAuthResult<OAuthClient>> {
    const refused = oauthFailure('invalid_client', 'client_authentication_failed', 'Client authentication failed');
    if (!credentials?.clientId) return refused;
    const client = await this.store.findClient(credentials.clientId);
    if (client && client.secretHash === null) return credentials.clientSecret ? refused : ok(client);
    const given = Buffer.from(hashToken(credentials.clientSecret ?? ''), 'hex');
    const expected = Buffer.from(client?.secretHash ?? NO_SECRET, 'hex');
    const match = given.length === expected.length && crypto.timingSafeEqual(given, expected);
    if (!client) return oauthFailure('invalid_client', 'unknown_client', 'Client authentication failed');
    return credentials.clientSecret && match ? ok(client) : refused;
  }

  /**
   * Check an authorization request (RFC 6749 §4.1.1, §3.1.2.4). Failures before the redirect URI is
   * trusted are not `redirectable`: show them to the user instead of redirecting.
   */
  async validateAuthorization(params: AuthorizationParams): Promise<OAuthResult<AuthorizationRequest>> {
    if (!params.client_id) return oauthFailure('invalid_request', 'missing_parameter', 'client_id is missing');
    const client = await this.store.findClient(params.client_id);
    if (!client) return oauthFailure('invalid_client', 'unknown_client', 'Unknown client');
    let redirectUri: string;
    if (params.redirect_uri) {
      if (!client.redirectUris.includes(params.redirect_uri)) {
        return oauthFailure('invalid_request', 'redirect_uri_mismatch', 'The redirect URI is not registered for this client');
      }
      redirectUri = params.redirect_uri;
    } else if (client.redirectUris.length === 1) {
      redirectUri = client.redirectUris[0]!;
    } else {
      return oauthFailure('invalid_request', 'redirect_uri_required', 'redirect_uri is required for this client');
    }

    if (!params.response_type) return oauthFailure('invalid_request', 'missing_parameter', 'response_type is missing', redirectUri);
    if (params.response_type !== 'code') {
      return oauthFailure('unsupported_response_type', 'unsupported_response_type', 'Only response_type=code is supported', redirectUri);
    }
    const challenge = params.code_challenge || null;
    if (challenge !== null || params.code_challenge_method) {
      // A challenge without a method means `plain` (RFC 7636 §4.3), which we refuse.
      if (params.code_challenge_method !== 'S256') {
        return oauthFailure('invalid_request', 'pkce_method_unsupported', 'code_challenge_method must be S256', redirectUri);
      }
      if (challenge === null || !isValidS256Challenge(challenge)) {
        return oauthFailure('invalid_request', 'pkce_invalid_challenge', 'code_challenge is not a valid S256 challenge', redirectUri);
      }
    } else if (this.pkce === 'required' || (this.pkce === 'public' && client.secretHash === null)) {
      return oauthFailure('invalid_request', 'pkce_required', 'PKCE (code_challenge with S256) is required', redirectUri);
    }
    const requested = scopeList(params.scope);
    const scopes = requested.length ? requested : scopeList(this.defaultScope);
    if (client.scopes && scopes.some((s) => !client.scopes!.includes(s))) {
      return oauthFailure('invalid_scope', 'invalid_scope', 'The requested scope is not allowed for this client', redirectUri);
    }
    return ok({
      client,
      redirectUri,
      redirectUriGiven: Boolean(params.redirect_uri),
      scope: scopes.join(' '),
      state: params.state,
      codeChallenge: challenge,
    });
  }

  /** After the user consented: a single-use code (only its hash is stored). */
  async issueCode(request: AuthorizationRequest, userId: string): Promise<string> {
    const code = randomToken(this.codeLength);
    const now = this.now();
    await this.store.insertCode({
      codeHash: hashToken(code),
      clientId: request.client.clientId,
      userId,
      redirectUri: request.redirectUri,
      redirectUriGiven: request.redirectUriGiven,
      scope: request.scope,
      codeChallenge: request.codeChallenge,
      createdAt: now,
      expiresAt: now + this.codeTtlMs,
      usedAt: null,
    });
    return code;
  }

  /** The token endpoint: `authorization_code` and `refresh_token` grants for an authenticated client. */
  async token(credentials: ClientCredentials | undefined, params: TokenParams): Promise<OAuthResult<TokenSet>> {
    if (!params.grant_type) return oauthFailure('invalid_request', 'missing_parameter', 'grant_type is missing');
    if (params.grant_type !== 'authorization_code' && params.grant_type !== 'refresh_token') {
      return oauthFailure('unsupported_grant_type', 'unsupported_grant_type', 'Unsupported grant type');
    }
    const client = await this.authenticateClient(credentials);
    if (!client.ok) return client;
    return params.grant_type === 'authorization_code'
      ? this.exchangeCode(client.value, params)
      : this.refresh(client.value, params);
  }

  /** RFC 6749 §4.1.3 + RFC 7636 §4.6. A reused code revokes the tokens its first use issued (§10.5). */
  async exchangeCode(client: OAuthClient, params: TokenParams): Promise<OAuthResult<TokenSet>> {
    if (!params.code) return oauthFailure('invalid_request', 'missing_parameter', 'code is missing');
    const now = this.now();
    const code = await this.store.claimCode(hashToken(params.code), now);
    if (!code) return oauthFailure('invalid_grant', 'code_unknown', 'The authorization code is invalid');
    if (code.usedAt !== null) {
      await this.revokeGrants(await this.store.takeGrantsFromCode(code.codeHash));
      return oauthFailure('invalid_grant', 'code_reused', 'The authorization code was already used');
    }
    if (code.clientId !== client.clientId) {
      return oauthFailure('invalid_grant', 'code_client_mismatch', 'The authorization code was issued to another client');
    }
    if (code.expiresAt <= now) return oauthFailure('invalid_grant', 'code_expired', 'The authorization code has expired');
    if ((code.redirectUriGiven || params.redirect_uri) && params.redirect_uri !== code.redirectUri) {
      return oauthFailure('invalid_grant', 'redirect_uri_mismatch', 'redirect_uri does not match the authorization request');
    }
    if (code.codeChallenge !== null) {
      if (!params.code_verifier) return oauthFailure('invalid_grant', 'pkce_verifier_missing', 'code_verifier is missing');
      if (!verifyS256(params.code_verifier, code.codeChallenge)) {
        return oauthFailure('invalid_grant', 'pkce_verifier_mismatch', 'code_verifier does not match the code challenge');
      }
    } else if (params.code_verifier) {
      // A verifier without a challenge hints at a downgrade attempt (OAuth 2.1 §4.1.3).
      return oauthFailure('invalid_grant', 'pkce_verifier_unexpected', 'code_verifier sent but no code challenge was');
    }
    return this.issueTokens(client, code.userId, code.scope, code.codeHash);
  }

  /**
   * Refresh with rotation (RFC 6749 §6, §10.4): the old refresh token and its access token stop
   * working; a new pair is issued. The refresh token is bound to its client.
   */
  async refresh(client: OAuthClient, params: TokenParams): Promise<OAuthResult<TokenSet>> {
    if (!params.refresh_token) return oauthFailure('invalid_request', 'missing_parameter', 'refresh_token is missing');
    const grant = await this.store.takeGrant(hashToken(params.refresh_token));
    if (!grant) return oauthFailure('invalid_grant', 'refresh_token_unknown', 'The refresh token is invalid');
    if (grant.clientId !== client.clientId) {
      // Another client holds this token, so it leaked: it is burnt along with its access token.
      await this.store.revokeAccessToken(grant.accessTokenId);
      return oauthFailure('invalid_grant', 'token_client_mismatch', 'The refresh token was issued to another client');
    }
    if (grant.expiresAt !== null && grant.expiresAt <= this.now()) {
      await this.store.revokeAccessToken(grant.accessTokenId);
      return oauthFailure('invalid_grant', 'refresh_token_expired', 'The refresh token has expired');
    }
    const requested = scopeList(params.scope);
    const granted = scopeList(grant.scope);
    if (requested.some((s) => !granted.includes(s))) {
      await this.store.insertGrant(grant);
      return oauthFailure('invalid_scope', 'invalid_scope', 'The requested scope exceeds the granted scope');
    }
    const scope = requested.length ? requested.join(' ') : grant.scope;
    const issued = await this.issueTokens(client, grant.userId, scope, grant.codeHash);
    await this.store.revokeAccessToken(grant.accessTokenId);
    return issued;
  }

  /**
   * RFC 7009: revoke a refresh or access token (either ends the whole grant) for an authenticated
   * client. Unknown tokens are not an error; a token of another client is refused with `unauthorized_client` and left alone.
   */
  async revoke(credentials: ClientCredentials | undefined, params: RevokeParams): Promise<OAuthResult<{ revoked: boolean }>> {
    const authenticated = await this.authenticateClient(credentials);
    if (!authenticated.ok) return authenticated;
    const client = authenticated.value;
    if (!params.token) return oauthFailure('invalid_request', 'missing_parameter', 'token is missing');
    const hash = hashToken(params.token);
    const byRefresh = () => this.store.takeGrant(hash);
    const byAccess = () => this.store.takeGrantByAccessToken(hash);
    const [first, second] = params.token_type_hint === 'access_token' ? [byAccess, byRefresh] : [byRefresh, byAccess];
    const grant = (await first()) ?? (await second());
    if (!grant) return ok({ revoked: false });
    if (grant.clientId !== client.clientId) {
      await this.store.insertGrant(grant);
      return oauthFailure('unauthorized_client', 'token_client_mismatch', 'The token was issued to another client');
    }
    await this.store.revokeAccessToken(grant.accessTokenId);
    return ok({ revoked: true });
  }

  /** End every code and token of a client (client deleted, or its secret reset). Returns the grants ended. */
  async revokeClient(clientId: string): Promise<number> {
    const grants = await this.store.takeGrantsOfClient(clientId);
    await this.revokeGrants(grants);
    return grants.length;
  }

  private async revokeGrants(grants: TokenGrant[]): Promise<void> {
    for (const grant of grants) await this.store.revokeAccessToken(grant.accessTokenId);
  }

  private async issueTokens(
    client: OAuthClient,
    userId: string,
    scope: string,
    codeHash: string | null,
  ): Promise<OAuthResult<TokenSet>> {
    const now = this.now();
    const access = await this.store.issueAccessToken({ client, userId, scope, expiresAt: now + this.accessTokenTtlMs });
    if (!access) return oauthFailure('invalid_grant', 'user_inactive', 'The user can no longer authorize this client');
    const refreshToken = randomToken(this.refreshTokenLength);
    await this.store.insertGrant({
      refreshTokenHash: hashToken(refreshToken),
      clientId: client.clientId,
      userId,
      scope,
      accessTokenId: access.id,
      accessTokenHash: hashToken(access.token),
      codeHash,
      createdAt: now,
      expiresAt: this.refreshTokenTtlMs === null ? null : now + this.refreshTokenTtlMs,
    });
    return ok({
      accessToken: access.token,
      tokenType: 'Bearer',
      expiresIn: Math.round(this.accessTokenTtlMs / 1000),
      refreshToken,
      scope,
      userId,
      createdAt: now,
    });
  }
}
