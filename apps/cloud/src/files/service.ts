import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import nodePath from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { errors } from '../errors.ts';
import { BlobStore, BodyLengthError, type HashName, type StagedBlob } from './blobs.ts';
import { FOLDER_MIMETYPE, mimetypeOf } from './mimetypes.ts';
import { ancestorsOf, baseName, isWithin, joinPath, normalizePath, parentOf, rebase } from './paths.ts';
import type { DeadProperty, FilesRepository, NewNode, NodeRow } from './repository.ts';
import { PERMISSION, type DavPropertyProvider, type FileInfo, type FileUser, type Mount, type MountProvider } from './types.ts';

export const homeStorage = (userId: string) => `home::${userId}`;
export const uploadsStorage = (userId: string) => `uploads::${userId}`;
export const trashStorage = (userId: string) => `trash::${userId}`;

/** Names Nextcloud never stores (its capabilities list `.htaccess` as blacklisted). */
const FORBIDDEN_NAMES = new Set(['.htaccess']);

export const newEtag = () => crypto.randomBytes(16).toString('hex');
const has = (bits: number, bit: number) => (bits & bit) === bit;

export interface WriteOptions {
  /** Content-Length, when the client sent one. */
  length?: number | undefined;
  /** Seconds since the epoch (X-OC-Mtime). */
  mtime?: number | undefined;
  /** Creation time in seconds (X-OC-CTime); applies to new files. */
  ctime?: number | undefined;
  /** `OC-Checksum` value, stored verbatim; undefined clears it. */
  checksum?: string | undefined;
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  hashes?: HashName[];
}

export interface WriteResult {
  info: FileInfo;
  created: boolean;
  hashes: Partial<Record<HashName, string>>;
}

export type Depth = 0 | 1 | 'infinity';

/** Depth-first order (a folder, then its subtree, then its next sibling), as Sabre lists `Depth: infinity`. */
function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}

/** PostgreSQL 23505 / SQLite SQLITE_CONSTRAINT_UNIQUE. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

async function retryOnUniqueViolation<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return fn();
  }
}

/** A new, empty folder row. */
function folderRow(storage: string, parentId: number | null, path: string, now: number): NewNode {
  return {
    storage,
    parent_id: parentId,
    name: baseName(path),
    path,
    kind: 'dir',
    size: 0,
    mtime: Math.floor(now / 1000),
    etag: newEtag(),
    mimetype: FOLDER_MIMETYPE,
    checksum: null,
    blob: null,
    created_at: now,
    uploaded_at: now,
  };
}

/**
 * Files: storages, mounts, permissions, content. Every entry point (WebDAV, web UI, OCS, group folders)
 * goes through a `FileView`, which enforces the permission bits of the mount a path lives in.
 */
export class FilesService {
  readonly mountProviders: MountProvider[] = [];
  readonly propertyProviders: DavPropertyProvider[] = [];
  private readonly knownRoots = new Set<string>();

  constructor(
    readonly repository: FilesRepository,
    readonly blobs: BlobStore,
  ) {}

  async init(): Promise<void> {
    await this.blobs.init();
  }

  addMountProvider(provider: MountProvider): void {
    this.mountProviders.push(provider);
  }

  addPropertyProvider(provider: DavPropertyProvider): void {
    this.propertyProviders.push(provider);
  }

  /** Vetoes on deleting or renaming/moving a node (the OpenProject integration protects project folders). */
  readonly nodeGuards: NodeGuard[] = [];

  addNodeGuard(guard: NodeGuard): void {
    this.nodeGuards.push(guard);
  }

  /** The root folder of a storage, created on first use. */
  async ensureRoot(storage: string): Promise<NodeRow> {
    const existing = await this.repository.findByPath(storage, '');
    if (existing) return existing;
    return this.createRoot(storage);
  }

  private async createRoot(storage: string): Promise<NodeRow> {
    const now = Date.now();
    await this.repository.insertIgnore(folderRow(storage, null, '', now));
    return (await this.repository.findByPath(storage, ''))!;
  }

