import { Outbound } from '@tandem/core';
import type { CloudServices } from '../../services.ts';
import { errors } from '../../errors.ts';
import { GROUPFOLDERS_VERSION } from '../../groupfolders/module.ts';
import { folderAccessOf } from '../../groupfolders/service.ts';
import { IntegrationRepository } from './repository.ts';
import { APP_ID, IntegrationService, OPENPROJECT } from './service.ts';

/** The app version Cloud answers as; OpenProject requires at least 2.6.3. */
export const APP_VERSION = '3.1.1';

/** Build the OpenProject Integration app: its service, capability, account protection and ToS auto-signing. */
export function registerIntegrationOpenProject(services: CloudServices): void {
  const integration = new IntegrationService(
    new IntegrationRepository(services.db),
    services.settings,
    services.users,
    services.auth,
    services.oauth,
    services.groupFolders,
    services.terms,
    services.secrets,
    services.logger,
    new Outbound(services.config.caBundle, 10_000, 'Nextcloud OpenProject integration'),
  );
  services.integrationOpenProject = integration;
  // Public (anonymous callers too): OpenProject reads it before it has any credentials.
  services.capabilities.register(APP_ID, async () =>
    (await integration.enabled())
      ? { app_version: APP_VERSION, groupfolder_version: GROUPFOLDERS_VERSION, groupfolders_enabled: await services.settings.isAppEnabled('groupfolders') }
      : undefined,
  );
  services.users.addListener(integration.protection());
  // Project folders (direct children of the OpenProject folder) belong to OpenProject's sync: members
  // of group OpenProject may work inside them but not delete or rename them (spec §7.4).
  services.files.addNodeGuard(async (user, info) => {
    const access = folderAccessOf(info.mount);
    if (user.id === OPENPROJECT || access?.folder.mount_point !== OPENPROJECT || !access.userGroups.has(OPENPROJECT)) return;
    if (info.node.path === '' || info.node.path.includes('/')) return;
    if ((await integration.enabled()) && (await integration.isProjectFolderSetupComplete())) throw errors.openproject_project_folder_protected();
  });
  // New or changed terms, or reset signatures: the OpenProject user accepts again at once (spec §7.5).
  services.terms.onChange(async () => {
    if ((await integration.enabled()) && (await services.users.find(OPENPROJECT))) await integration.signTerms();
  });
}
