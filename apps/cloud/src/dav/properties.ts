import type { DeadProperty } from '../files/repository.ts';
import { PERMISSION, type DavPropertyProvider, type FileInfo, type FileUser } from '../files/types.ts';
import { NS, clark, encodeHrefPath, escapeXml, propTags } from './xml.ts';

const D = (l: string) => clark(NS.dav, l);
const OC = (l: string) => clark(NS.oc, l);
const NC = (l: string) => clark(NS.nc, l);

export const PROP = {
  resourcetype: D('resourcetype'),
  getlastmodified: D('getlastmodified'),
  getetag: D('getetag'),
  getcontentlength: D('getcontentlength'),
  getcontenttype: D('getcontenttype'),
  creationdate: D('creationdate'),
  displayname: D('displayname'),
  lastmodified: D('lastmodified'),
  quotaUsed: D('quota-used-bytes'),
  quotaAvailable: D('quota-available-bytes'),
  lockdiscovery: D('lockdiscovery'),
  supportedlock: D('supportedlock'),
  fileid: OC('fileid'),
  id: OC('id'),
  permissions: OC('permissions'),
  size: OC('size'),
  ownerId: OC('owner-id'),
  ownerDisplayName: OC('owner-display-name'),
  checksums: OC('checksums'),
  dataFingerprint: OC('data-fingerprint'),
  shareTypes: OC('share-types'),
  favorite: OC('favorite'),
  ocsSharePermissions: clark(NS.ocs, 'share-permissions'),
  ocmSharePermissions: clark(NS.ocm, 'share-permissions'),
  hasPreview: NC('has-preview'),
  mountType: NC('mount-type'),
  isMountRoot: NC('is-mount-root'),
  creationTime: NC('creation_time'),
  uploadTime: NC('upload_time'),
  isEncrypted: NC('is-encrypted'),
  containedFolders: NC('contained-folder-count'),
  containedFiles: NC('contained-file-count'),
  hidden: NC('hidden'),
} as const;

/** Every live property name we compute (anything else may be a dead property). */
export const LIVE = new Set<string>(Object.values(PROP));

/** What a PROPFIND without body (allprop) returns, besides dead properties. */
export const ALLPROP = [PROP.getlastmodified, PROP.getcontentlength, PROP.resourcetype, PROP.getetag, PROP.getcontenttype, PROP.quotaUsed, PROP.quotaAvailable];

/** PROPPATCH of these answers 403. */
export const PROTECTED = new Set<string>([
  PROP.id,
  PROP.fileid,
  PROP.permissions,
  PROP.ocsSharePermissions,
  PROP.size,
  OC('downloadURL'),
  PROP.ownerId,
  PROP.ownerDisplayName,
  PROP.checksums,
  PROP.dataFingerprint,
  PROP.hasPreview,
  PROP.mountType,
  NC('is-federated'),
  NC('note'),
  PROP.displayname,
  PROP.resourcetype,
  PROP.getcontentlength,
  PROP.getcontenttype,
  PROP.quotaUsed,
  PROP.quotaAvailable,
  PROP.lockdiscovery,
  PROP.supportedlock,
  PROP.getlastmodified,
]);

/** Nextcloud's `oc:permissions` letters, in its order: S R M G D NV W|CK. */
export function permissionLetters(info: FileInfo): string {
  const p = info.permissions;
  let out = '';
  if (p & PERMISSION.share) out += 'R';
  if (info.mount.mountPoint !== '') out += 'M';
  if (p & PERMISSION.read) out += 'G';
  if (p & PERMISSION.delete) out += 'D';
  if (p & PERMISSION.update) out += 'NV';
  if (info.node.kind === 'file') {
    if (p & PERMISSION.update) out += 'W';
  } else if (p & PERMISSION.create) out += 'CK';
  return out;
}

function ocmPermissions(bits: number): string {
  const out: string[] = [];
  if (bits & PERMISSION.share) out.push('share');
  if (bits & PERMISSION.read) out.push('read');
  if (bits & (PERMISSION.update | PERMISSION.create | PERMISSION.delete)) out.push('write');
  return JSON.stringify(out);
}

const httpDates = new Map<number, string>();
/** RFC 1123 dates; many nodes share an mtime, and `toUTCString` is the costliest part of a listing row. */
function httpDate(seconds: number): string {
  let text = httpDates.get(seconds);
  if (text === undefined) {
    text = new Date(seconds * 1000).toUTCString();
    if (httpDates.size > 50_000) httpDates.clear();
    httpDates.set(seconds, text);
  }
  return text;
}

const isoDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export interface PropContext {
  user: FileUser;
  instanceId: string;
  dead: Map<number, DeadProperty[]>;
  providers: DavPropertyProvider[];
  /** Children per folder, loaded only when `nc:contained-*-count` is asked for. */
  childCounts?: Map<number, { dirs: number; files: number }>;
  /** Free bytes of the home quota, when limited and asked for. */
  quotaFree?: number | undefined;
  /** Tree-specific live properties (the trash bin's), asked first. */
  extra?: (name: string, info: FileInfo) => string | undefined;
}

