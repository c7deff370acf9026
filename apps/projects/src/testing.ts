import pg from 'pg';
import { createTestDatabase, type TestDatabase, type TestDialect } from '@tandem/core/testkit';
import { loadProjectsConfig } from './config.ts';
import { startProjects, type RunningProjects } from './main.ts';
import type { UserRow } from './users/repository.ts';

export const TEST_ADMIN_PASSWORD = 'admin-password-for-tests';

export interface TestProjects extends RunningProjects {
  database: TestDatabase;
  /** `Authorization` header value with a fresh API key of the admin. */
  adminAuth: string;
  /** Create a user (password `<login>-password`) and return it with an `Authorization` header for it. */
  createUser(login: string, options?: { admin?: boolean }): Promise<{ user: UserRow; auth: string }>;
  /** fetch() against the server with JSON in and out; `auth` is an `Authorization` header value. */
  api(method: string, path: string, options?: { auth?: string | undefined; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
}

/**
 * pg's pool resolves `end()` before its sockets are gone; dropping the database then kills those
 * backends and the dying clients raise uncaught errors. Wait (bounded) until none is left.
 */
async function waitForDisconnect(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    for (let i = 0; i < 200; i += 1) {
      const { rows } = await client.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (rows[0].n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await client.end();
  }
}

/** `Authorization: Basic base64("apikey:<key>")`, as OpenProject takes API keys. */
export const apiKeyAuth = (key: string) => `Basic ${Buffer.from(`apikey:${key}`).toString('base64')}`;

/** A real Projects server on a free port with a fresh database of the given dialect and its own data folder. */
export async function startTestProjects(dialect: TestDialect, env: Record<string, string> = {}): Promise<TestProjects> {
  const database = await createTestDatabase(dialect);
  const config = loadProjectsConfig({
    DATA_DIR: database.dataDir,
    PROJECTS_PORT: '0',
    PROJECTS_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    ...(database.url ? { PROJECTS_DATABASE_URL: database.url } : {}),
    ...env,
  });
  const running = await startProjects(config);
  const { services } = running;
  const admin = (await services.users.findByLogin('admin'))!;
  const adminKey = await services.auth.createApiKey(admin.id, 'tests');
  return {
    ...running,
    database,
    adminAuth: apiKeyAuth(adminKey.token),
    async createUser(login, options = {}) {
      const user = await services.users.create({
        login,
        firstName: login.charAt(0).toUpperCase() + login.slice(1),
        lastName: 'Tester',
        email: `${login}@example.org`,
        password: `${login}-password`,
        admin: options.admin ?? false,
      });
      const { token } = await services.auth.createApiKey(user.id, 'tests');
      return { user, auth: apiKeyAuth(token) };
    },
    async api(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.auth) headers.authorization = options.auth;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body, headers: response.headers };
    },
    async stop() {
      await running.stop();
      if (database.url) await waitForDisconnect(database.url);
      await database.drop();
    },
  };
}
