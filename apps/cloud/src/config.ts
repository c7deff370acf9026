import path from 'node:path';
import { z } from 'zod';
import { dataDir, loadConfig, port, trimBaseUrl } from '@tandem/core';

const schema = z
  .object({
    DATA_DIR: dataDir,
    CLOUD_PORT: port(8081),
    CLOUD_HOST: z.string().default('127.0.0.1'),
    CLOUD_URL: z.url().optional(),
    CLOUD_DATABASE_URL: z.string().optional(),
    CLOUD_ADMIN_PASSWORD: z.string().min(8).optional(),
    /** `web` serves HTTP only, `worker` runs jobs only, `all` (default) both in one process. */
    CLOUD_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
    CLOUD_BRUTEFORCE_PROTECTION: z.enum(['on', 'off']).default('on'),
    /** First delay after a failed login; it doubles with each further failure. */
    CLOUD_BRUTEFORCE_BASE_DELAY_MS: z.coerce.number().int().min(1).max(10_000).default(100),
    /** PEM file of extra CAs trusted for requests to OpenProject (a private-CA or self-signed host). */
    CLOUD_CA_BUNDLE: z.string().optional(),
  })
  .transform((env) => {
    const root = path.join(env.DATA_DIR, 'cloud');
    return {
      dataDir: root,
      filesDir: path.join(root, 'files'),
      sqliteFile: path.join(root, 'cloud.sqlite'),
      databaseUrl: env.CLOUD_DATABASE_URL || undefined,
      port: env.CLOUD_PORT,
      host: env.CLOUD_HOST,
      /** Public base URL; when unset it follows the bound port. */
      publicUrl: env.CLOUD_URL ? trimBaseUrl(env.CLOUD_URL) : undefined,
      initialAdminPassword: env.CLOUD_ADMIN_PASSWORD,
      role: env.CLOUD_ROLE,
      bruteforceProtection: env.CLOUD_BRUTEFORCE_PROTECTION === 'on',
      bruteforceBaseDelayMs: env.CLOUD_BRUTEFORCE_BASE_DELAY_MS,
      caBundle: env.CLOUD_CA_BUNDLE || undefined,
    };
  });

export type CloudConfig = z.infer<typeof schema>;

export function loadCloudConfig(env: NodeJS.ProcessEnv = process.env): CloudConfig {
  return loadConfig(schema, env);
}
