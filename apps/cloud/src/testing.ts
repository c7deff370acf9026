import { createTestDatabase, type TestDatabase, type TestDialect } from '@tandem/core/testkit';
import { loadCloudConfig } from './config.ts';
import { startCloud, type RunningCloud } from './main.ts';

export const TEST_ADMIN_PASSWORD = 'admin-password-for-tests';

export interface TestCloud extends RunningCloud {
  database: TestDatabase;
  /** `Authorization: Basic …` for a login. */
  basic(user: string, password: string): string;
  /** Log in as the web UI does (`POST /api/session`): the session cookie and its CSRF `requesttoken`. */
  login(user: string, password?: string): Promise<{ cookie: string; requesttoken: string }>;
  /** Create a user (and optionally add it to groups) through the service layer. */
  createUser(id: string, password?: string, groups?: string[]): Promise<void>;
}

/** A real Cloud on a free port with a fresh database of the given dialect and its own data folder. */
export async function startTestCloud(dialect: TestDialect, env: Record<string, string> = {}): Promise<TestCloud> {
  const database = await createTestDatabase(dialect);
  const config = loadCloudConfig({
    DATA_DIR: database.dataDir,
    CLOUD_PORT: '0',
    CLOUD_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    CLOUD_BRUTEFORCE_PROTECTION: 'off',
    ...(database.url ? { CLOUD_DATABASE_URL: database.url } : {}),
    ...env,
  });
  const running = await startCloud(config);
  return {
    ...running,
    database,
    basic: (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    async login(user, password = `${user}-password`) {
      const response = await fetch(`${running.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, password }),
      });
      if (response.status !== 200) throw new Error(`login of ${user} failed: HTTP ${response.status}`);
      const cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '';
      return { cookie, requesttoken: ((await response.json()) as { requesttoken: string }).requesttoken };
    },
    async createUser(id, password = `${id}-password`, groups = []) {
      for (const group of groups) {
        if (!(await running.services.users.findGroup(group))) await running.services.users.createGroup(group);
      }
      await running.services.users.create({ id, password, groups });
    },
    async stop() {
      await running.stop();
      await database.drop();
    },
  };
}
