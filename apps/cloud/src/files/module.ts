import type { CloudServices } from '../services.ts';
import { cleanupUploads } from '../dav/uploads.ts';
import { TrashService } from '../trash/service.ts';
import { BlobStore } from './blobs.ts';
import { FilesRepository } from './repository.ts';
import { FilesService } from './service.ts';

/** Build the files and trash services, clean temp files of an earlier crash, and register their jobs. */
export async function registerFiles(services: CloudServices): Promise<void> {
  const files = new FilesService(new FilesRepository(services.db), new BlobStore(services.config.filesDir));
  await files.init();
  services.files = files;
  services.trash = new TrashService(files);
  // A deleted account's files go with it: a later account with the same id must not inherit them.
  services.users.addListener({ afterUserDelete: (userId) => files.deleteUserFiles(userId) });
  services.jobs.handlers['files.cleanup-uploads'] = async () => {
    await cleanupUploads(services);
  };
  services.jobs.handlers['trash.expire'] = async () => {
    await services.trash.expire();
  };
  services.jobs.handlers['files.sweep-blobs'] = async () => {
    await files.sweepBlobs();
  };
  services.jobs.scheduled.push(
    { name: 'files.cleanup-uploads', everyMs: 3600_000 },
    { name: 'trash.expire', everyMs: 6 * 3600_000 },
    { name: 'files.sweep-blobs', everyMs: 24 * 3600_000 },
  );
}
