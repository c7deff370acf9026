import type { Element } from '@xmldom/xmldom';
import type { NodeRow } from './repository.ts';

/** Nextcloud's permission bits (OCP\Constants). */
export const PERMISSION = { read: 1, update: 2, create: 4, delete: 8, share: 16, all: 31 } as const;

export interface FileUser {
  id: string;
  displayName: string;
  /** Home quota in bytes; negative (Nextcloud's -3) or absent = unlimited. */
  quota?: number;
}

/**
 * A storage shown inside a user's view at `mountPoint` (e.g. a group folder at `Team`). Providers build
 * mounts per user and request, so `permissions` is synchronous: load ACL rules in `mountsFor`, evaluate here.
 */
export interface Mount {
  /** Path in the user's view (`''` only for the home mount). */
  mountPoint: string;
  /** `home::<uid>`, `groupfolder::<id>` … */
  storage: string;
  /** Path inside the storage that appears at the mount point (`''` = storage root). */
  root: string;
  /** `nc:mount-type`: `''` home, `group`, `shared`, `external`. */
  mountType: string;
  /** Effective bits (1 read, 2 update, 4 create, 8 delete, 16 share) for a path inside the storage. */
  permissions(pathInStorage: string): number;
  /** `oc:owner-id` / `oc:owner-display-name` of nodes in this mount (default: the viewing user). */
  owner?: FileUser;
  /** Bytes the whole storage may hold (a group folder's quota); absent or negative = unlimited. */
  quota?: number;
  /** Bytes left under `quota` when the mount was built (`d:quota-available-bytes` of its folders). */
  quotaFree?: number;
  /** Free-form data for property providers (e.g. the group folder id). */
  data?: Record<string, unknown>;
}

/** Contributes mounts (group folders …) to every user's view. */
export interface MountProvider {
  mountsFor(user: FileUser): Promise<Mount[]>;
}

/** A node as one user sees it. */
export interface FileInfo {
  /** Path in the user's view, `''` for the root. */
  path: string;
  node: NodeRow;
  mount: Mount;
  /** Effective permission bits for this user. */
  permissions: number;
  /** The node is the root of a non-home mount. */
  isMountRoot: boolean;
  /** What clients see: the node's etag, folded with the etags of mounts below a home folder. */
  etag: string;
}

/** Clark notation `{namespace}local` of a WebDAV property. */
export type PropName = string;

/**
 * Extra live WebDAV properties (e.g. `{http://nextcloud.org/ns}acl-list`). `get` returns the inner XML
 * of the property or `undefined` (404 propstat); `set` applies a PROPPATCH value and returns an HTTP
 * status (200, 403 …) or throws an AppError to fail the whole request.
 */
export interface DavPropertyProvider {
  names: PropName[];
  /** Called once per PROPFIND with every listed node before `get` (batch loading). */
  prepare?(user: FileUser, infos: FileInfo[], requested: PropName[]): Promise<void>;
  get(user: FileUser, info: FileInfo, name: PropName): string | undefined;
  set?(user: FileUser, info: FileInfo, name: PropName, value: Element | undefined): Promise<number>;
}
