import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { AccessTokenRequest, OAuthClient, OAuthStore } from '@tandem/core';
import { SqlOAuthCodesAndGrants, hashToken, randomToken } from '@tandem/core';
import type { OAuthApplicationsTable, ProjectsDatabase } from '../db/schema.ts';

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

/**
 * OAuth applications, codes, access tokens and refresh grants: the only code touching those tables,
 * and the core provider's `OAuthStore`. Codes and tokens are stored as SHA-256 only.
 */
export class OAuthRepository extends SqlOAuthCodesAndGrants implements OAuthStore {
  // Codes and refresh grants come from the shared SQL implementation (user ids are bigint here).
  constructor(private readonly db: Kysely<ProjectsDatabase>) {
    super(db, Number);
  }

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
}
