import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../errors.ts';
import type { OcsFormat } from '../ocs/envelope.ts';
import { registerOcs, type OcsContext, type OcsRouter } from '../ocs/router.ts';
import type { CloudServices } from '../services.ts';
import type { FolderDetails } from './service.ts';

/** Nextcloud's folder object; XML renders `groups` as `<element group_id=… permissions=…/>` items. */
export function presentFolder(details: FolderDetails, format: OcsFormat) {
  const { folder, groups } = details;
  const base = {
    id: folder.id,
    mount_point: folder.mount_point,
    quota: folder.quota,
    acl: folder.acl === 1,
    acl_default_no_permission: folder.acl_default_no_permission === 1,
    size: details.size,
  };
  if (format === 'xml') {
    return {
      ...base,
      groups: groups.map((g) => ({ '@group_id': g.group_id, '@permissions': g.permissions, '@display-name': g.display_name, '@type': 'group' })),
      manage: details.managers,
      team_circle_id: null,
    };
  }
  // PHP's empty arrays are `[]` in JSON.
  return {
    ...base,
    groups: groups.length ? Object.fromEntries(groups.map((g) => [g.group_id, g.permissions])) : [],
    group_details: groups.length
      ? Object.fromEntries(groups.map((g) => [g.group_id, { displayName: g.display_name, permissions: g.permissions, type: 'group' }]))
      : [],
    manage: details.managers,
    team_circle_id: null,
  };
}

const folderId = z.object({ id: z.string().regex(/^\d+$/).transform(Number) });
const text = z.union([z.string(), z.number()]).transform(String);
const flag = z.union([z.boolean(), z.number(), z.string()]).transform((v) => v === true || v === 1 || v === '1' || v === 'true');
const integer = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw errors.invalid_input({ issues: result.error.issues.map((i) => i.message) });
  return result.data;
}

function idOf(ctx: OcsContext): number {
  const result = folderId.safeParse(ctx.params);
  if (!result.success) throw errors.groupfolder_not_found();
  return result.data.id;
}

/** Non-admins see folders of their groups only, and only those groups. */
async function viewerOf(ctx: OcsContext & { auth: { user: { id: string } } }, applicable: boolean) {
  const userId = ctx.auth.user.id;
  if (!applicable && (await ctx.services.users.isAdmin(userId))) return undefined;
  return { userId, groups: await ctx.services.users.groupsOf(userId) };
}

const ORDER: Record<string, (d: FolderDetails) => string | number> = {
  mount_point: (d) => d.folder.mount_point.toLowerCase(),
  quota: (d) => d.folder.quota,
  groups: (d) => d.groups.map((g) => g.group_id).join(','),
  acl: (d) => d.folder.acl,
};

function folderRoutes(router: OcsRouter): void {
  const updated = (ctx: OcsContext, details: FolderDetails) => ({ success: true, folder: presentFolder(details, ctx.format) });

  router.user('GET', '/folders', async (ctx) => {
    const query = parse(
      z.object({
        applicable: flag.optional(),
        offset: integer.optional(),
        limit: integer.optional(),
        orderBy: z.enum(['mount_point', 'quota', 'groups', 'acl']).optional(),
        order: z.enum(['asc', 'desc']).optional(),
      }),
      ctx.query,
    );
    let list = await ctx.services.groupFolders.list(await viewerOf(ctx, query.applicable ?? false));
    const key = ORDER[query.orderBy ?? 'mount_point']!;
    list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.folder.id - b.folder.id) * (query.order === 'desc' ? -1 : 1));
    list = list.slice(query.offset ?? 0, query.limit ? (query.offset ?? 0) + query.limit : undefined);
    if (list.length === 0) return [];
    return Object.fromEntries(list.map((d) => [String(d.folder.id), presentFolder(d, ctx.format)]));
  });

  router.user('GET', '/folders/:id', async (ctx) => presentFolder(await ctx.services.groupFolders.get(idOf(ctx), await viewerOf(ctx, false)), ctx.format));

  router.admin('POST', '/folders', async (ctx) => {
    const body = parse(z.object({ mountpoint: text, acl_default_no_permission: flag.optional() }), { mountpoint: ctx.param('mountpoint'), acl_default_no_permission: ctx.param('acl_default_no_permission') });
    return presentFolder(await ctx.services.groupFolders.create(body.mountpoint, { aclDefaultNoPermission: body.acl_default_no_permission }), ctx.format);
  });

  router.admin('DELETE', '/folders/:id', async (ctx) => {
    await ctx.services.groupFolders.delete(idOf(ctx));
    return { success: true };
  });

  const rename = (param: string) => async (ctx: OcsContext) =>
    updated(ctx, await ctx.services.groupFolders.rename(idOf(ctx), parse(text, ctx.param(param))));
  router.admin('PUT', '/folders/:id', rename('mountPoint'));
  router.admin('POST', '/folders/:id/mountpoint', rename('mountpoint'));

  router.admin('POST', '/folders/:id/groups', async (ctx) => updated(ctx, await ctx.services.groupFolders.addGroup(idOf(ctx), parse(text, ctx.param('group')))));

  router.admin('DELETE', '/folders/:id/groups/:group', async (ctx) =>
    updated(ctx, await ctx.services.groupFolders.removeGroup(idOf(ctx), ctx.params.group!)),
  );

  router.admin('POST', '/folders/:id/groups/:group', async (ctx) =>
    updated(ctx, await ctx.services.groupFolders.setGroupPermissions(idOf(ctx), ctx.params.group!, parse(integer, ctx.param('permissions')))),
  );

  router.admin('POST', '/folders/:id/quota', async (ctx) => updated(ctx, await ctx.services.groupFolders.setQuota(idOf(ctx), parse(integer, ctx.param('quota')))));

  router.admin('POST', '/folders/:id/acl', async (ctx) => updated(ctx, await ctx.services.groupFolders.setAcl(idOf(ctx), parse(flag, ctx.param('acl')))));

  router.admin('POST', '/folders/:id/manageACL', async (ctx) => {
    const body = parse(z.object({ mappingType: z.enum(['user', 'group', 'circle']), mappingId: text, manageAcl: flag }), {
      mappingType: ctx.param('mappingType'),
      mappingId: ctx.param('mappingId'),
      manageAcl: ctx.param('manageAcl'),
    });
    return updated(ctx, await ctx.services.groupFolders.setManager(idOf(ctx), body.mappingType, body.mappingId, body.manageAcl));
  });

  router.admin('GET', '/folders/:id/search', async (ctx) => ctx.services.groupFolders.search(idOf(ctx), String(ctx.param('search') ?? '')));
}

/** The groupfolders REST API: OCS v1 envelope on front-page routes (with and without `/index.php`). */
export async function groupFolderRoutes(app: FastifyInstance, services: CloudServices): Promise<void> {
  await registerOcs(
    app,
    services,
    [
      { prefix: '/index.php/apps/groupfolders', version: 1 },
      { prefix: '/apps/groupfolders', version: 1 },
    ],
    folderRoutes,
  );
}