  /** The view of a user: the home storage plus every provider's mounts. */
  async viewFor(user: FileUser): Promise<FileView> {
    const home: Mount = { mountPoint: '', storage: homeStorage(user.id), root: '', mountType: '', permissions: () => PERMISSION.all };
    const mounts = [home];
    for (const provider of this.mountProviders) mounts.push(...(await provider.mountsFor(user)));
    // Roots are never deleted, so one check per storage and process is enough.
    if (!this.knownRoots.has(home.storage)) {
      await this.ensureRoot(home.storage);
      this.knownRoots.add(home.storage);
    }
    return new FileView(this, user, mounts);
  }

  /** A view of a single storage with full permissions (upload staging, trash, admin tasks). */
  async storageView(user: FileUser, storage: string): Promise<FileView> {
    await this.ensureRoot(storage);
    // Staging and trash do not count against the home quota.
    const unlimited = { id: user.id, displayName: user.displayName };
    return new FileView(this, unlimited, [{ mountPoint: '', storage, root: '', mountType: '', permissions: () => PERMISSION.all }]);
  }

  openRead(node: NodeRow, range?: { start: number; end: number }): Readable {
    if (!node.blob) return fs.createReadStream('/dev/null');
    return fs.createReadStream(this.blobs.pathOf(node.blob), { ...range, highWaterMark: 1024 * 1024 });
  }

  /** Write a file's content (or an inclusive byte range) to `out`: the fast path of downloads. */
  async sendContent(node: NodeRow, out: Writable, range?: { start: number; end: number }): Promise<void> {
    if (node.blob) await this.blobs.copyTo(node.blob, out, range);
  }

  /** Delete a subtree for good (trash purge, upload clean-up) and its content. */
  async purge(node: NodeRow): Promise<void> {
    const blobs = await this.repository.transaction(async (repo) => {
      const removed = await repo.deleteSubtree(node);
      await repo.propagate(node.storage, ancestorsOf(node.path), newEtag(), -node.size, undefined);
      return removed;
    });
    await this.unlinkUnreferenced(blobs);
  }

  /**
   * Remove content files no row references (left by a crash between the blob rename and the metadata
   * commit). Only files older than `graceMs` are considered, so uploads being committed are safe.
   */
  async sweepBlobs(graceMs = 3600_000, now = Date.now()): Promise<number> {
    let removed = 0;
    for (const bucket of await fsp.readdir(this.blobs.blobDir).catch(() => [] as string[])) {
      const dir = nodePath.join(this.blobs.blobDir, bucket);
      const keys: string[] = [];
      for (const key of await fsp.readdir(dir).catch(() => [] as string[])) {
        const stat = await fsp.stat(nodePath.join(dir, key)).catch(() => undefined);
        if (stat && now - stat.mtimeMs > graceMs) keys.push(key);
      }
      for (let i = 0; i < keys.length; i += 500) {
        const batch = keys.slice(i, i + 500);
        const referenced = await this.repository.isBlobReferenced(batch);
        const orphans = batch.filter((k) => !referenced.has(k));
        await this.blobs.remove(orphans);
        removed += orphans.length;
      }
    }
    return removed;
  }

  /** Remove every file of a user (home, upload staging, trash) when the account is deleted. */
  async deleteUserFiles(userId: string): Promise<void> {
    for (const storage of [homeStorage(userId), uploadsStorage(userId), trashStorage(userId)]) {
      const blobs = await this.repository.transaction((repo) => repo.deleteStorage(storage));
      this.knownRoots.delete(storage);
      await this.unlinkUnreferenced(blobs);
    }
  }

  /** Content is shared by hard links only, so a key whose row is gone can always be unlinked. */
  async unlinkUnreferenced(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const referenced = await this.repository.isBlobReferenced(keys);
    await this.blobs.remove(keys.filter((k) => !referenced.has(k)));
  }
}

/** Throws to refuse an action on a node; runs before the permission checks. */
export type NodeGuard = (user: FileUser, info: FileInfo, action: 'delete' | 'move') => Promise<void>;

/** One user's files: their home plus mounts; all permission checks happen here. */
export class FileView {
  private mountRootCache: Map<Mount, NodeRow | undefined> | undefined;

  constructor(
    readonly files: FilesService,
    readonly user: FileUser,
    readonly mounts: Mount[],
  ) {}

  private get repo(): FilesRepository {
    return this.files.repository;
  }

