import type { FastifyInstance } from 'fastify';
import { publicBaseUrl, requireUser } from '../http/request-auth.ts';
import type { ProjectsServices } from '../services.ts';
import { displayName } from '../users/service.ts';
import { API_V3, apiLink, link } from './hal.ts';

/** The version we report as `coreVersion` (admins only, as OpenProject). */
export const CORE_VERSION = '16.0.0';

/** `GET /api/v3`: the Root resource (`instanceName`, links to the main collections). */
export function rootRoutes(app: FastifyInstance, services: ProjectsServices): void {
  app.get(API_V3, async (request) => {
    const { user } = await requireUser(services.auth, request);
    const root: Record<string, unknown> = { _type: 'Root', instanceName: services.config.instanceName };
    if (user.admin) root.coreVersion = CORE_VERSION;
    root._links = {
      self: link(API_V3),
      configuration: link(`${API_V3}/configuration`),
      memberships: link(`${API_V3}/memberships`),
      priorities: link(`${API_V3}/priorities`),
      relations: link(`${API_V3}/relations`),
      statuses: link(`${API_V3}/statuses`),
      time_entries: link(`${API_V3}/time_entries`),
      types: link(`${API_V3}/types`),
      user: apiLink('users', user.id, displayName(user)),
      userPreferences: link(`${API_V3}/users/${user.id}/preferences`),
      workPackages: link(`${API_V3}/work_packages`),
    };
    return root;
  });

  // The Nextcloud app's smart picker checks connectivity with this resource.
  app.get(`${API_V3}/configuration`, async (request) => {
    await requireUser(services.auth, request);
    return {
      _type: 'Configuration',
      maximumAttachmentFileSize: 256 * 1024 * 1024,
      perPageOptions: [20, 100],
      hostName: new URL(publicBaseUrl(services.config.publicUrl, request)).host,
      activeFeatureFlags: [],
      _links: { self: link(`${API_V3}/configuration`) },
    };
  });
}
