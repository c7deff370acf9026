import type { Kysely, Selectable } from 'kysely';
import type { OAuthClient } from '@tandem/core';
import { SqlOAuthCodesAndGrants } from '@tandem/core';
import type { CloudDatabase, OAuthClientsTable } from '../db/schema.ts';

export type OAuthClientRow = Selectable<OAuthClientsTable>;

function toClient(row: OAuthClientRow): OAuthClient {
  return { clientId: row.client_id, name: row.name, secretHash: row.secret_hash, redirectUris: [row.redirect_uri] };
}

/** OAuth clients, authorization codes and refresh-token grants: the only code touching those tables. */
export class OAuthRepository extends SqlOAuthCodesAndGrants {
  // Codes and refresh grants come from the shared SQL implementation (user ids are text here).
  constructor(private readonly db: Kysely<CloudDatabase>) {
    super(db);
  }

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
}