  /** The mount a view path lives in (longest mount point wins) and the path inside its storage. */
  resolve(path: string): { mount: Mount; storagePath: string } {
    let best = this.mounts[0]!;
    for (const mount of this.mounts) {
      if (mount.mountPoint !== '' && isWithin(path, mount.mountPoint) && mount.mountPoint.length > best.mountPoint.length) best = mount;
    }
    return { mount: best, storagePath: rebase(path, best.mountPoint, best.root) };
  }

  /** The view path of a node of `mount`. */
  private viewPath(mount: Mount, storagePath: string): string {
    return rebase(storagePath, mount.root, mount.mountPoint);
  }

  private async mountRoots(): Promise<Map<Mount, NodeRow | undefined>> {
    if (!this.mountRootCache) {
      const cache = new Map<Mount, NodeRow | undefined>();
      for (const mount of this.mounts) {
        if (mount.mountPoint === '') continue;
        cache.set(mount, mount.root === '' ? await this.files.ensureRoot(mount.storage) : await this.repo.findByPath(mount.storage, mount.root));
      }
      this.mountRootCache = cache;
    }
    return this.mountRootCache;
  }

  private async toInfo(mount: Mount, node: NodeRow): Promise<FileInfo> {
    const info = this.toInfoSync(mount, node);
    if (node.kind === 'dir' && mount.mountPoint === '' && this.mounts.length > 1) {
      // A home folder's etag must change when a mount below it changes (sync clients descend by etag).
      const below: string[] = [];
      for (const [m, root] of await this.mountRoots()) if (root && isWithin(m.mountPoint, info.path) && m.mountPoint !== info.path) below.push(root.etag);
      if (below.length) info.etag = crypto.createHash('md5').update(node.etag + below.join('')).digest('hex');
    }
    return info;
  }

  /** Without mount etags folded in: enough for files and for views without mounts. */
  private toInfoSync(mount: Mount, node: NodeRow): FileInfo {
    const path = mount.mountPoint === '' && mount.root === '' ? node.path : this.viewPath(mount, node.path);
    return { path, node, mount, permissions: mount.permissions(node.path), isMountRoot: mount.mountPoint !== '' && node.path === mount.root, etag: node.etag };
  }

  /** The node at `path`, or undefined when it is missing or unreadable. */
  async stat(path: string): Promise<FileInfo | undefined> {
    const normal = normalizePath(path);
    const { mount, storagePath } = this.resolve(normal);
    const node = await this.repo.findByPath(mount.storage, storagePath);
    if (!node) return undefined;
    const info = await this.toInfo(mount, node);
    return has(info.permissions, PERMISSION.read) ? info : undefined;
  }

  async get(path: string): Promise<FileInfo> {
    const info = await this.stat(path);
    if (!info) throw await this.notFound(normalizePath(path));
    return info;
  }

  /** Where a file id lives in this view (OCS file info, direct links), or undefined. */
  async findById(id: number): Promise<FileInfo | undefined> {
    const node = await this.repo.findById(id);
    if (!node) return undefined;
    const mounts = this.mounts.filter((m) => m.storage === node.storage && isWithin(node.path, m.root));
    const mount = mounts.sort((a, b) => b.root.length - a.root.length)[0];
    if (!mount) return undefined;
    const info = await this.toInfo(mount, node);
    return has(info.permissions, PERMISSION.read) ? info : undefined;
  }

  /** Sabre's message names the first missing segment: `File with name //a could not be located`. */
  async notFound(path: string) {
    let prefix = '';
    for (const segment of path.split('/')) {
      const candidate = joinPath(prefix, segment);
      if (candidate === path || !(await this.stat(candidate))) {
        return errors.file_not_found({}, `File with name /${prefix}/${segment} could not be located`);
      }
      prefix = candidate;
    }
    return errors.file_not_found();
  }

