import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { AccessTokenRequest, AuthorizationCode, OAuthClient, OAuthStore, TokenGrant } from '@tandem/core';
import { hashToken, randomToken } from '@tandem/core';
import type { OAuthApplicationsTable, OAuthCodesTable, OAuthGrantsTable, ProjectsDatabase } from '../db/schema.ts';

export type OAuthApplicationRow = Selectable<OAuthApplicationsTable>;

export const redirectUris = (row: Pick<OAuthApplicationRow, 'redirect_uri'>) => row.redirect_uri.split('\n').filter(Boolean);
export const scopesOf = (row: Pick<OAuthApplicationRow, 'scopes'>) => row.scopes.split(' ').filter(Boolean);

function toClient(row: OAuthApplicationRow): OAuthClient {
  return {
    clientId: row.uid,
    name: row.name,
    secretHash: row.confidential ? row.secret_hash : null,
    redirectUris: redirectUris(row),
    scopes: scopesOf(row),
  };
}

function toCode(row: Selectable<OAuthCodesTable>): AuthorizationCode {
  return {
    codeHash: row.code_hash,
    clientId: row.client_id,
    userId: String(row.user_id),
    redirectUri: row.redirect_uri,
    redirectUriGiven: row.redirect_uri_given === 1,
    scope: row.scope,
    codeChallenge: row.code_challenge,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

function toGrant(row: Selectable<OAuthGrantsTable>): TokenGrant {
  return {
    refreshTokenHash: row.refresh_token_hash,
    clientId: row.client_id,
    userId: String(row.user_id),
    scope: row.scope,
    accessTokenId: String(row.access_token_id),
    accessTokenHash: row.access_token_hash,
    codeHash: row.code_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/**
 * OAuth applications, codes, access tokens and refresh grants: the only code touching those tables,
 * and the core provider's `OAuthStore`. Codes and tokens are stored as SHA-256 only.
 */
export class OAuthRepository implements OAuthStore {
  constructor(private readonly db: Kysely<ProjectsDatabase>) {}

  listApplications(): Promise<OAuthApplicationRow[]> {
    return this.db.selectFrom('oauth_applications').selectAll().orderBy('id').execute();
  }

  findApplication(id: number): Promise<OAuthApplicationRow | undefined> {
    return this.db.selectFrom('oauth_applications').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findApplicationByUid(uid: string): Promise<OAuthApplicationRow | undefined> {
    return this.db.selectFrom('oauth_applications').selectAll().where('uid', '=', uid).executeTakeFirst();
  }

  insertApplication(row: Insertable<OAuthApplicationsTable>): Promise<OAuthApplicationRow> {
    return this.db.insertInto('oauth_applications').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async updateApplication(id: number, changes: Updateable<OAuthApplicationsTable>): Promise<void> {
    await this.db.updateTable('oauth_applications').set(changes).where('id', '=', id).execute();
  }

  /** Codes, tokens and grants of the application go with it (foreign keys cascade). */
  async deleteApplication(id: number): Promise<void> {
    await this.db.deleteFrom('oauth_applications').where('id', '=', id).execute();
  }

  /** The live access token with this hash, for Bearer authentication. */
  findAccessToken(tokenHash: string, now: number) {
    return this.db
      .selectFrom('oauth_access_tokens')
      .innerJoin('oauth_applications', 'oauth_applications.uid', 'oauth_access_tokens.client_id')
      .select(['oauth_access_tokens.user_id', 'oauth_access_tokens.scope', 'oauth_applications.id as application_id'])
      .where('oauth_access_tokens.token_hash', '=', tokenHash)
      .where('oauth_access_tokens.expires_at', '>', now)
      .executeTakeFirst();
  }

  async deleteExpired(now: number): Promise<void> {
    await this.db.deleteFrom('oauth_codes').where('expires_at', '<', now).execute();
    await this.db.deleteFrom('oauth_access_tokens').where('expires_at', '<', now).execute();
  }

  // --- OAuthStore ---

  async findClient(clientId: string): Promise<OAuthClient | undefined> {
    const row = await this.findApplicationByUid(clientId);
    return row && toClient(row);
  }

  async insertCode(code: AuthorizationCode): Promise<void> {
    await this.db
      .insertInto('oauth_codes')
      .values({
        code_hash: code.codeHash,
        client_id: code.clientId,
        user_id: Number(code.userId),
        redirect_uri: code.redirectUri,
        redirect_uri_given: code.redirectUriGiven ? 1 : 0,
        scope: code.scope,
        code_challenge: code.codeChallenge,
        created_at: code.createdAt,
        expires_at: code.expiresAt,
        used_at: code.usedAt,
      })
      .execute();
  }

  /** Conditional UPDATE: of two concurrent claims exactly one changes the row and sees it unused. */
  async claimCode(codeHash: string, now: number): Promise<AuthorizationCode | undefined> {
    const claimed = await this.db
      .updateTable('oauth_codes')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (claimed) return toCode({ ...claimed, used_at: null });
    const row = await this.db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    return row && toCode(row);
  }

  /** Access tokens for active users only; a random 64-character token, stored hashed. */
  async issueAccessToken(request: AccessTokenRequest): Promise<{ id: string; token: string } | undefined> {
    const user = await this.db.selectFrom('users').select('status').where('id', '=', Number(request.userId)).executeTakeFirst();
    if (user?.status !== 'active') return undefined;
    const token = randomToken(64);
    const row = await this.db
      .insertInto('oauth_access_tokens')
      .values({
        token_hash: hashToken(token),
        client_id: request.client.clientId,
        user_id: Number(request.userId),
        scope: request.scope,
        created_at: Date.now(),
        expires_at: request.expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: String(row.id), token };
  }

  async revokeAccessToken(id: string): Promise<void> {
    await this.db.deleteFrom('oauth_access_tokens').where('id', '=', Number(id)).execute();
  }

  async insertGrant(grant: TokenGrant): Promise<void> {
    await this.db
      .insertInto('oauth_grants')
      .values({
        refresh_token_hash: grant.refreshTokenHash,
        client_id: grant.clientId,
        user_id: Number(grant.userId),
        scope: grant.scope,
        access_token_id: Number(grant.accessTokenId),
        access_token_hash: grant.accessTokenHash,
        code_hash: grant.codeHash,
        created_at: grant.createdAt,
        expires_at: grant.expiresAt,
      })
      .execute();
  }

  async takeGrant(refreshTokenHash: string): Promise<TokenGrant | undefined> {
    return (await this.takeGrants('refresh_token_hash', refreshTokenHash))[0];
  }

  async takeGrantByAccessToken(accessTokenHash: string): Promise<TokenGrant | undefined> {
    return (await this.takeGrants('access_token_hash', accessTokenHash))[0];
  }

  takeGrantsFromCode(codeHash: string): Promise<TokenGrant[]> {
    return this.takeGrants('code_hash', codeHash);
  }

  async takeGrantsOfClient(clientId: string): Promise<TokenGrant[]> {
    await this.db.deleteFrom('oauth_codes').where('client_id', '=', clientId).execute();
    return this.takeGrants('client_id', clientId);
  }

  /** DELETE … RETURNING: atomic on both dialects, so a refresh token rotates exactly once. */
  private async takeGrants(column: 'refresh_token_hash' | 'access_token_hash' | 'code_hash' | 'client_id', value: string): Promise<TokenGrant[]> {
    const rows = await this.db.deleteFrom('oauth_grants').where(column, '=', value).returningAll().execute();
    return rows.map(toGrant);
  }
}
