import { randomToken } from '../secrets.ts';
import type { AccessTokenRequest, AuthorizationCode, OAuthClient, OAuthStore, TokenGrant } from './types.ts';

/**
 * `OAuthStore` in memory: the reference for the semantics a database store must keep, and a fixture
 * for unit tests. Access tokens are random 40-character strings.
 */
export class MemoryOAuthStore implements OAuthStore {
  readonly clients = new Map<string, OAuthClient>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly grants = new Map<string, TokenGrant>();
  /** Live access tokens by id. */
  readonly accessTokens = new Map<string, { token: string; userId: string; clientId: string; expiresAt: number }>();
  /** Users for whom `issueAccessToken` refuses (disabled accounts). */
  readonly inactiveUsers = new Set<string>();
  private nextId = 1;

  async findClient(clientId: string) {
    return this.clients.get(clientId);
  }

  async insertCode(code: AuthorizationCode) {
    this.codes.set(code.codeHash, { ...code });
  }

  async claimCode(codeHash: string, now: number) {
    const code = this.codes.get(codeHash);
    if (!code) return undefined;
    const before = { ...code };
    if (code.usedAt === null) code.usedAt = now;
    return before;
  }

  async issueAccessToken(request: AccessTokenRequest) {
    if (this.inactiveUsers.has(request.userId)) return undefined;
    const id = String(this.nextId++);
    const token = randomToken(40);
    this.accessTokens.set(id, { token, userId: request.userId, clientId: request.client.clientId, expiresAt: request.expiresAt });
    return { id, token };
  }

  async revokeAccessToken(id: string) {
    this.accessTokens.delete(id);
  }

  async insertGrant(grant: TokenGrant) {
    this.grants.set(grant.refreshTokenHash, { ...grant });
  }

  async takeGrant(refreshTokenHash: string) {
    const grant = this.grants.get(refreshTokenHash);
    this.grants.delete(refreshTokenHash);
    return grant;
  }

  async takeGrantByAccessToken(accessTokenHash: string) {
    const grant = [...this.grants.values()].find((g) => g.accessTokenHash === accessTokenHash);
    return grant ? this.takeGrant(grant.refreshTokenHash) : undefined;
  }

  async takeGrantsFromCode(codeHash: string) {
    return this.takeWhere((g) => g.codeHash === codeHash);
  }

  async takeGrantsOfClient(clientId: string) {
    for (const [hash, code] of this.codes) if (code.clientId === clientId) this.codes.delete(hash);
    return this.takeWhere((g) => g.clientId === clientId);
  }

  private takeWhere(test: (grant: TokenGrant) => boolean): TokenGrant[] {
    const taken = [...this.grants.values()].filter(test);
    for (const grant of taken) this.grants.delete(grant.refreshTokenHash);
    return taken;
  }
}