  /** The node and, for folders, its children (Depth 1) or whole subtree (infinity), mounts included. */
  async list(info: FileInfo, depth: Depth): Promise<FileInfo[]> {
    const result: FileInfo[] = [info];
    if (depth === 0 || info.node.kind !== 'dir') return result;
    const rows = depth === 1 ? await this.repo.listChildren(info.node) : await this.repo.descendants(info.mount.storage, info.node.path);
    const hidden = new Set<string>();
    const mountPoints = new Set(this.mounts.filter((m) => m.mountPoint !== '').map((m) => m.mountPoint));
    const collected: FileInfo[] = [];
    for (const row of rows) {
      if (depth === 'infinity' && !isWithin(row.path, info.mount.root)) continue;
      const child = row.kind === 'file' || this.mounts.length === 1 ? this.toInfoSync(info.mount, row) : await this.toInfo(info.mount, row);
      const parent = depth === 1 ? info.path : parentOf(child.path);
      // Nodes a mount covers, unreadable nodes and everything below them are not listed.
      if (hidden.has(parent) || (info.mount.mountPoint === '' && mountPoints.has(child.path)) || !has(child.permissions, PERMISSION.read)) {
        if (row.kind === 'dir') hidden.add(child.path);
        continue;
      }
      collected.push(child);
    }
    for (const [mount, root] of await this.mountRoots()) {
      if (!root || mount === info.mount || !isWithin(mount.mountPoint, info.path) || mount.mountPoint === info.path) continue;
      if (depth === 1 && parentOf(mount.mountPoint) !== info.path) continue;
      if (depth === 1 && this.resolve(parentOf(mount.mountPoint)).mount !== info.mount) continue;
      const rootInfo = await this.toInfo(mount, root);
      if (!has(rootInfo.permissions, PERMISSION.read)) continue;
      if (depth === 1) collected.push(rootInfo);
      else collected.push(...(await this.list(rootInfo, 'infinity')));
    }
    if (depth === 1) collected.sort((a, b) => (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0));
    else collected.sort((a, b) => comparePaths(a.path, b.path));
    return result.concat(collected);
  }

  private require(info: FileInfo, bit: number, message: string): void {
    if (!has(info.permissions, bit)) throw errors.file_forbidden({ path: info.path }, message);
  }

  /** The folder a new node at `path` goes into; 409 (or 404 for PUT, as Nextcloud) when it is missing. */
  private async parentFolder(path: string, missing: 'conflict' | 'not_found'): Promise<FileInfo> {
    const name = baseName(path);
    if (FORBIDDEN_NAMES.has(name.toLowerCase())) throw errors.file_forbidden({ name }, `"${name}" is a forbidden file or folder name.`);
    const parent = await this.stat(parentOf(path));
    if (!parent || parent.node.kind !== 'dir') {
      if (missing === 'conflict') throw errors.parent_not_found({ path });
      throw await this.notFound(path);
    }
    return parent;
  }

  private checkPreconditions(existing: FileInfo | undefined, options: { ifMatch?: string | undefined; ifNoneMatch?: string | undefined }): void {
    const etag = existing ? `"${existing.etag}"` : undefined;
    const matches = (header: string) => header.split(',').some((v) => v.trim() === '*' || v.trim() === etag);
    if (options.ifMatch !== undefined && (!etag || !matches(options.ifMatch))) throw errors.precondition_failed({}, 'An If-Match header was specified, but none of the specified ETags matched.');
    if (options.ifNoneMatch !== undefined && etag && matches(options.ifNoneMatch)) {
      throw errors.precondition_failed({}, 'An If-None-Match header was specified, but the ETag matched (or * was specified).');
    }
  }

  /** Create or replace a file with a streamed body (or content staged by the caller, e.g. assembled chunks). */
  async write(path: string, body: Readable | (() => Promise<StagedBlob>), options: WriteOptions = {}): Promise<WriteResult> {
    const target = normalizePath(path);
    if (target === '') throw errors.file_conflict({}, 'Cannot write to a collection');
    const parent = await this.parentFolder(target, 'not_found');
    const existing = await this.stat(target);
    if (existing?.node.kind === 'dir') throw errors.file_conflict({ path: target }, 'Cannot write to a collection');
    if (existing) this.require(existing, PERMISSION.update, 'Permission denied to write this file');
    else this.require(parent, PERMISSION.create, `Permission denied to create file (filename ${baseName(target)})`);
    this.checkPreconditions(existing, options);
    // Refuse before reading the body when the announced size cannot fit.
    if (options.length !== undefined) await this.checkQuota(target, options.length - (existing?.node.size ?? 0));
    let staged: StagedBlob;
    try {
      staged =
        typeof body === 'function' ? await body() : await this.files.blobs.write(body, { expectedLength: options.length, hashes: options.hashes ?? [] });
    } catch (error) {
      if (error instanceof BodyLengthError) throw errors.body_length_mismatch({ expected: error.expected, received: error.received });
      throw error;
    }
    return this.commitContent(target, parent, staged, options);
  }

