import crypto from 'node:crypto';
import { endSession, findLiveSession, hashToken, issueSession, randomToken, verifyPassword, type IssuedSession } from '@tandem/core';
import { errors } from '../errors.ts';
import type { UserRow } from '../users/repository.ts';
import type { UsersService } from '../users/service.ts';
import type { AuthRepository, AuthTokenRow } from './repository.ts';

export type AuthMethod = 'password' | 'app_password' | 'bearer' | 'session';

export interface AuthContext {
  user: UserRow;
  method: AuthMethod;
  /** The login name used (may differ in case from the user id). */
  loginName: string;
  /** The app token behind an app password or Bearer token. */
  tokenId?: number;
  /** Browser sessions only: the CSRF token the page must echo in `requesttoken`. */
  csrfToken?: string;
}

export interface Credentials {
  authorization?: string | undefined;
  sessionToken?: string | undefined;
}

export const SESSION_COOKIE = 'tandem_session';
const FAILURE_WINDOW_MS = 12 * 3600_000;
/** Verified Basic passwords are remembered briefly: argon2 on every DAV request would cost ~50 ms each. */
const PASSWORD_CACHE_MS = 5 * 60_000;

export class AuthService {
  private readonly verified = new Map<string, number>();

  constructor(
    private readonly repository: AuthRepository,
    private readonly users: UsersService,
    private readonly options: { bruteforceProtection: boolean; baseDelayMs: number },
  ) {}

  /**
   * Who is calling? `undefined` when no credentials were sent; throws `invalid_credentials` when
   * credentials were sent and are wrong (after the brute-force delay for that address).
   */
  async authenticate(credentials: Credentials, ip: string): Promise<AuthContext | undefined> {
    const header = credentials.authorization?.trim();
    if (header) {
      const [scheme = '', value = ''] = header.split(/\s+/, 2);
      if (/^basic$/i.test(scheme)) return this.checked(ip, () => this.basic(value));
      if (/^bearer$/i.test(scheme)) return this.checked(ip, () => this.bearer(value));
    }
    if (credentials.sessionToken) return this.session(credentials.sessionToken);
    return undefined;
  }

  /** Username + password (or app password) login, e.g. from the login page. */
  async login(loginName: string, password: string, ip: string): Promise<AuthContext> {
    const context = await this.checked(ip, () => this.passwordLogin(loginName, password));
    // Interactive logins only: stamping every Basic-authenticated DAV request would write on each one.
    await this.users.recordLogin(context.user.id);
    return context;
  }

  createSession(userId: string): Promise<IssuedSession> {
    return issueSession(this.repository, userId);
  }

  endSession(token: string): Promise<void> {
    return endSession(this.repository, token);
  }

  /** A new app password (72 characters), shown once; only its hash is stored. */
  async createAppPassword(context: AuthContext, name: string): Promise<{ id: number; password: string }> {
    // Only a real login (password or browser session) may mint app passwords; not app passwords or OAuth tokens.
    if (context.method === 'app_password' || context.method === 'bearer') throw errors.app_password_forbidden();
    return this.issueToken(context.user.id, context.loginName, name, 'app_password', null);
  }

  /** A new secret for the app password the caller is using; the old one stops working at once. */
  async rotateAppPassword(context: AuthContext): Promise<string> {
    if (context.method !== 'app_password' || context.tokenId === undefined) throw errors.app_password_required();
    const password = randomToken(72);
    await this.repository.updateTokenHash(context.tokenId, hashToken(password));
    return password;
  }

  /** Issue an app token of any kind (the OAuth module issues Bearer tokens through this). */
  async issueToken(
    userId: string,
    loginName: string,
    name: string,
    kind: AuthTokenRow['kind'],
    expiresAt: number | null,
  ): Promise<{ id: number; password: string }> {
    const password = randomToken(72);
    const id = await this.repository.insertToken({
      user_id: userId,
      login_name: loginName,
      name: name.slice(0, 120) || 'App password',
      token_hash: hashToken(password),
      kind,
      expires_at: expiresAt,
      created_at: Date.now(),
      last_used_at: null,
    });
    return { id, password };
  }

  listAppPasswords(userId: string): Promise<AuthTokenRow[]> {
    return this.repository.listTokens(userId, 'app_password');
  }

