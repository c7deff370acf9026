import type { Element } from '@xmldom/xmldom';
import { errors } from '../errors.ts';
import type { DavPropertyProvider, FileInfo, FileUser } from '../files/types.ts';
import { NS, clark, elementChildren, escapeXml, isElement, textOf } from '../dav/xml.ts';
import { inheritedRules, mappingKey } from './acl.ts';
import type { NewRule } from './repository.ts';
import { folderAccessOf, GroupFoldersService, type FolderAccess } from './service.ts';

const NC = (local: string) => clark(NS.nc, local);

export const ACL_PROPS = {
  aclList: NC('acl-list'),
  inheritedAclList: NC('inherited-acl-list'),
  aclEnabled: NC('acl-enabled'),
  aclCanManage: NC('acl-can-manage'),
  groupFolderId: NC('group-folder-id'),
  aclBasePermission: NC('acl-base-permission'),
} as const;

const MAPPING_TYPES = new Set(['user', 'group', 'circle']);

interface ShownRule {
  mappingType: string;
  mappingId: string;
  mask: number;
  permissions: number;
}

/** `nc:acl` elements; rules of principals that do not exist are left out. */
function renderRules(access: FolderAccess, rules: ShownRule[]): string {
  let out = '';
  for (const rule of rules) {
    const displayName = access.principals ? access.principals.get(mappingKey(rule)) : rule.mappingId;
    if (displayName === undefined) continue;
    out +=
      `<nc:acl><nc:acl-mapping-type>${escapeXml(rule.mappingType)}</nc:acl-mapping-type>` +
      `<nc:acl-mapping-id>${escapeXml(rule.mappingId)}</nc:acl-mapping-id>` +
      `<nc:acl-mapping-display-name>${escapeXml(displayName)}</nc:acl-mapping-display-name>` +
      `<nc:acl-mask>${rule.mask}</nc:acl-mask><nc:acl-permissions>${rule.permissions}</nc:acl-permissions></nc:acl>`;
  }
  return out;
}

/** Parse the `nc:acl-list` value of a PROPPATCH; every `nc:acl` needs type, id, mask and permissions. */
export function parseAclList(value: Element | undefined): NewRule[] {
  if (!value) return [];
  const rules = new Map<string, NewRule>();
  for (const acl of elementChildren(value)) {
    if (!isElement(acl, NS.nc, 'acl')) continue;
    const field = (local: string) => {
      const el = elementChildren(acl).find((c) => isElement(c, NS.nc, local));
      return el ? textOf(el) : undefined;
    };
    const mappingType = field('acl-mapping-type');
    const mappingId = field('acl-mapping-id');
    const mask = Number(field('acl-mask'));
    const permissions = Number(field('acl-permissions'));
    if (!mappingType || !MAPPING_TYPES.has(mappingType) || !mappingId || !Number.isInteger(mask) || !Number.isInteger(permissions) || mask < 0 || permissions < 0) {
      throw errors.acl_invalid();
    }
    rules.set(`${mappingType}:${mappingId}`, { mappingType, mappingId, mask: mask & 31, permissions: permissions & 31 });
  }
  return [...rules.values()];
}

/** The groupfolders app's WebDAV properties (§4.4), computed from the rules `mountsFor` loaded. */
export function aclPropertyProvider(service: GroupFoldersService): DavPropertyProvider {
  return {
    names: Object.values(ACL_PROPS),

    async prepare(_user: FileUser, infos: FileInfo[]) {
      const pending = new Set<FolderAccess>();
      for (const info of infos) {
        const access = folderAccessOf(info.mount);
        if (access && !access.principals) pending.add(access);
      }
      for (const access of pending) {
        const ids = GroupFoldersService.principalIds(access.rules);
        const found = await service.repository.principals(ids.users, ids.groups);
        const principals = new Map<string, string>();
        for (const [id, name] of found.users) principals.set(`user:${id}`, name);
        for (const [id, name] of found.groups) principals.set(`group:${id}`, name);
        access.principals = principals;
      }
    },

    get(_user, info, name) {
      const access = folderAccessOf(info.mount);
      if (!access) return undefined;
      const path = info.node.path;
      const visible = (rule: ShownRule) => access.canManage || access.appliesToUser(rule);
      switch (name) {
        case ACL_PROPS.aclList: {
          const rules = access.rulesAt(path);
          return rules.length === 0 ? undefined : renderRules(access, rules.filter(visible));
        }
        case ACL_PROPS.inheritedAclList:
          return renderRules(access, inheritedRules((p) => access.rulesAt(p), path, access.basePermission).filter(visible));
        case ACL_PROPS.aclEnabled:
          return access.folder.acl === 1 ? '1' : '0';
        case ACL_PROPS.aclCanManage:
          return access.canManage ? '1' : '0';
        case ACL_PROPS.groupFolderId:
          return String(access.folder.id);
        case ACL_PROPS.aclBasePermission:
          return String(access.basePermission);
        default:
          return undefined;
      }
    },

    async set(_user, info, name, value) {
      const access = folderAccessOf(info.mount);
      if (!access || name !== ACL_PROPS.aclList || !access.canManage) return 403;
      await service.setRules(access, info, parseAclList(value));
      return 200;
    },
  };
}
