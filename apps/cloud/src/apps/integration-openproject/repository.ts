import type { Kysely } from 'kysely';
import type { CloudDatabase } from '../../db/schema.ts';

/**
 * The app's own queries. Settings and preferences go through SettingsRepository; what it lacks
 * (users holding a preference, one client's redirect URI) lives here.
 */
export class IntegrationRepository {
  constructor(private readonly db: Kysely<CloudDatabase>) {}

  async usersWithPreference(app: string, key: string): Promise<{ userId: string; value: string }[]> {
    const rows = await this.db.selectFrom('preferences').select(['user_id', 'value']).where('app', '=', app).where('key', '=', key).execute();
    return rows.map((r) => ({ userId: r.user_id, value: r.value }));
  }

  /** Forget what the app knows about every user's OpenProject connection (they must connect again). */
  async clearUserInfo(app: string, keys: string[]): Promise<void> {
    await this.db.deleteFrom('preferences').where('app', '=', app).where('key', 'in', keys).execute();
  }

  /** The OpenProject host moved: the Nextcloud OAuth client keeps its id and secret, only the callback follows. */
  async setOAuthRedirectUri(clientRowId: number, redirectUri: string): Promise<void> {
    await this.db.updateTable('oauth_clients').set({ redirect_uri: redirectUri }).where('id', '=', clientRowId).execute();
  }
}
