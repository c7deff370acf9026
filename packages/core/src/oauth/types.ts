/**
 * The OAuth 2 provider core's vocabulary. Products (Cloud, Projects) implement `OAuthStore` on their
 * own tables and render `OAuthFailure` in their own wire format.
 */

/** A registered client. Secrets are high-entropy and stored as SHA-256 hex (`hashToken`), never in plaintext. */
export interface OAuthClient {
  clientId: string;
  name: string;
  /** SHA-256 hex of the secret; `null` for a public client, which proves itself with PKCE instead. */
  secretHash: string | null;
  /** Matched exactly (no prefix, wildcard or normalisation). */
  redirectUris: string[];
  /** Scopes the client may ask for; `undefined` means scopes are not checked (Nextcloud ignores them). */
  scopes?: string[] | undefined;
}

export interface AuthorizationCode {
  /** SHA-256 hex of the code; the code itself is only ever in the redirect. */
  codeHash: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  /** The authorization request named `redirect_uri`: the token request must then repeat it (RFC 6749 §4.1.3). */
  redirectUriGiven: boolean;
  scope: string;
  /** PKCE S256 challenge (base64url SHA-256 of the verifier), or `null` when none was sent. */
  codeChallenge: string | null;
  createdAt: number;
  expiresAt: number;
  /** Set when the code is exchanged; a second exchange revokes what the first one issued. */
  usedAt: number | null;
}

/**
 * One live token pair: the refresh token (stored hashed) and the access token issued with it.
 * Rotation replaces the whole grant; revocation deletes it and the access token.
 */
export interface TokenGrant {
  refreshTokenHash: string;
  clientId: string;
  userId: string;
  scope: string;
  /** The product's handle of the access token (Cloud: the app-token id). */
  accessTokenId: string;
  /** SHA-256 hex of the access token, so revocation can find the grant from either token. */
  accessTokenHash: string;
  /** The authorization code this family of tokens descends from (for code-reuse revocation). */
  codeHash: string | null;
  createdAt: number;
  /** When the refresh token stops working; `null` = until used or revoked. */
  expiresAt: number | null;
}

export interface AccessTokenRequest {
  client: OAuthClient;
  userId: string;
  scope: string;
  expiresAt: number;
}

/**
 * What a product stores. `claimCode` and `takeGrant` must be atomic (a conditional UPDATE or a
 * DELETE … RETURNING): of two concurrent calls with the same hash exactly one wins.
 */
export interface OAuthStore {
  findClient(clientId: string): Promise<OAuthClient | undefined>;
  insertCode(code: AuthorizationCode): Promise<void>;
  /**
   * Mark the code used (`usedAt = now`) if it is not yet, and return the record as it was before this
   * call (so `usedAt !== null` means it had already been used); `undefined` when unknown.
   */
  claimCode(codeHash: string, now: number): Promise<AuthorizationCode | undefined>;
  /** Issue an access token (the product chooses its form); `undefined` if the user may no longer get tokens. */
  issueAccessToken(request: AccessTokenRequest): Promise<{ id: string; token: string } | undefined>;
  revokeAccessToken(id: string): Promise<void>;
  insertGrant(grant: TokenGrant): Promise<void>;
  /** Delete and return the grant of this refresh token. */
  takeGrant(refreshTokenHash: string): Promise<TokenGrant | undefined>;
  /** Delete and return the grant whose access token has this hash. */
  takeGrantByAccessToken(accessTokenHash: string): Promise<TokenGrant | undefined>;
  /** Delete and return every grant descending from this code. */
  takeGrantsFromCode(codeHash: string): Promise<TokenGrant[]>;
  /** Delete every code and grant of the client; return the grants (their access tokens are revoked next). */
  takeGrantsOfClient(clientId: string): Promise<TokenGrant[]>;
}

/** RFC 6749 §5.2 / §4.1.2.1 error codes (plus RFC 7009's). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_token_type'
  | 'server_error';

/**
 * Why exactly the request failed. Adapters map on this when their product deviates from the RFC
 * (Nextcloud answers `invalid_request` for every bad code and `invalid_grant` for a bad grant type).
 */
export type OAuthFailureReason =
  | 'missing_parameter'
  | 'unknown_client'
  | 'client_authentication_failed'
  | 'redirect_uri_mismatch'
  | 'redirect_uri_required'
  | 'unsupported_response_type'
  | 'unsupported_grant_type'
  | 'pkce_required'
  | 'pkce_method_unsupported'
  | 'pkce_invalid_challenge'
  | 'pkce_verifier_missing'
  | 'pkce_verifier_mismatch'
  | 'pkce_verifier_unexpected'
  | 'invalid_scope'
  | 'code_unknown'
  | 'code_reused'
  | 'code_expired'
  | 'code_client_mismatch'
  | 'refresh_token_unknown'
  | 'refresh_token_expired'
  | 'token_client_mismatch'
  | 'user_inactive'
  | 'access_denied';

export interface OAuthFailure {
  error: OAuthErrorCode;
  reason: OAuthFailureReason;
  /** English, safe to show (never contains a secret). */
  description: string;
  /**
   * Authorization requests only: whether the error may be sent back to the client's redirect URI
   * (`false` when the client or its redirect URI could not be trusted; then show an error page).
   */
  redirectable: boolean;
  /** Set when `redirectable`: the client's checked redirect URI to send the error to. */
  redirectUri?: string | undefined;
}

export type OAuthResult<T> = { ok: true; value: T } | { ok: false; failure: OAuthFailure };

/** A validated authorization request, ready for the consent page and `issueCode`. */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  redirectUriGiven: boolean;
  scope: string;
  state: string | undefined;
  codeChallenge: string | null;
}

/** The raw query/form parameters of an authorization request. */
export interface AuthorizationParams {
  response_type?: string | undefined;
  client_id?: string | undefined;
  redirect_uri?: string | undefined;
  scope?: string | undefined;
  state?: string | undefined;
  code_challenge?: string | undefined;
  code_challenge_method?: string | undefined;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string | undefined;
  /** Where they came from (RFC 6749 §2.3.1): HTTP Basic or the form body. */
  via: 'basic' | 'body';
}

export interface TokenSet {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
  scope: string;
  userId: string;
  /** Epoch ms when issued (Doorkeeper reports `created_at` in seconds). */
  createdAt: number;
}
