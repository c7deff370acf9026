import { ApiError, csrfHeaders, errorFrom, messageFromBody, request } from './http.ts';

/**
 * The files of a user over Nextcloud's WebDAV (`/remote.php/dav/files/{uid}/…`) and its trash bin
 * (`/remote.php/dav/trashbin/{uid}/…`), with the browser session. Paths here are relative to the
 * user's root: `/` or `/Docs/report.pdf`.
 */
const DAV = 'DAV:';
const OC = 'http://owncloud.org/ns';
const NC = 'http://nextcloud.org/ns';

export interface DavNode {
  path: string;
  name: string;
  isDir: boolean;
  size: number;
  mtime: Date | null;
  fileId: string;
  permissions: string;
  mountType: string;
}

export interface TrashItem {
  /** The name inside the trash bin (`report.txt.d1700000000`), used to restore or purge. */
  id: string;
  name: string;
  originalLocation: string;
  deletedAt: Date | null;
  isDir: boolean;
  size: number;
}

export const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

export const joinPath = (dir: string, name: string): string => `${dir.replace(/\/+$/, '')}/${name}`;

export const parentOf = (path: string): string => {
  const parent = path.replace(/\/+$/, '').replace(/\/[^/]*$/, '');
  return parent === '' ? '/' : parent;
};

export const filesUrl = (uid: string, path: string): string =>
  `/remote.php/dav/files/${encodeURIComponent(uid)}${encodePath(path === '/' ? '' : path)}`;

const trashUrl = (uid: string, rest = ''): string => `/remote.php/dav/trashbin/${encodeURIComponent(uid)}/${rest}`;

const FILE_PROPS = `<d:propfind xmlns:d="DAV:" xmlns:oc="${OC}" xmlns:nc="${NC}"><d:prop>
<d:getlastmodified/><d:getcontentlength/><d:resourcetype/><oc:fileid/><oc:permissions/><oc:size/><nc:mount-type/>
</d:prop></d:propfind>`;

const TRASH_PROPS = `<d:propfind xmlns:d="DAV:" xmlns:oc="${OC}" xmlns:nc="${NC}"><d:prop>
<nc:trashbin-filename/><nc:trashbin-original-location/><nc:trashbin-deletion-time/><d:resourcetype/><d:getcontentlength/><oc:size/>
</d:prop></d:propfind>`;

interface RawResponse {
  href: string;
  props: Map<string, Element>;
}

/** The 200-propstat properties of every `d:response`, keyed `namespace name`. */
function parseMultistatus(xml: string): RawResponse[] {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const out: RawResponse[] = [];
  for (const response of Array.from(doc.getElementsByTagNameNS(DAV, 'response'))) {
    const href = response.getElementsByTagNameNS(DAV, 'href')[0]?.textContent ?? '';
    const props = new Map<string, Element>();
    for (const propstat of Array.from(response.getElementsByTagNameNS(DAV, 'propstat'))) {
      const status = propstat.getElementsByTagNameNS(DAV, 'status')[0]?.textContent ?? '';
      if (!/ 2\d\d /.test(`${status} `)) continue;
      const prop = propstat.getElementsByTagNameNS(DAV, 'prop')[0];
      for (const child of Array.from(prop?.children ?? [])) props.set(`${child.namespaceURI} ${child.localName}`, child);
    }
    out.push({ href, props });
  }
  return out;
}

const text = (raw: RawResponse, ns: string, name: string): string => raw.props.get(`${ns} ${name}`)?.textContent?.trim() ?? '';

const isCollection = (raw: RawResponse): boolean =>
  (raw.props.get(`${DAV} resourcetype`)?.getElementsByTagNameNS(DAV, 'collection').length ?? 0) > 0;

const decodeHref = (href: string): string => {
  const path = href.startsWith('http') ? new URL(href).pathname : href;
  return path.split('/').map((segment) => decodeURIComponent(segment)).join('/');
};

/** Nodes of a files multistatus; `path` is relative to the user's root (found after `/files/{uid}`). */
export function parseFilesMultistatus(xml: string, uid: string): DavNode[] {
  const marker = `/remote.php/dav/files/${uid}`;
  return parseMultistatus(xml).map((raw) => {
    const decoded = decodeHref(raw.href);
    const at = decoded.indexOf(marker);
    const path = (at >= 0 ? decoded.slice(at + marker.length) : decoded).replace(/\/+$/, '') || '/';
    const isDir = isCollection(raw);
    const size = Number(text(raw, OC, 'size') || text(raw, DAV, 'getcontentlength') || 0);
    const modified = text(raw, DAV, 'getlastmodified');
    return {
      path,
      name: path === '/' ? '' : path.slice(path.lastIndexOf('/') + 1),
      isDir,
      size: Number.isFinite(size) ? size : 0,
      mtime: modified ? new Date(modified) : null,
      fileId: text(raw, OC, 'fileid'),
      permissions: text(raw, OC, 'permissions'),
      mountType: text(raw, NC, 'mount-type'),
    };
  });
}

