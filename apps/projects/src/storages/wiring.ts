import { API_V3, link } from '../api/hal.ts';
import { extendProjectLinks } from '../projects/presenter.ts';
import type { ProjectCondition, ProjectsRepository } from '../projects/repository.ts';
import type { ProjectsServices } from '../services.ts';
import { normaliseHost } from './nextcloud.ts';
import { StorageDiagnostics } from './diagnostics.ts';
import { Outbound } from '@tandem/core';
import { StoragesRepository } from './repository.ts';
import { DELETE_PROJECT_FOLDER_JOB, StoragesService } from './service.ts';

let linksRegistered = false;
/** The composition root's storage diagnostics (set by registerStorages). */
export let storageDiagnostics: StorageDiagnostics;

/**
 * File storages in the composition root: the service (outbound calls trust the system CAs plus
 * `PROJECTS_CA_BUNDLE`), the project-folder deletion job, the project filters `storages` /
 * `storage_id` / `storage_url` and the projects' `projectStorages` link.
 */
export function registerStorages(services: ProjectsServices, projectsRepository: ProjectsRepository): void {
  const { db, config } = services;
  services.storages = new StoragesService(new StoragesRepository(db), projectsRepository, services.permissions, services.oauth, services.secrets, services.queue, new Outbound(config.caBundle));
  storageDiagnostics = new StorageDiagnostics(new Outbound(config.caBundle), services.secrets, services.health);
  // `/health_checks/all`: every storage's diagnostics (the `default` check stays a liveness probe).
  services.health.addCheck('storages', async () => {
    const failures: string[] = [];
    for (const view of await services.storages.allViews()) {
      for (const check of await storageDiagnostics.run(view)) if (!check.success) failures.push(`${view.row.name}: ${check.name}: ${check.message}`);
    }
    return failures.length ? { success: false, message: failures.join('; ') } : { success: true, message: 'All storages pass their diagnostics.' };
  });
  services.jobs.handlers[DELETE_PROJECT_FOLDER_JOB] = (payload) => services.storages.deleteProjectFolder(payload);

  const byStorageIds = (ids: number[]): ProjectCondition => (eb) =>
    eb('projects.id', 'in', eb.selectFrom('project_storages').select('project_storages.project_id').where('project_storages.storage_id', 'in', ids.length ? ids : [-1]));
  for (const name of ['storages', 'storage_id']) {
    services.projects.registerFilter(name, {
      def: { label: 'Storage', operators: ['='], values: 'integer' },
      condition: async (filter) => byStorageIds(filter.values.map(Number)),
    });
  }
  services.projects.registerFilter('storage_url', {
    def: { label: 'Storage URL', operators: ['='], values: 'string' },
    condition: async (filter) => {
      const hosts = filter.values.map((v) => normaliseHost(decodeURIComponent(v))).filter((h): h is string => Boolean(h));
      const rows = hosts.length ? await db.selectFrom('storages').select('id').where('host', 'in', hosts).execute() : [];
      return byStorageIds(rows.map((r) => r.id));
    },
  });

  if (!linksRegistered) {
    linksRegistered = true;
    extendProjectLinks((project) => ({
      projectStorages: link(`${API_V3}/project_storages?filters=${encodeURIComponent(JSON.stringify([{ projectId: { operator: '=', values: [String(project.id)] } }]))}`),
    }));
  }
}
