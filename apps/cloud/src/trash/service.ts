import { errors } from '../errors.ts';
import { baseName, joinPath, parentOf } from '../files/paths.ts';
import { trashStorage, type FileView, type FilesService } from '../files/service.ts';
import type { NodeRow } from '../files/repository.ts';
import { PERMISSION, type FileInfo, type FileUser } from '../files/types.ts';

export interface TrashItem {
  /** Name inside the trash: `<original name>.d<deletion seconds>`. */
  name: string;
  node: NodeRow;
  originalLocation: string;
  deletedAt: number;
}

/** Days deleted items are kept before the `trash.expire` job purges them. */
export const TRASH_RETENTION_MS = 30 * 24 * 3600_000;

/**
 * The trash bin: `FileView.delete` moves nodes (metadata and content) into the user's `trash::` storage
 * and records where they came from; here they are listed, restored (file ids kept) or purged.
 */
export class TrashService {
  constructor(private readonly files: FilesService) {}

  async list(user: FileUser): Promise<TrashItem[]> {
    const rows = await this.files.repository.trashItems(user.id);
    return rows.map(({ original_location, deleted_at, ...node }) => ({ name: node.name, node, originalLocation: original_location, deletedAt: deleted_at }));
  }

  async find(user: FileUser, name: string): Promise<TrashItem> {
    const item = (await this.list(user)).find((i) => i.name === name);
    if (!item) throw errors.file_not_found({}, `File with name ${name} could not be located`);
    return item;
  }

  /** A view of the trash storage, to browse inside deleted folders. */
  storageView(user: FileUser): Promise<FileView> {
    return this.files.storageView(user, trashStorage(user.id));
  }

  /**
   * Restore to the original folder (or the root when that folder is gone or not writable), under `name`
   * (default: the original name); a name already taken gets " (restored)".
   */
  async restore(user: FileUser, itemName: string, name?: string): Promise<FileInfo> {
    const item = await this.find(user, itemName);
    const view = await this.files.viewFor(user);
    let folder = parentOf(item.originalLocation);
    const parent = folder === '' ? undefined : await view.stat(folder);
    if (folder !== '' && (!parent || parent.node.kind !== 'dir' || !(parent.permissions & PERMISSION.create))) folder = '';
    const wanted = name || baseName(item.originalLocation);
    let candidate = wanted;
    for (let i = 1; await view.stat(joinPath(folder, candidate)); i += 1) {
      const dot = wanted.lastIndexOf('.');
      const suffix = i === 1 ? ' (restored)' : ` (restored ${i})`;
      candidate = dot > 0 && item.node.kind === 'file' ? `${wanted.slice(0, dot)}${suffix}${wanted.slice(dot)}` : `${wanted}${suffix}`;
    }
    return view.adopt(item.node, joinPath(folder, candidate));
  }

  async purge(user: FileUser, itemName: string): Promise<void> {
    const item = await this.find(user, itemName);
    await this.files.purge(item.node);
  }

  async empty(user: FileUser): Promise<void> {
    for (const item of await this.list(user)) await this.files.purge(item.node);
  }

  /** Purge items deleted before `now - TRASH_RETENTION_MS` (scheduled job). */
  async expire(now = Date.now()): Promise<number> {
    const expired = await this.files.repository.expiredTrashItems(now - TRASH_RETENTION_MS);
    for (const { node_id } of expired) {
      const node = await this.files.repository.findById(node_id);
      if (node) await this.files.purge(node);
    }
    return expired.length;
  }
}