export function parseTrashMultistatus(xml: string): TrashItem[] {
  return parseMultistatus(xml)
    .map((raw) => {
      const decoded = decodeHref(raw.href).replace(/\/+$/, '');
      const id = decoded.slice(decoded.lastIndexOf('/') + 1);
      const deletion = Number(text(raw, NC, 'trashbin-deletion-time'));
      return {
        id,
        name: text(raw, NC, 'trashbin-filename') || id,
        originalLocation: text(raw, NC, 'trashbin-original-location'),
        deletedAt: deletion ? new Date(deletion * 1000) : null,
        isDir: isCollection(raw),
        size: Number(text(raw, OC, 'size') || text(raw, DAV, 'getcontentlength') || 0),
        decoded,
      };
    })
    .filter((item) => !item.decoded.endsWith('/trash'))
    .map(({ decoded: _decoded, ...item }) => item);
}

async function propfind(url: string, body: string, depth: '0' | '1'): Promise<string> {
  const response = await request('PROPFIND', url, { headers: { depth, 'content-type': 'application/xml; charset=utf-8' }, body });
  return response.text();
}

/** The folder itself (first) and its children, folders first, then by name. */
export async function listFolder(uid: string, path: string): Promise<{ folder: DavNode; children: DavNode[] }> {
  const nodes = parseFilesMultistatus(await propfind(`${filesUrl(uid, path)}/`, FILE_PROPS, '1'), uid);
  const self = path.replace(/\/+$/, '') || '/';
  const folder = nodes.find((node) => node.path === self) ?? nodes[0];
  if (!folder) throw new ApiError('The folder could not be read', 500);
  const children = nodes
    .filter((node) => node !== folder)
    .sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.name.localeCompare(b.name));
  return { folder, children };
}

export async function stat(uid: string, path: string): Promise<DavNode | undefined> {
  return parseFilesMultistatus(await propfind(filesUrl(uid, path), FILE_PROPS, '0'), uid)[0];
}

export async function createFolder(uid: string, path: string): Promise<void> {
  await request('MKCOL', filesUrl(uid, path));
}

/** Rename or move; `Overwrite: F` so an existing target is reported instead of replaced. */
export async function move(uid: string, from: string, to: string): Promise<void> {
  await request('MOVE', filesUrl(uid, from), {
    headers: { destination: new URL(filesUrl(uid, to), window.location.origin).href, overwrite: 'F' },
  });
}

/** Deleting moves the node to the trash bin. */
export async function remove(uid: string, path: string): Promise<void> {
  await request('DELETE', filesUrl(uid, path));
}

/** Upload with progress through XMLHttpRequest (fetch cannot report upload progress). */
export function upload(uid: string, path: string, file: File, onProgress: (loaded: number, total: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', filesUrl(uid, path));
    for (const [name, value] of Object.entries(csrfHeaders('PUT'))) xhr.setRequestHeader(name, value);
    if (file.lastModified) xhr.setRequestHeader('X-OC-Mtime', String(Math.floor(file.lastModified / 1000)));
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      const message = messageFromBody(xhr.responseText, xhr.getResponseHeader('content-type') ?? '', xhr.status, xhr.statusText);
      reject(new ApiError(message, xhr.status));
    };
    xhr.onerror = () => reject(new ApiError(`The upload of ${file.name} failed: the connection was interrupted`, 0));
    xhr.send(file);
  });
}

export async function listTrash(uid: string): Promise<TrashItem[]> {
  const items = parseTrashMultistatus(await propfind(trashUrl(uid, 'trash/'), TRASH_PROPS, '1'));
  return items.sort((a, b) => (b.deletedAt?.getTime() ?? 0) - (a.deletedAt?.getTime() ?? 0));
}

/**
 * Restore to where it was. Nextcloud ignores the name under `restore/`; ours takes it as the restored
 * name, so send the original file name, which is right for both.
 */
export async function restore(uid: string, item: TrashItem): Promise<void> {
  await request('MOVE', trashUrl(uid, `trash/${encodeURIComponent(item.id)}`), {
    headers: { destination: new URL(trashUrl(uid, `restore/${encodeURIComponent(item.name)}`), window.location.origin).href },
  });
}

export async function purge(uid: string, id: string): Promise<void> {
  await request('DELETE', trashUrl(uid, `trash/${encodeURIComponent(id)}`));
}

export async function emptyTrash(uid: string): Promise<void> {
  await request('DELETE', trashUrl(uid, 'trash/'));
}