  /** Put staged content at `target`, keeping an existing file id. */
  private async commitContent(target: string, parent: FileInfo, staged: StagedBlob, options: WriteOptions): Promise<WriteResult> {
    const { mount, storagePath } = this.resolve(target);
    const now = Date.now();
    const mtime = options.mtime ?? Math.floor(now / 1000);
    let oldBlob: string | null = null;
    let created = false;
    try {
      const previous = await this.repo.findByPath(mount.storage, storagePath);
      await this.checkQuota(target, staged.size - (previous?.size ?? 0));
      // Two uploads creating the same new path race on the unique index: the loser retries as an overwrite.
      const node = await retryOnUniqueViolation(() => this.repo.transaction(async (repo) => {
        created = false;
        oldBlob = null;
        const current = await repo.findByPath(mount.storage, storagePath);
        const etag = newEtag();
        if (current?.kind === 'dir') throw errors.file_conflict({ path: target }, 'Cannot write to a collection');
        // A node the caller cannot see (or a racing creation) must not be overwritten without update permission.
        if (current && !has(mount.permissions(current.path), PERMISSION.update | PERMISSION.read)) {
          throw errors.file_forbidden({ path: target }, 'Permission denied to write this file');
        }
        if (current) {
          oldBlob = current.blob;
          await repo.update(current.id, {
            blob: staged.key,
            size: staged.size,
            mtime,
            etag,
            checksum: options.checksum ?? null,
            uploaded_at: now,
          });
          await repo.propagate(mount.storage, ancestorsOf(storagePath), newEtag(), staged.size - current.size, Math.floor(now / 1000));
          return { ...current, blob: staged.key, size: staged.size, mtime, etag, checksum: options.checksum ?? null, uploaded_at: now };
        }
        created = true;
        const inserted = await repo.insert({
          storage: mount.storage,
          parent_id: parent.node.id,
          name: baseName(storagePath),
          path: storagePath,
          kind: 'file',
          size: staged.size,
          mtime,
          etag,
          mimetype: mimetypeOf(baseName(storagePath)),
          checksum: options.checksum ?? null,
          blob: staged.key,
          created_at: options.ctime !== undefined ? options.ctime * 1000 : now,
          uploaded_at: now,
        });
        await repo.propagate(mount.storage, ancestorsOf(storagePath), newEtag(), staged.size, Math.floor(now / 1000));
        return inserted;
      }));
      if (oldBlob) await this.files.unlinkUnreferenced([oldBlob]);
      return { info: await this.toInfo(mount, node), created, hashes: staged.hashes };
    } catch (error) {
      await this.files.blobs.remove([staged.key]);
      throw error;
    }
  }

  /** Bytes left in the user's home (`undefined` = unlimited). */
  async quotaFree(): Promise<number | undefined> {
    const quota = this.user.quota;
    if (quota === undefined || quota < 0) return undefined;
    const root = await this.repo.findByPath(this.mounts[0]!.storage, '');
    return Math.max(0, quota - (root?.size ?? 0));
  }

  /** 507 when `growth` more bytes at `path` would exceed the home quota, or the quota a mount brings. */
  private async checkQuota(path: string, growth: number): Promise<void> {
    if (growth <= 0) return;
    const { mount } = this.resolve(path);
    if (mount !== this.mounts[0]) {
      if (mount.quota === undefined || mount.quota < 0) return;
      const used = (await this.repo.findByPath(mount.storage, ''))?.size ?? 0;
      const free = Math.max(0, mount.quota - used);
      if (growth > free) throw errors.insufficient_storage({ free, needed: growth }, `Insufficient space in ${mount.mountPoint}: ${growth} bytes needed, ${free} free`);
      return;
    }
    const free = await this.quotaFree();
    if (free !== undefined && growth > free) throw errors.insufficient_storage({ free, needed: growth }, `Insufficient space in ${this.user.id}'s home: ${growth} bytes needed, ${free} free`);
  }

