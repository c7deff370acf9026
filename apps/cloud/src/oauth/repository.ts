import type { Kysely, Selectable } from 'kysely';
import type { AuthorizationCode, OAuthClient, TokenGrant } from '@tandem/core';
import type { CloudDatabase, OAuthClientsTable, OAuthCodesTable, OAuthGrantsTable } from '../db/schema.ts';

export type OAuthClientRow = Selectable<OAuthClientsTable>;

function toClient(row: OAuthClientRow): OAuthClient {
  return { clientId: row.client_id, name: row.name, secretHash: row.secret_hash, redirectUris: [row.redirect_uri] };
}

function toCode(row: Selectable<OAuthCodesTable>): AuthorizationCode {
  return {
    codeHash: row.code_hash,
    clientId: row.client_id,
    userId: row.user_id,
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
    userId: row.user_id,
    scope: row.scope,
    accessTokenId: String(row.access_token_id),
    accessTokenHash: row.access_token_hash,
    codeHash: row.code_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** OAuth clients, authorization codes and refresh-token grants: the only code touching those tables. */
export class OAuthRepository {
  constructor(private readonly db: Kysely<CloudDatabase>) {}

  listClients(): Promise<OAuthClientRow[]> {
    return this.db.selectFrom('oauth_clients').selectAll().orderBy('id').execute();
  }

  findClientRow(where: { id: number } | { clientId: string }): Promise<OAuthClientRow | undefined> {
    const query = this.db.selectFrom('oauth_clients').selectAll();
    return ('id' in where ? query.where('id', '=', where.id) : query.where('client_id', '=', where.clientId)).executeTakeFirst();
  }

  async findClient(clientId: string): Promise<OAuthClient | undefined> {
    const row = await this.findClientRow({ clientId });
    return row && toClient(row);
  }

  async insertClient(row: Omit<OAuthClientRow, 'id'>): Promise<number> {
    const inserted = await this.db.insertInto('oauth_clients').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  /** Codes and grants of the client go with it (foreign keys cascade). */
  async deleteClient(id: number): Promise<void> {
    await this.db.deleteFrom('oauth_clients').where('id', '=', id).execute();
  }

  async insertCode(code: AuthorizationCode): Promise<void> {
    // Expired codes are useless: clear them out as new ones arrive.
    await this.db.deleteFrom('oauth_codes').where('expires_at', '<', code.createdAt).execute();
    await this.db
      .insertInto('oauth_codes')
      .values({
        code_hash: code.codeHash,
        client_id: code.clientId,
        user_id: code.userId,
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

  async insertGrant(grant: TokenGrant): Promise<void> {
    await this.db
      .insertInto('oauth_grants')
      .values({
        refresh_token_hash: grant.refreshTokenHash,
        client_id: grant.clientId,
        user_id: grant.userId,
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
  private async takeGrants(
    column: 'refresh_token_hash' | 'access_token_hash' | 'code_hash' | 'client_id',
    value: string,
  ): Promise<TokenGrant[]> {
    const rows = await this.db.deleteFrom('oauth_grants').where(column, '=', value).returningAll().execute();
    return rows.map(toGrant);
  }
}