/** Find a node by `oc:fileid` with a WebDAV SEARCH over the user's files. */
export async function findByFileId(uid: string, fileId: string): Promise<DavNode | undefined> {
  const body = `<?xml version="1.0"?>
<d:searchrequest xmlns:d="DAV:" xmlns:oc="${OC}" xmlns:nc="${NC}"><d:basicsearch>
<d:select><d:prop><d:getlastmodified/><d:resourcetype/><oc:fileid/><oc:permissions/><oc:size/></d:prop></d:select>
<d:from><d:scope><d:href>/files/${encodeURIComponent(uid)}</d:href><d:depth>infinity</d:depth></d:scope></d:from>
<d:where><d:eq><d:prop><oc:fileid/></d:prop><d:literal>${Number(fileId)}</d:literal></d:eq></d:where>
</d:basicsearch></d:searchrequest>`;
  const response = await fetch('/remote.php/dav/', {
    method: 'SEARCH',
    credentials: 'same-origin',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body,
  });
  const wanted = String(Number(fileId));
  if (response.ok) return parseFilesMultistatus(await response.text(), uid).find((node) => node.fileId === wanted);
  if (response.status !== 501 && response.status !== 405) throw await errorFrom(response);
  // A server without SEARCH: walk the whole tree once.
  const tree = await request('PROPFIND', `${filesUrl(uid, '/')}/`, { headers: { depth: 'infinity', 'content-type': 'application/xml; charset=utf-8' }, body: FILE_PROPS });
  return parseFilesMultistatus(await tree.text(), uid).find((node) => node.fileId === wanted);
}

// ACL rules of group folders (`nc:acl-list`, §4.4), read and written on the node's files path.

export interface AclRule {
  mappingType: 'user' | 'group' | 'circle';
  mappingId: string;
  displayName?: string;
  mask: number;
  permissions: number;
}

export interface AclState {
  rules: AclRule[];
  inherited: AclRule[];
  enabled: boolean;
  canManage: boolean;
}

function parseRules(element: Element | undefined): AclRule[] {
  if (!element) return [];
  return Array.from(element.getElementsByTagNameNS(NC, 'acl')).map((acl) => {
    const field = (name: string) => acl.getElementsByTagNameNS(NC, name)[0]?.textContent?.trim() ?? '';
    return {
      mappingType: field('acl-mapping-type') as AclRule['mappingType'],
      mappingId: field('acl-mapping-id'),
      displayName: field('acl-mapping-display-name') || undefined,
      mask: Number(field('acl-mask')) || 0,
      permissions: Number(field('acl-permissions')) || 0,
    };
  });
}

export async function readAcl(uid: string, path: string): Promise<AclState> {
  const body = `<d:propfind xmlns:d="DAV:" xmlns:nc="${NC}"><d:prop>
<nc:acl-list/><nc:inherited-acl-list/><nc:acl-enabled/><nc:acl-can-manage/></d:prop></d:propfind>`;
  const raw = parseMultistatus(await propfind(filesUrl(uid, path), body, '0'))[0];
  if (!raw) throw new ApiError('The folder could not be read', 500);
  return {
    rules: parseRules(raw.props.get(`${NC} acl-list`)),
    inherited: parseRules(raw.props.get(`${NC} inherited-acl-list`)),
    enabled: text(raw, NC, 'acl-enabled') === '1',
    canManage: text(raw, NC, 'acl-can-manage') === '1',
  };
}

const escapeXml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Replace the full rule set of the path (an empty list clears it). */
export async function writeAcl(uid: string, path: string, rules: AclRule[]): Promise<void> {
  const acls = rules
    .map(
      (rule) =>
        `<nc:acl><nc:acl-mapping-type>${rule.mappingType}</nc:acl-mapping-type><nc:acl-mapping-id>${escapeXml(rule.mappingId)}</nc:acl-mapping-id>` +
        `<nc:acl-mask>${rule.mask}</nc:acl-mask><nc:acl-permissions>${rule.permissions & rule.mask}</nc:acl-permissions></nc:acl>`,
    )
    .join('');
  const body = `<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:nc="${NC}"><d:set><d:prop><nc:acl-list>${acls}</nc:acl-list></d:prop></d:set></d:propertyupdate>`;
  const response = await request('PROPPATCH', filesUrl(uid, path), { headers: { 'content-type': 'application/xml; charset=utf-8' }, body });
  // PROPPATCH answers 207 even when a property failed; look at the propstat status.
  const xml = await response.text();
  const status = new DOMParser().parseFromString(xml, 'application/xml').getElementsByTagNameNS(DAV, 'status')[0]?.textContent ?? '';
  if (status && !/ 2\d\d /.test(`${status} `)) throw new ApiError(`The rules were not saved (${status.replace(/^HTTP\/1\.1 /, '')})`, 400);
}
