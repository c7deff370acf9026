import type { CloudServices } from '../services.ts';
import { aclPropertyProvider } from './dav.ts';
import { GroupFoldersRepository } from './repository.ts';
import { GroupFoldersService } from './service.ts';

/** The groupfolders app version Cloud answers as (capabilities, integration_openproject checks). */
export const GROUPFOLDERS_VERSION = '20.1.7';

/** Build the group folders service and plug it into the files layer (mounts, ACL properties) and capabilities. */
export function registerGroupFolders(services: CloudServices): void {
  const groupFolders = new GroupFoldersService(new GroupFoldersRepository(services.db), services.users, services.files, () =>
    services.settings.isAppEnabled('groupfolders'),
  );
  services.groupFolders = groupFolders;
  services.files.addMountProvider(groupFolders);
  services.files.addPropertyProvider(aclPropertyProvider(groupFolders));
  services.capabilities.register('groupfolders', async ({ user }) =>
    user && (await groupFolders.enabled()) ? { appVersion: GROUPFOLDERS_VERSION, hasGroupFolders: await groupFolders.hasFolders(user.id) } : undefined,
  );
}
