import type { Kysely } from 'kysely';
import { JobQueue, SecretBox, createDatabase, migrateToLatest, type DialectName, type JobHandler, type Logger, type ScheduledJob } from '@tandem/core';
import type { ProjectsConfig } from './config.ts';
import type { ProjectsDatabase } from './db/schema.ts';
import { migrations } from './db/migrations/index.ts';
import { AuthRepository } from './auth/repository.ts';
import { AuthService } from './auth/service.ts';
import { UsersRepository } from './users/repository.ts';
import { UsersService } from './users/service.ts';
import { ProjectsRepository } from './projects/repository.ts';
import { ProjectsService } from './projects/service.ts';
import { RolesRepository } from './roles/repository.ts';
import { RolesService } from './roles/service.ts';
import { MembershipsRepository } from './memberships/repository.ts';
import { MembershipsService } from './memberships/service.ts';
import { PermissionService } from './permissions/service.ts';
import { HealthService } from './health/service.ts';
import { OAuthRepository } from './oauth/repository.ts';
import { OAuthService } from './oauth/service.ts';
import { registerWorkPackages } from './work-packages/wiring.ts';
import type { TypesService } from './types/service.ts';
import type { WorkPackagesService } from './work-packages/service.ts';
import type { NotificationsService } from './notifications/service.ts';
import type { StoragesService } from './storages/service.ts';
import { registerStorages } from './storages/wiring.ts';

/** Everything a route, job or CLI command needs, built once by the composition root. */
export interface ProjectsServices {
  config: ProjectsConfig;
  logger: Logger;
  db: Kysely<ProjectsDatabase>;
  dialect: DialectName;
  secrets: SecretBox;
  queue: JobQueue;
  /** Job handlers and schedules that modules contribute; the worker runs them. */
  jobs: { handlers: Record<string, JobHandler>; scheduled: ScheduledJob[] };
  users: UsersService;
  auth: AuthService;
  permissions: PermissionService;
  roles: RolesService;
  projects: ProjectsService;
  memberships: MembershipsService;
  health: HealthService;
  oauth: OAuthService;
  types: TypesService;
  workPackages: WorkPackagesService;
  notifications: NotificationsService;
  storages: StoragesService;
  close(): Promise<void>;
}

export async function createProjectsServices(config: ProjectsConfig, logger: Logger): Promise<ProjectsServices> {
  const { db, dialect, destroy } = createDatabase<ProjectsDatabase>({
    url: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    onIdleConnectionError: (error) => logger.warn({ err: error }, 'database connection dropped'),
  });
  await migrateToLatest(db, migrations);
  const usersRepository = new UsersRepository(db);
  const projectsRepository = new ProjectsRepository(db);
  const rolesRepository = new RolesRepository(db);
  const membershipsRepository = new MembershipsRepository(db);
  const users = new UsersService(usersRepository);
  const auth = new AuthService(new AuthRepository(db), users);
  const permissions = new PermissionService(projectsRepository, membershipsRepository);
  const queue = new JobQueue(db);
  const services: ProjectsServices = {
    config,
    logger,
    db,
    dialect,
    secrets: SecretBox.fromDataDir(config.dataDir),
    queue,
    jobs: { handlers: {}, scheduled: [] },
    users,
    auth,
    permissions,
    roles: new RolesService(rolesRepository),
    projects: new ProjectsService(projectsRepository, permissions, membershipsRepository, rolesRepository),
    memberships: new MembershipsService(membershipsRepository, permissions, projectsRepository, usersRepository, rolesRepository),
    health: new HealthService(db, queue, config.jobsNeverRanMinutes),
    oauth: new OAuthService(new OAuthRepository(db)),
    ...({} as Pick<ProjectsServices, 'storages'>),
    close: destroy,
    // Filled in by registerWorkPackages below.
    ...({} as Pick<ProjectsServices, 'types' | 'workPackages' | 'notifications'>),
  };
  registerWorkPackages(services, { projectsRepository, membershipsRepository, usersRepository });
  registerStorages(services, projectsRepository);
  // OAuth access tokens authenticate API v3 requests as Bearer tokens.
  auth.addBearerResolver(services.oauth.bearerResolver);
  // Housekeeping: expired browser sessions go once an hour.
  services.jobs.handlers['sessions:cleanup'] = async () => {
    await auth.deleteExpiredSessions();
    await services.oauth.deleteExpired();
  };
  services.jobs.scheduled.push({ name: 'sessions:cleanup', everyMs: 3600_000 });
  // Locked or deleted users lose their sessions at once.
  users.addListener({ beforeDelete: (user) => auth.endAllSessions(user.id) });
  return services;
}