  async mkdir(path: string): Promise<FileInfo> {
    const target = normalizePath(path);
    if (target === '' || (await this.stat(target))) throw errors.file_exists({ path: target });
    const parent = await this.parentFolder(target, 'conflict');
    this.require(parent, PERMISSION.create, `Permission denied to create folder (${baseName(target)})`);
    const { mount, storagePath } = this.resolve(target);
    const now = Date.now();
    const node = await retryOnUniqueViolation(() => this.repo.transaction(async (repo) => {
      if (await repo.findByPath(mount.storage, storagePath)) throw errors.file_exists({ path: target });
      const inserted = await repo.insert(folderRow(mount.storage, parent.node.id, storagePath, now));
      await repo.propagate(mount.storage, ancestorsOf(storagePath), newEtag(), 0, Math.floor(now / 1000));
      return inserted;
    }));
    return this.toInfo(mount, node);
  }

  /** Every node of a subtree must allow `bit` (group folder ACLs can deny deep inside). */
  private async requireTree(info: FileInfo, bit: number, message: string): Promise<void> {
    this.require(info, bit, message);
    if (info.mount.mountPoint === '' || info.node.kind !== 'dir') return;
    for (const row of await this.repo.descendants(info.mount.storage, info.node.path)) {
      if (!has(info.mount.permissions(row.path), bit)) throw errors.file_forbidden({ path: info.path }, message);
    }
  }

  /** Checks shared by MOVE and COPY: not into itself, parent exists, Overwrite, and the right to replace. */
  private async destination(source: FileInfo, to: string, overwrite: boolean, verb: 'move' | 'copy') {
    const target = normalizePath(to);
    if (isWithin(target, source.path)) throw errors.file_forbidden({}, `Cannot ${verb} a node into itself`);
    const parent = await this.parentFolder(target, 'conflict');
    const existing = await this.stat(target);
    if (existing && !overwrite) throw errors.precondition_failed({}, 'The destination node already exists, and the overwrite header is set to false');
    if (existing) {
      this.refuseMountRoot(existing, `${existing.node.name} cannot be overwritten`);
      await this.requireTree(existing, PERMISSION.delete, `${existing.node.name} cannot be deleted`);
    }
    return { target, parent, existing };
  }

  /**
   * In the MOVE/COPY transaction: drop the node being overwritten; a node the caller cannot see at the
   * target is refused, never replaced. Returns content keys to unlink after commit.
   */
  private async clearDestination(repo: FilesRepository, existing: FileInfo | undefined, storage: string, path: string): Promise<string[]> {
    let removed: string[] = [];
    if (existing) {
      removed = await repo.deleteSubtree(existing.node);
      await repo.propagate(storage, ancestorsOf(path), newEtag(), -existing.node.size, Math.floor(Date.now() / 1000));
    }
    if (await repo.findByPath(storage, path)) throw errors.file_forbidden({ path }, 'The destination exists and is not accessible');
    return removed;
  }

  private refuseMountRoot(info: FileInfo, message: string): void {
    if (info.path === '' || info.isMountRoot) throw errors.file_forbidden({ path: info.path }, message);
  }

  /** Delete: into the user's trash (default) or for good. */
  async delete(path: string, options: { ifMatch?: string | undefined; permanently?: boolean } = {}): Promise<void> {
    const info = await this.get(path);
    this.refuseMountRoot(info, `${info.node.name} cannot be deleted`);
    for (const guard of this.files.nodeGuards) await guard(this.user, info, 'delete');
    this.checkPreconditions(info, options);
    await this.requireTree(info, PERMISSION.delete, `${info.node.name} cannot be deleted`);
    if (options.permanently || info.mount.storage.startsWith('uploads::') || info.mount.storage.startsWith('trash::')) {
      await this.files.purge(info.node);
      return;
    }
    const trash = await this.files.ensureRoot(trashStorage(this.user.id));
    const deletedAt = Date.now();
    await this.repo.transaction(async (repo) => {
      let name = `${info.node.name}.d${Math.floor(deletedAt / 1000)}`;
      for (let i = 1; await repo.findByPath(trash.storage, name); i += 1) name = `${info.node.name}.d${Math.floor(deletedAt / 1000) + i}`;
      await repo.moveSubtree(info.node, { storage: trash.storage, path: name, name, parentId: trash.id });
      await repo.propagate(info.mount.storage, ancestorsOf(info.node.path), newEtag(), -info.node.size, Math.floor(deletedAt / 1000));
      await repo.insertTrashItem({ node_id: info.node.id, user_id: this.user.id, original_location: info.path, deleted_at: deletedAt });
    });
  }

