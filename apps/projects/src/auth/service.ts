import { endSession, findLiveSession, hashToken, issueSession, randomToken, type IssuedSession } from '@tandem/core';
import { errors } from '../errors.ts';
import type { UserRow } from '../users/repository.ts';
import type { UsersService } from '../users/service.ts';
import type { ApiKeyRow, AuthRepository } from './repository.ts';

export type AuthMethod = 'session' | 'api_key' | 'oauth';

export interface AuthContext {
  user: UserRow;
  method: AuthMethod;
  /** Browser sessions: the CSRF token state-changing requests must echo in `X-CSRF-Token`. */
  csrfToken?: string;
  /** OAuth Bearer tokens: the application and granted scopes. */
  oauth?: { applicationId: number; scopes: string[] };
}

export interface Credentials {
  authorization?: string | undefined;
  sessionToken?: string | undefined;
}

/** Resolves a Bearer token to a user; the OAuth module registers one. */
export type BearerResolver = (token: string) => Promise<{ userId: number; applicationId: number; scopes: string[] } | undefined>;

export const SESSION_COOKIE = '_projects_session';

export class AuthService {
  private readonly bearerResolvers: BearerResolver[] = [];

  constructor(
    private readonly repository: AuthRepository,
    private readonly users: UsersService,
  ) {}

  addBearerResolver(resolver: BearerResolver): void {
    this.bearerResolvers.push(resolver);
  }

  /**
   * Who is calling? `undefined` when no credentials were sent; throws `unauthenticated` when
   * credentials were sent and are wrong. Basic auth takes only API keys (`apikey:<key>`), as
   * OpenProject; Bearer takes OAuth access tokens and API keys.
   */
  async authenticate(credentials: Credentials): Promise<AuthContext | undefined> {
    const header = credentials.authorization?.trim();
    if (header) {
      const [scheme = '', value = ''] = header.split(/\s+/, 2);
      let context: AuthContext | undefined;
      if (/^basic$/i.test(scheme)) context = await this.basic(value);
      else if (/^bearer$/i.test(scheme)) context = await this.bearer(value);
      if (!context) throw errors.unauthenticated({ scheme: scheme.toLowerCase() });
      return context;
    }
    if (credentials.sessionToken) return this.session(credentials.sessionToken);
    return undefined;
  }

  /** Login form: the user for this login and password (active accounts only). */
  async login(login: string, password: string): Promise<UserRow> {
    const user = await this.users.checkPassword(login, password);
    if (!user) throw errors.invalid_credentials();
    await this.users.recordLogin(user.id);
    return user;
  }

  createSession(userId: number): Promise<IssuedSession> {
    return issueSession(this.repository, userId);
  }

  endSession(token: string): Promise<void> {
    return endSession(this.repository, token);
  }

  endAllSessions(userId: number): Promise<void> {
    return this.repository.deleteSessionsOf(userId);
  }

  deleteExpiredSessions(): Promise<void> {
    return this.repository.deleteExpiredSessions(Date.now());
  }

  /** A new API key, shown once; only its SHA-256 is stored. */
  async createApiKey(userId: number, name: string): Promise<{ key: ApiKeyRow; token: string }> {
    const token = randomToken(64);
    const key = await this.repository.insertApiKey({
      user_id: userId,
      name: name.trim() || 'API key',
      token_hash: hashToken(token),
      created_at: Date.now(),
      last_used_at: null,
    });
    return { key, token };
  }

  listApiKeys(userId: number): Promise<ApiKeyRow[]> {
    return this.repository.listApiKeys(userId);
  }

  async revokeApiKey(userId: number, id: number): Promise<void> {
    if (!(await this.repository.deleteApiKey(userId, id))) throw errors.not_found({ resource: 'api_key', id });
  }

  private async basic(encoded: string): Promise<AuthContext | undefined> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(0, colon) !== 'apikey') return undefined;
    return this.apiKey(decoded.slice(colon + 1));
  }

  private async bearer(token: string): Promise<AuthContext | undefined> {
    if (!token) return undefined;
    for (const resolve of this.bearerResolvers) {
      const found = await resolve(token);
      if (!found) continue;
      const user = await this.activeUser(found.userId);
      return user ? { user, method: 'oauth', oauth: { applicationId: found.applicationId, scopes: found.scopes } } : undefined;
    }
    return this.apiKey(token);
  }

  private async apiKey(token: string): Promise<AuthContext | undefined> {
    if (!token) return undefined;
    const key = await this.repository.findApiKey(hashToken(token));
    if (!key) return undefined;
    const user = await this.activeUser(key.user_id);
    if (!user) return undefined;
    await this.repository.touchApiKey(key.id, Date.now());
    return { user, method: 'api_key' };
  }

  private async session(token: string): Promise<AuthContext | undefined> {
    const row = await findLiveSession(this.repository, token);
    if (!row) return undefined;
    const user = await this.activeUser(row.user_id);
    return user ? { user, method: 'session', csrfToken: row.csrf_token } : undefined;
  }

  private async activeUser(id: number): Promise<UserRow | undefined> {
    const user = await this.users.find(id);
    return user?.status === 'active' ? user : undefined;
  }
}