  async revokeToken(userId: string, tokenId: number): Promise<void> {
    const tokens = await this.repository.listTokens(userId, 'app_password');
    if (!tokens.some((t) => t.id === tokenId)) throw errors.not_found({ tokenId });
    await this.repository.deleteToken(tokenId);
  }

  deleteToken(tokenId: number): Promise<void> {
    return this.repository.deleteToken(tokenId);
  }

  /**
   * The brute-force wait for endpoints that check credentials themselves (the OAuth token endpoint):
   * waits as a login from this address would, and returns the milliseconds waited.
   */
  async throttleAttempt(ip: string): Promise<number> {
    return (await this.throttle(ip)).delay;
  }

  async recordFailedAttempt(ip: string, action: string): Promise<void> {
    if (this.options.bruteforceProtection) await this.repository.recordFailure(ip, action, Date.now());
  }

  /** Password changes end every browser session of that user. */
  endAllSessions(userId: string): Promise<void> {
    return this.repository.deleteSessionsOf(userId);
  }

  private async checked(ip: string, attempt: () => Promise<AuthContext | undefined>): Promise<AuthContext> {
    const { failures } = await this.throttle(ip);
    const context = await attempt();
    if (!context) {
      if (this.options.bruteforceProtection) await this.repository.recordFailure(ip, 'login', Date.now());
      throw errors.invalid_credentials();
    }
    if (failures > 0) await this.repository.clearFailures(ip);
    return context;
  }

  /** Nextcloud-style throttle: each recent failure from this address doubles the wait, up to 25 s. */
  private async throttle(ip: string): Promise<{ failures: number; delay: number }> {
    if (!this.options.bruteforceProtection) return { failures: 0, delay: 0 };
    const failures = await this.repository.countFailures(ip, Date.now() - FAILURE_WINDOW_MS);
    if (failures === 0) return { failures, delay: 0 };
    const delay = this.options.baseDelayMs * 2 ** (failures - 1);
    // Past 250 base delays (25 s at the default 100 ms) the address is refused outright.
    if (delay > this.options.baseDelayMs * 250) throw errors.throttled({ failures });
    await new Promise((resolve) => setTimeout(resolve, delay));
    return { failures, delay };
  }

  private async basic(encoded: string): Promise<AuthContext | undefined> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return this.passwordLogin(decoded.slice(0, colon), decoded.slice(colon + 1));
  }

  private async passwordLogin(loginName: string, password: string): Promise<AuthContext | undefined> {
    if (!loginName || !password) return undefined;
    const token = await this.repository.findToken(hashToken(password));
    if (token && token.kind === 'app_password' && token.login_name.toLowerCase() === loginName.toLowerCase()) {
      const user = await this.activeUser(token.user_id);
      if (!user) return undefined;
      await this.repository.touchToken(token.id, Date.now());
      return { user, method: 'app_password', loginName, tokenId: token.id };
    }
    const user = await this.users.find(loginName);
    if (!user || !user.enabled) return undefined;
    const cacheKey = crypto.createHash('sha256').update(`${user.id}\0${user.password_hash}\0${password}`).digest('hex');
    const until = this.verified.get(cacheKey);
    if (!(until && until > Date.now())) {
      if (!(await verifyPassword(user.password_hash, password))) return undefined;
      if (this.verified.size > 10_000) this.verified.clear();
      this.verified.set(cacheKey, Date.now() + PASSWORD_CACHE_MS);
    }
    return { user, method: 'password', loginName };
  }

  private async bearer(token: string): Promise<AuthContext | undefined> {
    const row = await this.repository.findToken(hashToken(token));
    if (!row || row.kind !== 'oauth' || (row.expires_at !== null && row.expires_at < Date.now())) return undefined;
    const user = await this.activeUser(row.user_id);
    if (!user) return undefined;
    return { user, method: 'bearer', loginName: row.login_name, tokenId: row.id };
  }

  private async session(token: string): Promise<AuthContext | undefined> {
    const row = await findLiveSession(this.repository, token);
    if (!row) return undefined;
    const user = await this.activeUser(row.user_id);
    if (!user) return undefined;
    return { user, method: 'session', loginName: user.id, csrfToken: row.csrf_token };
  }

  private async activeUser(id: string): Promise<UserRow | undefined> {
    const user = await this.users.find(id);
    return user?.enabled ? user : undefined;
  }
}
