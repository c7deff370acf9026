import type { OAuthFailure, TokenSet } from '@tandem/core';

/**
 * Nextcloud's token-endpoint error codes, which differ from RFC 6749: every bad code or refresh
 * token is `invalid_request`, an unknown grant type is `invalid_grant`, and only a wrong secret of an
 * existing client is `invalid_client` (a deleted client's tokens are simply gone: `invalid_request`).
 */
export function nextcloudTokenError(failure: OAuthFailure): 'invalid_request' | 'invalid_client' | 'invalid_grant' {
  if (failure.error === 'invalid_client' && failure.reason !== 'unknown_client') return 'invalid_client';
  if (failure.error === 'unsupported_grant_type') return 'invalid_grant';
  return 'invalid_request';
}

/** Exactly the fields (and order) Nextcloud answers with. */
export function nextcloudTokenBody(tokens: TokenSet) {
  return {
    access_token: tokens.accessToken,
    token_type: tokens.tokenType,
    expires_in: tokens.expiresIn,
    refresh_token: tokens.refreshToken,
    user_id: tokens.userId,
  };
}
