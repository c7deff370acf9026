import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { hashToken, randomToken } from './secrets.ts';

/** A row of a product's `sessions` table (same columns on both servers; only the user id type differs). */
export interface SessionRow<UserId extends string | number> {
  token_hash: string;
  user_id: UserId;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

/** Browser sessions last 14 days on both servers. */
export const SESSION_TTL_MS = 14 * 24 * 3600_000;

/**
 * Browser sessions on the SQL table `sessions`, found by the SHA-256 of their cookie token. A product's
 * auth repository extends this class (as OAuth stores extend `SqlOAuthCodesAndGrants`).
 */
export class SqlSessions<UserId extends string | number> {
  // Typed for either id type; rows go in and come out as the product's `UserId`.
  private readonly sessionTables: Kysely<{ sessions: SessionRow<string | number> }>;

  constructor(db: Kysely<any>) {
    this.sessionTables = db;
  }

  async findSession(tokenHash: string): Promise<SessionRow<UserId> | undefined> {
    const row = await this.sessionTables.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row as SessionRow<UserId> | undefined;
  }

  async insertSession(row: SessionRow<UserId>): Promise<void> {
    await this.sessionTables.insertInto('sessions').values(row).execute();
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.sessionTables.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteSessionsOf(userId: UserId): Promise<void> {
    await this.sessionTables.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteExpiredSessions(now: number): Promise<void> {
    await this.sessionTables.deleteFrom('sessions').where('expires_at', '<', now).execute();
  }
}

export interface IssuedSession {
  /** The cookie value (64 characters); only its hash is stored. */
  token: string;
  /** The token state-changing requests of this session must echo in a header. */
  csrfToken: string;
  expiresAt: number;
}

/** A new browser session for the user: a random cookie token (stored hashed) and a CSRF token. */
export async function issueSession<UserId extends string | number>(store: SqlSessions<UserId>, userId: UserId): Promise<IssuedSession> {
  const token = randomToken(64);
  const csrfToken = randomToken(32);
  const expiresAt = Date.now() + SESSION_TTL_MS;
  await store.insertSession({
    token_hash: hashToken(token),
    user_id: userId,
    csrf_token: csrfToken,
    created_at: Date.now(),
    expires_at: expiresAt,
  });
  return { token, csrfToken, expiresAt };
}

/** The session behind a cookie token, unless unknown or expired. */
export async function findLiveSession<UserId extends string | number>(
  store: SqlSessions<UserId>,
  token: string,
): Promise<SessionRow<UserId> | undefined> {
  const row = await store.findSession(hashToken(token));
  return row && row.expires_at >= Date.now() ? row : undefined;
}

export function endSession<UserId extends string | number>(store: SqlSessions<UserId>, token: string): Promise<void> {
  return store.deleteSession(hashToken(token));
}

/** The session cookie's attributes: HTTP-only, same-site lax, secure behind HTTPS, expiring with the session. */
export function sessionCookieOptions(request: FastifyRequest, expiresAt: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: request.protocol === 'https', expires: new Date(expiresAt) };
}

/** What the per-request resolution needs of a product's auth context. */
export interface SessionAwareContext {
  method: string;
  csrfToken?: string | undefined;
}

export interface CsrfRule {
  /** Methods that change nothing and so need no CSRF token. */
  safeMethods: readonly string[];
  /** The request header (lower case) that must equal the session's CSRF token. */
  header: string;
  /** Requests that pass without the token (e.g. a header a cross-site form cannot send). */
  exempt?: (request: FastifyRequest) => boolean;
  failed: () => Error;
}

/**
 * The caller of a request, resolved once per request (routes and hooks may ask several times). Browser
 * sessions (`method: 'session'`) must also pass the CSRF check on methods outside `safeMethods`.
 */
export function memoisedRequestAuth<Context extends SessionAwareContext>(
  rule: CsrfRule,
): (request: FastifyRequest, authenticate: () => Promise<Context | undefined>) => Promise<Context | undefined> {
  const cache = new WeakMap<FastifyRequest, Promise<Context | undefined>>();
  const safe = new Set(rule.safeMethods);
  return (request, authenticate) => {
    let pending = cache.get(request);
    if (!pending) {
      pending = authenticate().then((context) => {
        if (context?.method === 'session' && !safe.has(request.method)) {
          const passed = rule.exempt?.(request) || request.headers[rule.header] === context.csrfToken;
          if (!passed) throw rule.failed();
        }
        return context;
      });
      cache.set(request, pending);
    }
    return pending;
  };
}

/** Public base URL for links we hand out: the configured one, else what the client used to reach us. */
export function publicBaseUrl(configured: string | undefined, request: FastifyRequest): string {
  if (configured) return configured;
  return `${request.protocol}://${request.host}`;
}
