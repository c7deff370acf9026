import { OAuthProvider, hashToken, isValidRedirectUri, newClientCredentials } from '@tandem/core';
import { constraintViolation, errors } from '../errors.ts';
import type { BearerResolver } from '../auth/service.ts';
import { redirectUris, type OAuthApplicationRow, type OAuthRepository } from './repository.ts';

/** Scopes an application may hold (OpenProject: `api_v3`, and `bcf_v2_1` for BCF clients). */
export const KNOWN_SCOPES = ['api_v3', 'bcf_v2_1'];
/** Doorkeeper's lifetimes in OpenProject: codes 10 minutes, access tokens 2 hours, refresh tokens until used. */
export const ACCESS_TOKEN_TTL_MS = 2 * 3600_000;

export interface ApplicationInput {
  name?: string | undefined;
  redirectUris?: string[] | undefined;
  confidential?: boolean | undefined;
  scopes?: string[] | undefined;
  /** The resource that manages the application (a storage creates its own). */
  integration?: { type: string; id: number } | null | undefined;
}

/**
 * OpenProject's OAuth 2 provider: applications managed by admins (or by an integration such as a
 * storage), the authorization-code flow with PKCE through the core `OAuthProvider`, and Bearer
 * authentication of API v3 requests with the access tokens it issues.
 */
export class OAuthService {
  readonly provider: OAuthProvider;

  constructor(readonly repository: OAuthRepository) {
    this.provider = new OAuthProvider({
      store: repository,
      codeTtlMs: 10 * 60_000,
      accessTokenTtlMs: ACCESS_TOKEN_TTL_MS,
      refreshTokenTtlMs: null,
      pkce: 'public',
      defaultScope: 'api_v3',
    });
  }

  listApplications(): Promise<OAuthApplicationRow[]> {
    return this.repository.listApplications();
  }

  async getApplication(id: number): Promise<OAuthApplicationRow> {
    const row = await this.repository.findApplication(id);
    if (!row) throw errors.not_found({ resource: 'oauth_application', id });
    return row;
  }

  findByClientId(clientId: string): Promise<OAuthApplicationRow | undefined> {
    return this.repository.findApplicationByUid(clientId);
  }

  /** A new application; a confidential one gets a secret, returned here once and stored hashed. */
  async createApplication(ownerId: number | null, input: ApplicationInput): Promise<{ application: OAuthApplicationRow; clientSecret?: string }> {
    validate(input, true);
    const { clientId, clientSecret, secretHash } = newClientCredentials(43, 43);
    const confidential = input.confidential ?? true;
    const now = Date.now();
    const application = await this.repository.insertApplication({
      name: input.name!.trim(),
      uid: clientId,
      secret_hash: confidential ? secretHash : null,
      redirect_uri: input.redirectUris!.join('\n'),
      scopes: (input.scopes?.length ? input.scopes : ['api_v3']).join(' '),
      confidential: confidential ? 1 : 0,
      owner_id: ownerId,
      integration_type: input.integration?.type ?? null,
      integration_id: input.integration?.id ?? null,
      created_at: now,
      updated_at: now,
    });
    return confidential ? { application, clientSecret } : { application };
  }

  async updateApplication(id: number, input: ApplicationInput): Promise<OAuthApplicationRow> {
    const row = await this.getApplication(id);
    validate(input, false);
    const changes: Partial<OAuthApplicationRow> = { updated_at: Date.now() };
    if (input.name !== undefined) changes.name = input.name.trim();
    if (input.redirectUris !== undefined) changes.redirect_uri = input.redirectUris.join('\n');
    if (input.scopes !== undefined) changes.scopes = (input.scopes.length ? input.scopes : ['api_v3']).join(' ');
    await this.repository.updateApplication(id, changes);
    // Codes issued for a redirect URI that is gone must not be redeemable.
    if (input.redirectUris && redirectUris(row).some((uri) => !input.redirectUris!.includes(uri))) {
      await this.provider.revokeClient(row.uid);
    }
    return { ...row, ...changes };
  }

  /** A new secret (shown once); every code and token issued before is revoked. */
  async regenerateSecret(id: number): Promise<{ application: OAuthApplicationRow; clientSecret: string }> {
    const row = await this.getApplication(id);
    const { clientSecret, secretHash } = newClientCredentials(43, 43);
    const changes = { secret_hash: secretHash, confidential: 1, updated_at: Date.now() };
    await this.repository.updateApplication(id, changes);
    await this.provider.revokeClient(row.uid);
    return { application: { ...row, ...changes }, clientSecret };
  }

  async deleteApplication(id: number): Promise<void> {
    const row = await this.getApplication(id);
    await this.provider.revokeClient(row.uid);
    await this.repository.deleteApplication(id);
  }

  /** Bearer tokens for API v3: live, issued with the `api_v3` scope. */
  readonly bearerResolver: BearerResolver = async (token) => {
    const row = await this.repository.findAccessToken(hashToken(token), Date.now());
    if (!row) return undefined;
    const scopes = row.scope.split(' ').filter(Boolean);
    if (!scopes.includes('api_v3')) return undefined;
    return { userId: Number(row.user_id), applicationId: Number(row.application_id), scopes };
  };

  deleteExpired(): Promise<void> {
    return this.repository.deleteExpired(Date.now());
  }
}

function validate(input: ApplicationInput, creating: boolean): void {
  const violations: { attribute: string; message: string }[] = [];
  if (creating || input.name !== undefined) {
    if (!input.name?.trim()) violations.push({ attribute: 'name', message: "Name can't be blank." });
  }
  if (creating || input.redirectUris !== undefined) {
    const uris = input.redirectUris ?? [];
    if (uris.length === 0) violations.push({ attribute: 'redirectUri', message: "Redirect URI can't be blank." });
    else if (!uris.every(isValidRedirectUri)) violations.push({ attribute: 'redirectUri', message: 'Redirect URI must be an absolute URI.' });
  }
  if (input.scopes?.some((s) => !KNOWN_SCOPES.includes(s))) violations.push({ attribute: 'scopes', message: 'Scopes is invalid.' });
  if (violations.length) throw constraintViolation(violations);
}
