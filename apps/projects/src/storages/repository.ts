import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ProjectsDatabase, ProjectStoragesTable, StoragesTable } from '../db/schema.ts';

export type StorageRow = Selectable<StoragesTable>;
export type ProjectStorageRow = Selectable<ProjectStoragesTable>;
export type OAuthClientRow = Selectable<ProjectsDatabase['oauth_clients']>;

/** `oauth_clients.integration_type` / `remote_identities.integration_type` of a storage. */
export const STORAGE_INTEGRATION = 'Storage';
const OAUTH_CLIENT_SOURCE = 'OAuthClient';

type Db = Kysely<ProjectsDatabase>;
/** The storage's OAuth client rows and remote identities (both keyed by integration type and id). */
const clientIdsOf = (db: Db, storageId: number) =>
  db.selectFrom('oauth_clients').select('id').where('integration_type', '=', STORAGE_INTEGRATION).where('integration_id', '=', storageId);
const deleteIdentitiesOf = (db: Db, storageId: number) =>
  db.deleteFrom('remote_identities').where('integration_type', '=', STORAGE_INTEGRATION).where('integration_id', '=', storageId);

export interface DeletionCounts {
  projectStorages: number;
  automaticProjectFolders: number;
  fileLinks: number;
  oauthClientTokens: number;
  remoteIdentities: number;
}

/** All database I/O of file storages. */
export class StoragesRepository {
  constructor(private readonly db: Kysely<ProjectsDatabase>) {}

  list(ids?: number[]): Promise<StorageRow[]> {
    let q = this.db.selectFrom('storages').selectAll().orderBy('id');
    if (ids) {
      if (ids.length === 0) return Promise.resolve([]);
      q = q.where('id', 'in', ids);
    }
    return q.execute();
  }

