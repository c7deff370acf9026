import type { Kysely } from 'kysely';
import { withId } from '../db/migrations.ts';
import type { AuthorizationCode, TokenGrant } from './types.ts';

/**
 * Migration step both products share: the `oauth_codes` table behind `SqlOAuthCodesAndGrants`.
 * `clientColumn` is the product's client id column (`oauth_clients.client_id`, `oauth_applications.uid`).
 */
export async function createOAuthCodesTable(
  db: Kysely<any>,
  options: { clientColumn: string; userIdType: 'text' | 'bigint' },
): Promise<void> {
  await withId(db, db.schema.createTable('oauth_codes'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('client_id', 'text', (c) => c.notNull().references(options.clientColumn).onDelete('cascade'))
    .addColumn('user_id', options.userIdType, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('redirect_uri_given', 'integer', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('oauth_codes_client').on('oauth_codes').column('client_id').execute();
  await db.schema.createIndex('oauth_codes_expires').on('oauth_codes').column('expires_at').execute();
}

/** Columns of a product's OAuth codes table (`user_id` is the product's user id type). */
export interface OAuthCodeColumns<UserId extends string | number = string | number> {
  code_hash: string;
  client_id: string;
  user_id: UserId;
  redirect_uri: string;
  redirect_uri_given: number;
  scope: string;
  code_challenge: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Columns of a product's OAuth grants table: one live refresh token and the access token issued with it. */
export interface OAuthGrantColumns<UserId extends string | number = string | number> {
  refresh_token_hash: string;
  client_id: string;
  user_id: UserId;
  scope: string;
  access_token_id: number;
  access_token_hash: string;
  code_hash: string | null;
  created_at: number;
  expires_at: number | null;
}

const toCode = (row: OAuthCodeColumns): AuthorizationCode => ({
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
});

const toGrant = (row: OAuthGrantColumns): TokenGrant => ({
  refreshTokenHash: row.refresh_token_hash,
  clientId: row.client_id,
  userId: String(row.user_id),
  scope: row.scope,
  accessTokenId: String(row.access_token_id),
  accessTokenHash: row.access_token_hash,
  codeHash: row.code_hash,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/**
 * The code and refresh-grant half of an `OAuthStore` on SQL tables `oauth_codes` and `oauth_grants`
 * with the columns above (same on SQLite and PostgreSQL). A product's store delegates to it and adds
 * `findClient`, `issueAccessToken` and `revokeAccessToken` on its own tables (or extends this class). `userIdToDb` turns the
 * core's string user ids into the product's column type (e.g. `Number`).
 */
export class SqlOAuthCodesAndGrants {
  private readonly tables: Kysely<{ oauth_codes: OAuthCodeColumns; oauth_grants: OAuthGrantColumns }>;

  constructor(
    db: Kysely<any>,
    private readonly userIdToDb: (id: string) => string | number = (id) => id,
  ) {
    this.tables = db;
  }

  async insertCode(code: AuthorizationCode): Promise<void> {
    // Expired codes are useless: clear them out as new ones arrive.
    await this.tables.deleteFrom('oauth_codes').where('expires_at', '<', code.createdAt).execute();
    await this.tables
      .insertInto('oauth_codes')
      .values({
        code_hash: code.codeHash,
        client_id: code.clientId,
        user_id: this.userIdToDb(code.userId),
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
    const claimed = await this.tables
      .updateTable('oauth_codes')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (claimed) return toCode({ ...claimed, used_at: null });
    const row = await this.tables.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    return row && toCode(row);
  }

  async insertGrant(grant: TokenGrant): Promise<void> {
    await this.tables
      .insertInto('oauth_grants')
      .values({
        refresh_token_hash: grant.refreshTokenHash,
        client_id: grant.clientId,
        user_id: this.userIdToDb(grant.userId),
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
    await this.tables.deleteFrom('oauth_codes').where('client_id', '=', clientId).execute();
    return this.takeGrants('client_id', clientId);
  }

  /** DELETE … RETURNING: atomic on both dialects, so a refresh token rotates exactly once. */
  private async takeGrants(column: 'refresh_token_hash' | 'access_token_hash' | 'code_hash' | 'client_id', value: string): Promise<TokenGrant[]> {
    const rows = await this.tables.deleteFrom('oauth_grants').where(column, '=', value).returningAll().execute();
    return rows.map(toGrant);
  }
}
