import type { Kysely } from 'kysely';
import { JobQueue, SecretBox, createDatabase, migrateToLatest, type DialectName, type JobHandler, type Logger, type ScheduledJob } from '@tandem/core';
import type { CloudConfig } from './config.ts';
import type { CloudDatabase } from './db/schema.ts';
import { migrations } from './db/migrations/index.ts';
import { AuthRepository } from './auth/repository.ts';
import { AuthService } from './auth/service.ts';
import { OAuthRepository } from './oauth/repository.ts';
import { OAuthService } from './oauth/service.ts';
import { SettingsRepository } from './settings/repository.ts';
import { SettingsService } from './settings/service.ts';
import { UsersRepository } from './users/repository.ts';
import { UsersService } from './users/service.ts';
import { registerFiles } from './files/module.ts';
import type { FilesService } from './files/service.ts';
import type { TrashService } from './trash/service.ts';
import type { CapabilityRegistry } from './ocs/capabilities.ts';
import { registerOcsServices } from './ocs/module.ts';
import type { ProvisioningService } from './provisioning/service.ts';
import type { LoginFlowService } from './login-flow/service.ts';
import { registerGroupFolders } from './groupfolders/module.ts';
import type { GroupFoldersService } from './groupfolders/service.ts';
import { registerTermsOfService } from './terms-of-service/module.ts';
import type { TermsService } from './terms-of-service/service.ts';
import { registerIntegrationOpenProject } from './apps/integration-openproject/module.ts';
import type { IntegrationService } from './apps/integration-openproject/service.ts';

/** Everything a route, job or CLI command needs, built once by the composition root. */
export interface CloudServices {
  config: CloudConfig;
  logger: Logger;
  db: Kysely<CloudDatabase>;
  dialect: DialectName;
  secrets: SecretBox;
  queue: JobQueue;
  /** Job handlers and schedules that modules contribute; the worker runs them. */
  jobs: { handlers: Record<string, JobHandler>; scheduled: ScheduledJob[] };
  settings: SettingsService;
  users: UsersService;
  auth: AuthService;
  /** Files of every storage; `files.viewFor(user)` is the permission-checked entry point. */
  files: FilesService;
  trash: TrashService;
  oauth: OAuthService;
  /** `cloud/capabilities` keys: `capabilities.register(name, (ctx) => value | undefined)`. */
  capabilities: CapabilityRegistry;
  /** Provisioning API rules (admins, sub-admins); `setUsageProvider` feeds quota figures. */
  provisioning: ProvisioningService;
  loginFlow: LoginFlowService;
  /** Group folders: admin API, mounts in members' views, ACL rules. */
  groupFolders: GroupFoldersService;
  /** terms_of_service app: terms per language, who accepted them. */
  terms: TermsService;
  /** integration_openproject app: admin config, OAuth client for Projects, the `OpenProject` user/group/folder. */
  integrationOpenProject: IntegrationService;
  close(): Promise<void>;
}

export async function createCloudServices(config: CloudConfig, logger: Logger): Promise<CloudServices> {
  const { db, dialect, destroy } = createDatabase<CloudDatabase>({
    url: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    onIdleConnectionError: (error) => logger.warn({ err: error }, 'database connection dropped'),
  });
  await migrateToLatest(db, migrations);
  const users = new UsersService(new UsersRepository(db));
  const auth = new AuthService(new AuthRepository(db), users, {
    bruteforceProtection: config.bruteforceProtection,
    baseDelayMs: config.bruteforceBaseDelayMs,
  });
  const services: CloudServices = {
    config,
    logger,
    db,
    dialect,
    secrets: SecretBox.fromDataDir(config.dataDir),
    queue: new JobQueue(db),
    jobs: { handlers: {}, scheduled: [] },
    settings: new SettingsService(new SettingsRepository(db)),
    users,
    auth,
    oauth: new OAuthService(new OAuthRepository(db), auth, users),
    close: destroy,
  } as Omit<CloudServices, 'files' | 'trash' | 'capabilities' | 'provisioning' | 'loginFlow' | 'groupFolders' | 'terms' | 'integrationOpenProject'> as CloudServices;
  registerOcsServices(services);
  await registerFiles(services);
  registerGroupFolders(services);
  registerTermsOfService(services);
  registerIntegrationOpenProject(services);
  return services;
}