  find(id: number): Promise<StorageRow | undefined> {
    return this.db.selectFrom('storages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByNameKey(nameKey: string): Promise<StorageRow | undefined> {
    return this.db.selectFrom('storages').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
  }

  findByHost(host: string): Promise<StorageRow | undefined> {
    return this.db.selectFrom('storages').selectAll().where('host', '=', host).executeTakeFirst();
  }

  async insert(row: Insertable<StoragesTable>): Promise<StorageRow> {
    return this.db.insertInto('storages').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: number, changes: Updateable<StoragesTable>): Promise<void> {
    await this.db.updateTable('storages').set(changes).where('id', '=', id).execute();
  }

  /** The storage and everything hanging off it, in one transaction. */
  async delete(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('oauth_client_tokens').where('oauth_client_id', 'in', clientIdsOf(trx, id)).execute();
      await trx.deleteFrom('oauth_clients').where('integration_type', '=', STORAGE_INTEGRATION).where('integration_id', '=', id).execute();
      await deleteIdentitiesOf(trx, id).execute();
      await trx.deleteFrom('file_links').where('storage_id', '=', id).execute();
      const projectStorages = trx.selectFrom('project_storages').select('id').where('storage_id', '=', id);
      await trx.deleteFrom('last_project_folders').where('project_storage_id', 'in', projectStorages).execute();
      await trx.deleteFrom('project_storages').where('storage_id', '=', id).execute();
      await trx.deleteFrom('storages').where('id', '=', id).execute();
    });
  }

  async deletionCounts(id: number): Promise<DeletionCounts> {
    const count = async (q: { executeTakeFirst(): Promise<{ n: number | string | bigint } | undefined> }) => Number((await q.executeTakeFirst())?.n ?? 0);
    const clientIds = clientIdsOf(this.db, id);
    return {
      projectStorages: await count(this.db.selectFrom('project_storages').select((eb) => eb.fn.countAll().as('n')).where('storage_id', '=', id)),
      automaticProjectFolders: await count(
        this.db.selectFrom('project_storages').select((eb) => eb.fn.countAll().as('n')).where('storage_id', '=', id).where('project_folder_mode', '=', 'automatic'),
      ),
      fileLinks: await count(this.db.selectFrom('file_links').select((eb) => eb.fn.countAll().as('n')).where('storage_id', '=', id)),
      oauthClientTokens: await count(this.db.selectFrom('oauth_client_tokens').select((eb) => eb.fn.countAll().as('n')).where('oauth_client_id', 'in', clientIds)),
      remoteIdentities: await count(
        this.db.selectFrom('remote_identities').select((eb) => eb.fn.countAll().as('n')).where('integration_type', '=', STORAGE_INTEGRATION).where('integration_id', '=', id),
      ),
    };
  }

  // --- the storage's Nextcloud OAuth client ---

  oauthClients(storageIds: number[]): Promise<OAuthClientRow[]> {
    if (storageIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('oauth_clients').selectAll().where('integration_type', '=', STORAGE_INTEGRATION).where('integration_id', 'in', storageIds).execute();
  }

  findOAuthClient(clientId: string, storageId: number): Promise<OAuthClientRow | undefined> {
    return this.db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('integration_type', '=', STORAGE_INTEGRATION)
      .where('integration_id', '=', storageId)
      .executeTakeFirst();
  }

  /**
   * Replace the storage's client. As OpenProject, users' tokens of the old client go with it; their
   * remote identities too, since every user must log in to Nextcloud again.
   */
  async replaceOAuthClient(storageId: number, clientId: string, secretSealed: string, now: number): Promise<OAuthClientRow> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('oauth_client_tokens').where('oauth_client_id', 'in', clientIdsOf(trx, storageId)).execute();
      await deleteIdentitiesOf(trx, storageId).where('auth_source_type', '=', OAUTH_CLIENT_SOURCE).execute();
      await trx.deleteFrom('oauth_clients').where('integration_type', '=', STORAGE_INTEGRATION).where('integration_id', '=', storageId).execute();
      return trx
        .insertInto('oauth_clients')
        .values({ client_id: clientId, client_secret_sealed: secretSealed, integration_type: STORAGE_INTEGRATION, integration_id: storageId, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /** A user's token and remote identity for the storage's client (the OAuth login flow stores these). */
  async saveUserToken(input: { clientRowId: number; storageId: number; userId: number; accessSealed: string; refreshSealed: string | null; originUserId: string; now: number }): Promise<void> {
    const { clientRowId, storageId, userId, accessSealed, refreshSealed, originUserId, now } = input;
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('oauth_client_tokens').where('oauth_client_id', '=', clientRowId).where('user_id', '=', userId).execute();
      await trx
        .insertInto('oauth_client_tokens')
        .values({ oauth_client_id: clientRowId, user_id: userId, access_token_sealed: accessSealed, refresh_token_sealed: refreshSealed, token_type: 'bearer', created_at: now, updated_at: now })
        .execute();
      await deleteIdentitiesOf(trx, storageId).where('user_id', '=', userId).execute();
      await trx
        .insertInto('remote_identities')
        .values({
          user_id: userId,
          auth_source_type: OAUTH_CLIENT_SOURCE,
          auth_source_id: clientRowId,
          integration_type: STORAGE_INTEGRATION,
          integration_id: storageId,
          origin_user_id: originUserId,
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
  }

  async hasUserToken(clientRowId: number, userId: number): Promise<boolean> {
    const row = await this.db.selectFrom('oauth_client_tokens').select('id').where('oauth_client_id', '=', clientRowId).where('user_id', '=', userId).executeTakeFirst();
    return Boolean(row);
  }

  // --- project storages ---

  projectStorages(filter: { storageIds?: number[]; projectIds?: number[]; ids?: number[] }): Promise<ProjectStorageRow[]> {
    let q = this.db.selectFrom('project_storages').selectAll().orderBy('id');
    for (const [column, values] of [['storage_id', filter.storageIds], ['project_id', filter.projectIds], ['id', filter.ids]] as const) {
      if (!values) continue;
      if (values.length === 0) return Promise.resolve([]);
      q = q.where(column, 'in', values);
    }
    return q.execute();
  }

  findProjectStorage(id: number): Promise<ProjectStorageRow | undefined> {
    return this.db.selectFrom('project_storages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Insert project storages (and their last-folder rows), skipping projects already linked. */
  async insertProjectStorages(rows: Insertable<ProjectStoragesTable>[]): Promise<ProjectStorageRow[]> {
    return this.db.transaction().execute(async (trx) => {
      const created: ProjectStorageRow[] = [];
      for (const row of rows) {
        const existing = await trx.selectFrom('project_storages').select('id').where('project_id', '=', row.project_id).where('storage_id', '=', row.storage_id).executeTakeFirst();
        if (existing) continue;
        const inserted = await trx.insertInto('project_storages').values(row).returningAll().executeTakeFirstOrThrow();
        if (row.project_folder_mode !== 'inactive') {
          await trx
            .insertInto('last_project_folders')
            .values({ project_storage_id: inserted.id, origin_folder_id: row.project_folder_id ?? null, mode: row.project_folder_mode, created_at: row.created_at, updated_at: row.created_at })
            .execute();
        }
        created.push(inserted);
      }
      return created;
    });
  }

  /** Change the folder mode; remembers the folder per mode (OpenProject's last_project_folders). */
  async updateProjectStorage(id: number, mode: string, folderId: string | null, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('project_storages').set({ project_folder_mode: mode, project_folder_id: folderId, updated_at: now }).where('id', '=', id).execute();
      if (mode === 'inactive') return;
      const last = await trx.selectFrom('last_project_folders').select('id').where('project_storage_id', '=', id).where('mode', '=', mode).executeTakeFirst();
      if (last) await trx.updateTable('last_project_folders').set({ origin_folder_id: folderId, updated_at: now }).where('id', '=', last.id).execute();
      else await trx.insertInto('last_project_folders').values({ project_storage_id: id, origin_folder_id: folderId, mode, created_at: now, updated_at: now }).execute();
    });
  }

  /** Remove a project storage and the file links of that storage on the project's work packages. */
  async deleteProjectStorage(row: ProjectStorageRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const packages = trx.selectFrom('work_packages').select('id').where('project_id', '=', row.project_id);
      await trx.deleteFrom('file_links').where('storage_id', '=', row.storage_id).where('container_type', '=', 'WorkPackage').where('container_id', 'in', packages).execute();
      await trx.deleteFrom('last_project_folders').where('project_storage_id', '=', row.id).execute();
      await trx.deleteFrom('project_storages').where('id', '=', row.id).execute();
    });
  }

  lastProjectFolders(projectStorageId: number): Promise<{ mode: string; origin_folder_id: string | null }[]> {
    return this.db.selectFrom('last_project_folders').select(['mode', 'origin_folder_id']).where('project_storage_id', '=', projectStorageId).execute();
  }
}