  /** MOVE: metadata only; the file id stays. */
  async move(from: string, to: string, options: { overwrite: boolean }): Promise<{ info: FileInfo; created: boolean }> {
    const source = await this.get(from);
    this.refuseMountRoot(source, `${source.node.name} cannot be moved`);
    for (const guard of this.files.nodeGuards) await guard(this.user, source, 'move');
    const { target, parent, existing } = await this.destination(source, to, options.overwrite, 'move');
    const sameFolder = parentOf(source.path) === parentOf(target);
    if (sameFolder) this.require(source, PERMISSION.update, `${source.node.name} cannot be renamed`);
    else await this.requireTree(source, PERMISSION.delete, `${source.node.name} cannot be deleted`);
    this.require(parent, existing ? PERMISSION.update | PERMISSION.create : PERMISSION.create, `Permission denied to create ${baseName(target)}`);
    const { mount, storagePath } = this.resolve(target);
    const now = Math.floor(Date.now() / 1000);
    const removed = await this.repo.transaction(async (repo) => {
      const blobs = await this.clearDestination(repo, existing, mount.storage, storagePath);
      await repo.moveSubtree(source.node, { storage: mount.storage, path: storagePath, name: baseName(storagePath), parentId: parent.node.id });
      await repo.propagate(source.mount.storage, ancestorsOf(source.node.path), newEtag(), -source.node.size, now);
      await repo.propagate(mount.storage, ancestorsOf(storagePath), newEtag(), source.node.size, now);
      return blobs;
    });
    await this.files.unlinkUnreferenced(removed);
    const node = (await this.repo.findById(source.node.id))!;
    return { info: await this.toInfo(mount, node), created: !existing };
  }

  /** COPY: new file ids, content shared by hard link, dead properties copied. */
  async copy(from: string, to: string, options: { overwrite: boolean; depth: Depth }): Promise<{ info: FileInfo; created: boolean }> {
    const source = await this.get(from);
    const { target, parent, existing } = await this.destination(source, to, options.overwrite, 'copy');
    this.require(parent, PERMISSION.create, `Permission denied to create ${baseName(target)}`);
    const rows = [source.node];
    if (source.node.kind === 'dir' && options.depth !== 0) {
      for (const row of await this.repo.descendants(source.mount.storage, source.node.path)) {
        if (has(source.mount.permissions(row.path), PERMISSION.read)) rows.push(row);
      }
    }
    await this.checkQuota(target, rows.reduce((sum, r) => sum + (r.kind === 'file' ? r.size : 0), 0) - (existing?.node.size ?? 0));
    const { mount, storagePath } = this.resolve(target);
    const linked: string[] = [];
    const now = Date.now();
    try {
      const result = await this.repo.transaction(async (repo) => {
        const removed = await this.clearDestination(repo, existing, mount.storage, storagePath);
        const ids = new Map<number, number>();
        let root: NodeRow | undefined;
        let total = 0;
        for (const row of rows) {
          const path = rebase(row.path, source.node.path, storagePath);
          const blob = row.blob ? await this.files.blobs.link(row.blob) : null;
          if (blob) linked.push(blob);
          const parentId = row === source.node ? parent.node.id : ids.get(row.parent_id!);
          if (parentId === undefined) continue;
          const size = row.kind === 'dir' ? 0 : row.size;
          total += size;
          const inserted = await repo.insert({
            storage: mount.storage,
            parent_id: parentId,
            name: baseName(path),
            path,
            kind: row.kind,
            size,
            mtime: row.mtime,
            etag: newEtag(),
            mimetype: row.kind === 'dir' ? FOLDER_MIMETYPE : mimetypeOf(baseName(path)),
            checksum: row.checksum,
            blob,
            created_at: now,
            uploaded_at: now,
          });
          ids.set(row.id, inserted.id);
          await repo.copyProperties(row.id, inserted.id);
          root ??= inserted;
        }
        // Folder sizes of the copy: recompute bottom-up from the copied files.
        if (source.node.kind === 'dir') await this.recomputeSizes(repo, mount.storage, storagePath);
        await repo.propagate(mount.storage, ancestorsOf(storagePath), newEtag(), total, Math.floor(now / 1000));
        return { root: root!, removed };
      });
      await this.files.unlinkUnreferenced(result.removed);
      const node = (await this.repo.findById(result.root.id))!;
      return { info: await this.toInfo(mount, node), created: !existing };
    } catch (error) {
      await this.files.blobs.remove(linked);
      throw error;
    }
  }

