import path from 'node:path';
import { z } from 'zod';
import { dataDir, loadConfig, port, trimBaseUrl } from '@tandem/core';

const schema = z
  .object({
    DATA_DIR: dataDir,
    PROJECTS_PORT: port(8080),
    PROJECTS_HOST: z.string().default('127.0.0.1'),
    PROJECTS_URL: z.url().optional(),
    PROJECTS_DATABASE_URL: z.string().optional(),
    PROJECTS_ADMIN_PASSWORD: z.string().min(10).optional(),
    /** `web` serves HTTP only, `worker` runs jobs only, `all` (default) both in one process. */
    PROJECTS_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
    /** Shown as `instanceName` in `GET /api/v3`. */
    PROJECTS_INSTANCE_NAME: z.string().min(1).default('Tandem Projects'),
    /** `worker_backed_up` fails when a due job has waited longer than this (OpenProject's default: 5). */
    PROJECTS_HEALTH_JOBS_NEVER_RAN_MINUTES: z.coerce.number().int().min(1).default(5),
    /** PEM file of extra CAs trusted for calls to storage hosts (e.g. a self-signed Nextcloud's CA). */
    PROJECTS_CA_BUNDLE: z.string().optional(),
  })
  .transform((env) => {
    const root = path.join(env.DATA_DIR, 'projects');
    return {
      dataDir: root,
      sqliteFile: path.join(root, 'projects.sqlite'),
      databaseUrl: env.PROJECTS_DATABASE_URL || undefined,
      port: env.PROJECTS_PORT,
      host: env.PROJECTS_HOST,
      /** Public base URL; when unset it follows what the client used to reach us. */
      publicUrl: env.PROJECTS_URL ? trimBaseUrl(env.PROJECTS_URL) : undefined,
      initialAdminPassword: env.PROJECTS_ADMIN_PASSWORD,
      role: env.PROJECTS_ROLE,
      instanceName: env.PROJECTS_INSTANCE_NAME,
      jobsNeverRanMinutes: env.PROJECTS_HEALTH_JOBS_NEVER_RAN_MINUTES,
      caBundle: env.PROJECTS_CA_BUNDLE || undefined,
    };
  });

export type ProjectsConfig = z.infer<typeof schema>;

export function loadProjectsConfig(env: NodeJS.ProcessEnv = process.env): ProjectsConfig {
  return loadConfig(schema, env);
}
