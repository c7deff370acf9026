import {
  OAuthProvider,
  isValidRedirectUri,
  newClientCredentials,
  redirectWith,
  type AuthorizationParams,
  type AuthorizationRequest,
  type ClientCredentials,
  type OAuthResult,
  type OAuthStore,
  type TokenParams,
  type TokenSet,
} from '@tandem/core';
import type { AuthService } from '../auth/service.ts';
import { errors } from '../errors.ts';
import type { UsersService } from '../users/service.ts';
import type { OAuthClientRow, OAuthRepository } from './repository.ts';

/** What the admin API and `occ` show of a client; the secret only once, at creation. */
export interface OAuthClientView {
  id: number;
  name: string;
  redirectUri: string;
  clientId: string;
}

const toView = (row: OAuthClientRow): OAuthClientView => ({
  id: row.id,
  name: row.name,
  redirectUri: row.redirect_uri,
  clientId: row.client_id,
});

/**
 * Nextcloud's oauth2 app on the shared provider core: 64-character client ids and secrets,
 * 128-character codes and refresh tokens, access tokens that are app tokens of kind `oauth` (so Bearer
 * auth works everywhere), optional PKCE, and scopes ignored as Nextcloud ignores them.
 */
export class OAuthService {
  /** The provider's clock; tests replace `now` to expire codes without waiting. */
  readonly clock = { now: (): number => Date.now() };
  private readonly provider: OAuthProvider;

  constructor(
    private readonly repository: OAuthRepository,
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {
    const store: OAuthStore = {
      findClient: (clientId) => repository.findClient(clientId),
      insertCode: (code) => repository.insertCode(code),
      claimCode: (hash, now) => repository.claimCode(hash, now),
      insertGrant: (grant) => repository.insertGrant(grant),
      takeGrant: (hash) => repository.takeGrant(hash),
      takeGrantByAccessToken: (hash) => repository.takeGrantByAccessToken(hash),
      takeGrantsFromCode: (hash) => repository.takeGrantsFromCode(hash),
      takeGrantsOfClient: (clientId) => repository.takeGrantsOfClient(clientId),
      issueAccessToken: async ({ client, userId, expiresAt }) => {
        const user = await this.users.find(userId);
        if (!user?.enabled) return undefined;
        const token = await this.auth.issueToken(user.id, user.id, client.name, 'oauth', expiresAt);
        return { id: String(token.id), token: token.password };
      },
      revokeAccessToken: (id) => this.auth.deleteToken(Number(id)),
    };
    this.provider = new OAuthProvider({
      store,
      pkce: 'optional',
      codeTtlMs: 10 * 60_000,
      accessTokenTtlMs: 3600_000,
      codeLength: 128,
      refreshTokenLength: 128,
      now: () => this.clock.now(),
    });
  }

  async listClients(): Promise<OAuthClientView[]> {
    return (await this.repository.listClients()).map(toView);
  }

  async createClient(name: string, redirectUri: string): Promise<OAuthClientView & { clientSecret: string }> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 64) throw errors.oauth_invalid_client_name();
    if (!isValidRedirectUri(redirectUri)) throw errors.oauth_invalid_redirect_uri();
    const { clientId, clientSecret, secretHash } = newClientCredentials(64, 64);
    const id = await this.repository.insertClient({
      name: trimmed,
      redirect_uri: redirectUri,
      client_id: clientId,
      secret_hash: secretHash,
      created_at: Date.now(),
    });
    return { id, name: trimmed, redirectUri, clientId, clientSecret };
  }

  /** Delete a client (by row id or client id) with every code and token it was given. */
  async deleteClient(where: { id: number } | { clientId: string }): Promise<void> {
    const row = await this.repository.findClientRow(where);
    if (!row) throw errors.oauth_client_not_found();
    await this.revokeClientTokens(row.client_id);
    await this.repository.deleteClient(row.id);
  }

  /** End every authorization of a client (its codes, refresh and access tokens); returns how many grants ended. */
  revokeClientTokens(clientId: string): Promise<number> {
    return this.provider.revokeClient(clientId);
  }

  validateAuthorization(params: AuthorizationParams): Promise<OAuthResult<AuthorizationRequest>> {
    return this.provider.validateAuthorization({ ...params, scope: undefined });
  }

  /** The user granted access: where to send the browser (`?state=…&code=…`, Nextcloud's order). */
  async grant(request: AuthorizationRequest, userId: string): Promise<string> {
    const code = await this.provider.issueCode(request, userId);
    return redirectWith(request.redirectUri, { state: request.state, code });
  }

  token(credentials: ClientCredentials | undefined, params: TokenParams): Promise<OAuthResult<TokenSet>> {
    return this.provider.token(credentials, { ...params, scope: undefined });
  }
}