/** The inner XML of a live property, or undefined when the node has none (404 propstat). */
export function liveProperty(name: string, info: FileInfo, ctx: PropContext): string | undefined {
  const node = info.node;
  const dir = node.kind === 'dir';
  const extra = ctx.extra?.(name, info);
  if (extra !== undefined) return extra;
  switch (name) {
    case PROP.resourcetype:
      return dir ? '<d:collection/>' : '';
    case PROP.getlastmodified:
      return httpDate(node.mtime);
    case PROP.getetag:
      return `&quot;${info.etag}&quot;`;
    case PROP.getcontentlength:
      return dir ? undefined : String(node.size);
    case PROP.getcontenttype:
      return dir ? undefined : escapeXml(node.mimetype);
    case PROP.creationdate:
      return isoDate(node.created_at);
    case PROP.displayname:
      return escapeXml(info.path === '' ? '' : node.name);
    case PROP.quotaUsed:
      return dir ? String(node.size) : undefined;
    case PROP.quotaAvailable:
      if (!dir) return undefined;
      if (info.mount.mountPoint !== '') return String(info.mount.quotaFree ?? -3);
      return ctx.quotaFree !== undefined ? String(ctx.quotaFree) : '-3';
    case PROP.lockdiscovery:
      return '';
    case PROP.supportedlock:
      return '';
    case PROP.fileid:
      return String(node.id);
    case PROP.id:
      return `${String(node.id).padStart(8, '0')}${ctx.instanceId}`;
    case PROP.permissions:
      return permissionLetters(info);
    case PROP.size:
      return String(node.size);
    case PROP.ownerId:
      return escapeXml(info.mount.owner?.id ?? ctx.user.id);
    case PROP.ownerDisplayName:
      return escapeXml(info.mount.owner?.displayName ?? ctx.user.displayName);
    case PROP.checksums:
      return !dir && node.checksum ? `<oc:checksum>${escapeXml(node.checksum)}</oc:checksum>` : undefined;
    case PROP.dataFingerprint:
      return '';
    case PROP.shareTypes:
      return '';
    case PROP.favorite:
      return ctx.dead.get(node.id)?.find((p) => p.name === PROP.favorite)?.value ?? '0';
    case PROP.ocsSharePermissions:
      return String(info.permissions);
    case PROP.ocmSharePermissions:
      return escapeXml(ocmPermissions(info.permissions));
    case PROP.hasPreview:
      return 'false';
    case PROP.mountType:
      return escapeXml(info.mount.mountType);
    case PROP.isMountRoot:
      return info.isMountRoot ? 'true' : 'false';
    case PROP.creationTime:
      return String(Math.floor(node.created_at / 1000));
    case PROP.uploadTime:
      return String(Math.floor(node.uploaded_at / 1000));
    case PROP.isEncrypted:
      return '0';
    case PROP.containedFolders:
      return dir && ctx.childCounts ? String(ctx.childCounts.get(node.id)?.dirs ?? 0) : undefined;
    case PROP.containedFiles:
      return dir && ctx.childCounts ? String(ctx.childCounts.get(node.id)?.files ?? 0) : undefined;
    case PROP.hidden:
      return 'false';
    default:
      for (const provider of ctx.providers) if (provider.names.includes(name)) return provider.get(ctx.user, info, name);
      return ctx.dead.get(node.id)?.find((p) => p.name === name)?.value;
  }
}

export type PropRequest = { kind: 'allprop' } | { kind: 'propname' } | { kind: 'prop'; names: string[] };

/** One `d:response` element, built by concatenation (listings of 10,000 nodes stay cheap). */
export function renderResponse(href: string, info: FileInfo, request: PropRequest, ctx: PropContext, minimal: boolean): string {
  return renderEncoded(encodeHrefPath(href), info, request, ctx, minimal);
}

/** `renderResponse` with an href already encoded (listings encode the folder's part once). */
export function renderEncoded(encodedHref: string, info: FileInfo, request: PropRequest, ctx: PropContext, minimal: boolean): string {
  let found = '';
  let missing = '';
  if (request.kind === 'propname') {
    const names = [...ALLPROP, ...(ctx.dead.get(info.node.id) ?? []).map((p) => p.name)];
    for (const name of names) found += propTags(name).empty;
  } else {
    const names = request.kind === 'allprop' ? ALLPROP : request.names;
    for (const name of names) {
      const value = liveProperty(name, info, ctx);
      const tags = propTags(name);
      if (value === undefined) missing += tags.empty;
      else found += value === '' ? tags.empty : tags.open + value + tags.close;
    }
    if (request.kind === 'allprop') {
      for (const prop of ctx.dead.get(info.node.id) ?? []) {
        if (prop.name === PROP.favorite) continue;
        const tags = propTags(prop.name);
        found += prop.value === '' ? tags.empty : tags.open + prop.value + tags.close;
      }
    }
  }
  let out = `<d:response><d:href>${encodedHref}</d:href>`;
  if (found) out += `<d:propstat><d:prop>${found}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>`;
  if (missing && !minimal) out += `<d:propstat><d:prop>${missing}</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>`;
  if (!found && (!missing || minimal)) out += '<d:propstat><d:prop/><d:status>HTTP/1.1 200 OK</d:status></d:propstat>';
  return `${out}</d:response>`;
}
