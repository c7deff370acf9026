import type { Kysely } from 'kysely';
import type { CloudDatabase } from '../db/schema.ts';

/** System config, app config and user preferences: key/value rows, JSON-free strings. */
export class SettingsRepository {
  constructor(private readonly db: Kysely<CloudDatabase>) {}

  async getSystem(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('config').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async setSystem(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('config')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async deleteSystem(key: string): Promise<void> {
    await this.db.deleteFrom('config').where('key', '=', key).execute();
  }

  async getApp(app: string, key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('appconfig')
      .select('value')
      .where('app', '=', app)
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value;
  }

  async setApp(app: string, key: string, value: string): Promise<void> {
    await this.db
      .insertInto('appconfig')
      .values({ app, key, value })
      .onConflict((oc) => oc.columns(['app', 'key']).doUpdateSet({ value }))
      .execute();
  }

  async deleteApp(app: string, key: string): Promise<void> {
    await this.db.deleteFrom('appconfig').where('app', '=', app).where('key', '=', key).execute();
  }

  async allApp(app: string): Promise<Record<string, string>> {
    const rows = await this.db.selectFrom('appconfig').select(['key', 'value']).where('app', '=', app).execute();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  async getPreference(userId: string, app: string, key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('preferences')
      .select('value')
      .where('user_id', '=', userId)
      .where('app', '=', app)
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value;
  }

  async setPreference(userId: string, app: string, key: string, value: string): Promise<void> {
    await this.db
      .insertInto('preferences')
      .values({ user_id: userId, app, key, value })
      .onConflict((oc) => oc.columns(['user_id', 'app', 'key']).doUpdateSet({ value }))
      .execute();
  }

  /** All preferences of one app for a user, as `key → value`. */
  async preferencesOf(userId: string, app: string): Promise<Record<string, string>> {
    const rows = await this.db.selectFrom('preferences').select(['key', 'value']).where('user_id', '=', userId).where('app', '=', app).execute();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  /** Every app that has a value for `key` (e.g. the `enabled` switch). */
  appsWithKey(key: string): Promise<{ app: string; value: string }[]> {
    return this.db.selectFrom('appconfig').select(['app', 'value']).where('key', '=', key).orderBy('app').execute();
  }

  async deletePreference(userId: string, app: string, key: string): Promise<void> {
    await this.db.deleteFrom('preferences').where('user_id', '=', userId).where('app', '=', app).where('key', '=', key).execute();
  }
}
