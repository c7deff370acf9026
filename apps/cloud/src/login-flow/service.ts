import { hashToken, randomToken, type SecretBox } from '@tandem/core';
import { errors } from '../errors.ts';
import type { AuthContext, AuthService } from '../auth/service.ts';
import type { LoginFlowRepository, LoginFlowRow } from './repository.ts';

/** Nextcloud's lifetime of a login flow v2 request. */
export const LOGIN_FLOW_TTL_MS = 20 * 60_000;

export interface LoginFlowResult {
  loginName: string;
  appPassword: string;
}

/**
 * Login flow v2 (spec §2.8): a client starts a flow and gets a poll token and a login token; the
 * user opens the login URL, signs in and grants access, which mints an app password; the client's
 * next poll receives it exactly once. Both tokens are stored as SHA-256; the app password waits
 * sealed with the server key until that poll.
 */
export class LoginFlowService {
  constructor(
    private readonly repository: LoginFlowRepository,
    private readonly auth: AuthService,
    private readonly secrets: SecretBox,
  ) {}

  async start(clientName: string): Promise<{ pollToken: string; loginToken: string }> {
    const now = Date.now();
    await this.repository.deleteExpired(now);
    const pollToken = randomToken(128);
    const loginToken = randomToken(128);
    await this.repository.insert({
      poll_token_hash: hashToken(pollToken),
      login_token_hash: hashToken(loginToken),
      client_name: clientName.slice(0, 120) || 'Desktop client',
      created_at: now,
      expires_at: now + LOGIN_FLOW_TTL_MS,
      user_id: null,
      login_name: null,
      app_password_sealed: null,
      granted_at: null,
    });
    return { pollToken, loginToken };
  }

  /** The pending flow behind a login URL; expired, unknown or already granted flows are not found. */
  async pending(loginToken: string): Promise<LoginFlowRow> {
    const row = await this.repository.findByLoginHash(hashToken(loginToken));
    if (!row || row.expires_at < Date.now() || row.granted_at !== null) throw errors.login_flow_not_found();
    return row;
  }

  /** The signed-in user grants the client access: a new app password named after the client. */
  async grant(loginToken: string, context: AuthContext): Promise<LoginFlowRow> {
    const row = await this.pending(loginToken);
    const created = await this.auth.createAppPassword(context, row.client_name);
    const granted = await this.repository.markGranted(row.id, {
      user_id: context.user.id,
      login_name: context.loginName,
      app_password_sealed: this.secrets.encrypt(created.password),
      granted_at: Date.now(),
    });
    if (!granted) {
      await this.auth.deleteToken(created.id);
      throw errors.login_flow_not_found();
    }
    return row;
  }

  /** The client's poll: the credentials once after the grant, otherwise undefined (HTTP 404). */
  async poll(pollToken: string): Promise<LoginFlowResult | undefined> {
    const row = await this.repository.findByPollHash(hashToken(pollToken));
    if (!row || row.expires_at < Date.now() || !row.app_password_sealed || !row.login_name) return undefined;
    if (!(await this.repository.delete(row.id))) return undefined;
    return { loginName: row.login_name, appPassword: this.secrets.decrypt(row.app_password_sealed) };
  }
}
