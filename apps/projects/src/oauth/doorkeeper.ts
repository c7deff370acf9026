import type { OAuthFailure, TokenSet } from '@tandem/core';

/**
 * OpenProject's OAuth endpoints are Doorkeeper's: its error JSON (`error`, `error_description` with
 * Doorkeeper's English texts), its status codes and its token response fields (`created_at` in seconds).
 */
const DESCRIPTIONS: Record<string, string> = {
  invalid_request: 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
  invalid_client: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_grant: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  unauthorized_client: 'The client is not authorized to perform this request using this method.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  unsupported_response_type: 'The authorization server does not support this response type.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
  access_denied: 'The resource owner or authorization server denied the request.',
  server_error: 'The authorization server encountered an unexpected condition which prevented it from fulfilling the request.',
};

export const INVALID_REDIRECT_URI = "The requested redirect uri is malformed or doesn't match client redirect URI.";

export const describeError = (error: string) => DESCRIPTIONS[error] ?? error;

/** Doorkeeper's description of a failure ("Missing required parameter: code." for missing ones). */
export function describe(failure: OAuthFailure): string {
  if (failure.reason === 'missing_parameter') return `Missing required parameter: ${failure.description.split(' ')[0]}.`;
  if (failure.reason === 'redirect_uri_mismatch' && failure.error === 'invalid_request') return INVALID_REDIRECT_URI;
  if (failure.reason === 'pkce_method_unsupported') return 'The code challenge method must be plain or S256.';
  return DESCRIPTIONS[failure.error] ?? failure.description;
}

/** Status and body of a token or revocation endpoint failure. */
export function errorResponse(failure: OAuthFailure, endpoint: 'token' | 'revoke'): { status: number; body: Record<string, string> } {
  if (endpoint === 'revoke' && failure.error === 'unauthorized_client') {
    return { status: 403, body: { error: 'unauthorized_client', error_description: 'You are not authorized to revoke this token' } };
  }
  const status = failure.error === 'invalid_client' ? 401 : 400;
  return { status, body: { error: failure.error, error_description: describe(failure) } };
}

export function tokenResponse(tokens: TokenSet) {
  return {
    access_token: tokens.accessToken,
    token_type: tokens.tokenType,
    expires_in: tokens.expiresIn,
    refresh_token: tokens.refreshToken,
    scope: tokens.scope,
    created_at: Math.floor(tokens.createdAt / 1000),
  };
}
