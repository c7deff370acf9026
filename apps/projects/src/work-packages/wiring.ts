import type { MembershipsRepository } from '../memberships/repository.ts';
import { NotificationsRepository } from '../notifications/repository.ts';
import { NotificationsService } from '../notifications/service.ts';
import type { ProjectsRepository } from '../projects/repository.ts';
import type { ProjectsServices } from '../services.ts';
import { TypesRepository } from '../types/repository.ts';
import { TypesService } from '../types/service.ts';
import type { UsersRepository } from '../users/repository.ts';
import { containsInsensitive } from '../db/filters.ts';
import { WorkPackagesRepository } from './repository.ts';
import { NOTIFY_JOB, WorkPackagesService } from './service.ts';

/**
 * Builds types, work packages and notifications into the services: the notification job handler and
 * the `typeahead` project filter (the Nextcloud app's project picker sends it).
 */
export function registerWorkPackages(
  services: ProjectsServices,
  repositories: { projectsRepository: ProjectsRepository; membershipsRepository: MembershipsRepository; usersRepository: UsersRepository },
): void {
  const { db, permissions, queue } = services;
  const types = new TypesService(new TypesRepository(db));
  const workPackagesRepository = new WorkPackagesRepository(db);
  services.types = types;
  services.workPackages = new WorkPackagesService(
    workPackagesRepository,
    permissions,
    repositories.projectsRepository,
    repositories.membershipsRepository,
    repositories.usersRepository,
    types,
    queue,
  );
  services.notifications = new NotificationsService(new NotificationsRepository(db), workPackagesRepository, repositories.usersRepository, permissions);
  services.jobs.handlers[NOTIFY_JOB] = (payload: { journalId: number }) => services.notifications.createForJournal(payload.journalId);
  if (!services.projects.filterDefs().typeahead) {
    services.projects.registerFilter('typeahead', {
      def: { label: 'Typeahead', operators: ['**', '~'], values: 'string' },
      condition: async (filter) => (eb) => eb.or([containsInsensitive('projects.name', filter.values[0] ?? ''), containsInsensitive('projects.identifier', filter.values[0] ?? '')]),
    });
  }
}