  private async recomputeSizes(repo: FilesRepository, storage: string, path: string): Promise<void> {
    const root = await repo.findByPath(storage, path);
    if (!root) return;
    const rows = [root, ...(await repo.descendants(storage, path))];
    const sizes = new Map<string, number>();
    for (const row of [...rows].reverse()) {
      if (row.kind === 'file') {
        sizes.set(row.path, (sizes.get(row.path) ?? 0) + row.size);
      }
      const own = sizes.get(row.path) ?? 0;
      if (row.path !== path) sizes.set(parentOf(row.path), (sizes.get(parentOf(row.path)) ?? 0) + own);
    }
    for (const row of rows) if (row.kind === 'dir' && (sizes.get(row.path) ?? 0) !== row.size) await repo.update(row.id, { size: sizes.get(row.path) ?? 0 });
  }

  /** Bring a node of another storage (a trash item) into this view at `path`; the file id stays. */
  async adopt(node: NodeRow, path: string): Promise<FileInfo> {
    const target = normalizePath(path);
    const parent = await this.parentFolder(target, 'conflict');
    this.require(parent, PERMISSION.create, `Permission denied to create ${baseName(target)}`);
    if (await this.stat(target)) throw errors.file_exists({ path: target });
    const { mount, storagePath } = this.resolve(target);
    const now = Math.floor(Date.now() / 1000);
    await this.repo.transaction(async (repo) => {
      await repo.moveSubtree(node, { storage: mount.storage, path: storagePath, name: baseName(storagePath), parentId: parent.node.id });
      await repo.propagate(node.storage, ancestorsOf(node.path), newEtag(), -node.size, now);
      await repo.propagate(mount.storage, ancestorsOf(storagePath), newEtag(), node.size, now);
      await repo.deleteTrashItem(node.id);
    });
    return this.toInfo(mount, (await this.repo.findById(node.id))!);
  }

  // --- properties --------------------------------------------------------------------------------

  async deadProperties(infos: FileInfo[]): Promise<Map<number, DeadProperty[]>> {
    return this.repo.properties(infos.map((i) => i.node.id));
  }

  /** Direct children per listed folder (mount roots that shadow home folders are not subtracted). */
  childCounts(infos: FileInfo[]): Promise<Map<number, { dirs: number; files: number }>> {
    return this.repo.childCounts(infos.filter((i) => i.node.kind === 'dir').map((i) => i.node.id));
  }

  /** Apply dead-property changes of one PROPPATCH (all or nothing); live ones are the caller's. */
  async patchDeadProperties(info: FileInfo, changes: { name: string; value: string | undefined }[]): Promise<void> {
    this.require(info, PERMISSION.update, 'Permission denied to change properties');
    await this.repo.transaction(async (repo) => {
      for (const change of changes) {
        if (change.value === undefined) await repo.removeProperty(info.node.id, change.name);
        else await repo.setProperty(info.node.id, change.name, change.value);
      }
    });
  }

  /** Touch: set mtime (PROPPATCH `d:lastmodified`) and propagate a new etag. */
  async touch(info: FileInfo, mtime: number): Promise<void> {
    this.require(info, PERMISSION.update, 'Permission denied to change properties');
    await this.repo.transaction(async (repo) => {
      await repo.update(info.node.id, { mtime, etag: newEtag() });
      await repo.propagate(info.mount.storage, ancestorsOf(info.node.path), newEtag(), 0, undefined);
    });
  }

  /** PROPPATCH `nc:creation_time` / `d:creationdate`. */
  async setCreationTime(info: FileInfo, ms: number): Promise<void> {
    this.require(info, PERMISSION.update, 'Permission denied to change properties');
    await this.repo.update(info.node.id, { created_at: Math.floor(ms) });
  }

  /** Overwrite the etag itself (PROPPATCH `d:getetag`, Nextcloud allows it). */
  async setEtag(info: FileInfo, etag: string): Promise<void> {
    this.require(info, PERMISSION.update, 'Permission denied to change properties');
    await this.repo.update(info.node.id, { etag });
  }
}
