import { z } from 'zod';
import { isAppError } from '@tandem/core';
import { errors } from '../errors.ts';
import { OCS_NOT_FOUND } from '../ocs/envelope.ts';
import { OcsError, type OcsContext, type OcsRouter } from '../ocs/router.ts';
import { presentUser } from './presenter.ts';

/** Per operation: catalogue code → OCS status code (and, where Nextcloud sends none, an empty message). */
type CodeMap = Record<string, number | [number, string]>;

/**
 * Run a service call and turn catalogue errors into the provisioning API's numbered codes
 * (spec §2.6). Codes not in the map fall back to `fallback` (Nextcloud's "unknown error"), or
 * keep their own HTTP-like code when there is no fallback.
 */
async function coded<T>(codes: CodeMap, fallback: number | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    // Authentication and "admins only" refusals keep their meaning (997 / 403) in every operation.
    if (!isAppError(error) || error.code === 'admin_required' || error.status === 401 || error.status === 429) throw error;
    const mapped = codes[error.code] ?? fallback;
    if (mapped === undefined) throw error;
    const [code, message] = Array.isArray(mapped) ? mapped : [mapped, error.message];
    throw new OcsError(code, message);
  }
}

const text = z.union([z.string(), z.number()]).transform(String);
const list = z.union([z.array(text), text.transform((v) => [v])]).default([]);
const count = z.coerce.number().int().min(0).optional();
const ListQuery = z.object({ search: z.string().optional(), limit: count, offset: count });
const NewUser = z.object({
  userid: text.pipe(z.string().min(1)),
  password: text.optional(),
  displayName: text.optional(),
  displayname: text.optional(),
  email: text.optional(),
  groups: list,
  subadmin: list,
  quota: text.optional(),
  language: text.optional(),
});
const Edit = z.object({ key: text.pipe(z.string().min(1)), value: text.default('') });

function parse<T extends z.ZodType>(schema: T, input: unknown, code = 101): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new OcsError(code, `Invalid input: ${result.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`);
  return result.data;
}

function listQuery(ctx: OcsContext) {
  return parse(ListQuery, ctx.query);
}

const groupid = (ctx: OcsContext) => String(ctx.param('groupid') ?? '');

/** The provisioning API (users, groups, sub-admins) and the apps API, as Nextcloud's provisioning_api. */
export function provisioningOcs(router: OcsRouter): void {
  // --- users
  router.user('GET', '/cloud/users', async (ctx) => ({
    users: await ctx.services.provisioning.listUsers(ctx.auth.user.id, listQuery(ctx)),
  }));

  router.user('GET', '/cloud/users/details', async (ctx) => {
    const ids = await ctx.services.provisioning.listUsers(ctx.auth.user.id, listQuery(ctx));
    const users: Record<string, unknown> = {};
    for (const id of ids) {
      const user = await ctx.services.users.find(id);
      if (user) users[id] = presentUser(await ctx.services.provisioning.describe(user), id === ctx.auth.user.id);
    }
    return { users };
  });

  router.user('POST', '/cloud/users', async ({ services, auth, body }) => {
    const input = parse(NewUser, body);
    const user = await coded(
      {
        invalid_user_id: 101,
        invalid_input: 101,
        invalid_quota: 101,
        invalid_email: 101,
        user_exists: 102,
        group_not_found: 104,
        forbidden: 105,
        group_required: 106,
        password_too_short: 107,
        password_or_email_required: 108,
        invitation_unavailable: 109,
      },
      103,
      () => services.provisioning.createUser(auth.user.id, { ...input, displayName: input.displayName ?? input.displayname }),
    );
    return { id: user.id };
  });

  router.user('GET', '/cloud/users/:userid', async ({ services, auth, params }) => {
    const user = await services.provisioning.visibleUser(auth.user.id, params.userid!);
    return presentUser(await services.provisioning.describe(user), user.id === auth.user.id);
  });

  router.user('PUT', '/cloud/users/:userid', async ({ services, auth, params, body }) => {
    const { key, value } = parse(Edit, body, 102);
    await coded(
      { user_not_found: 101, invalid_input: 102, invalid_quota: 102, invalid_email: 102, password_too_short: 102, field_not_editable: 103 },
      103,
      () => services.provisioning.editUser(auth.user.id, params.userid!, key, value),
    );
  });

  for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
    router.user('PUT', `/cloud/users/:userid/${action}`, async ({ services, auth, params }) => {
      await coded({}, 101, () => services.provisioning.setEnabled(auth.user.id, params.userid!, enabled));
    });
  }

  router.user('DELETE', '/cloud/users/:userid', async ({ services, auth, params }) => {
    await coded({}, 101, () => services.provisioning.deleteUser(auth.user.id, params.userid!));
  });

  router.user('GET', '/cloud/users/:userid/groups', async ({ services, auth, params }) => ({
    groups: await services.provisioning.userGroups(auth.user.id, params.userid!),
  }));

  router.user('POST', '/cloud/users/:userid/groups', async (ctx) => {
    await coded(
      { invalid_input: [101, ''], group_not_found: [102, ''], user_not_found: [103, ''], forbidden: [104, ''] },
      105,
      () => ctx.services.provisioning.addToGroup(ctx.auth.user.id, ctx.params.userid!, groupid(ctx)),
    );
  });

  // OpenProject sends `groupid` in the query string of the DELETE.
  router.user('DELETE', '/cloud/users/:userid/groups', async (ctx) => {
    await coded(
      { invalid_input: [101, ''], group_not_found: [102, ''], user_not_found: [103, ''], forbidden: [104, ''] },
      105,
      () => ctx.services.provisioning.removeFromGroup(ctx.auth.user.id, ctx.params.userid!, groupid(ctx)),
    );
  });

  router.user('GET', '/cloud/users/:userid/subadmins', async ({ services, auth, params }) =>
    coded({ user_not_found: [101, 'User does not exist'] }, 102, () => services.provisioning.subadminGroups(auth.user.id, params.userid!)),
  );

  router.admin('POST', '/cloud/users/:userid/subadmins', async (ctx) => {
    await coded({ user_not_found: 101, group_not_found: 102 }, 103, () =>
      ctx.services.provisioning.setSubadmin(ctx.params.userid!, groupid(ctx), true),
    );
  });

  router.admin('DELETE', '/cloud/users/:userid/subadmins', async (ctx) => {
    await coded({ user_not_found: 101, group_not_found: 102, not_subadmin: 102 }, 103, () =>
      ctx.services.provisioning.setSubadmin(ctx.params.userid!, groupid(ctx), false),
    );
  });

  // --- groups
  router.user('GET', '/cloud/groups', async (ctx) => ({
    groups: (await ctx.services.provisioning.listGroups(ctx.auth.user.id, listQuery(ctx))).map((g) => g.id),
  }));

  router.user('GET', '/cloud/groups/details', async (ctx) => {
    const groups = await ctx.services.provisioning.listGroups(ctx.auth.user.id, listQuery(ctx));
    const admin = await ctx.services.provisioning.isAdmin(ctx.auth.user.id);
    return {
      groups: await Promise.all(
        groups.map(async (g) => ({
          id: g.id,
          displayname: g.display_name,
          usercount: (await ctx.services.users.members(g.id)).length,
          disabled: 0,
          canAdd: admin,
          canRemove: admin,
        })),
      ),
    };
  });

  router.admin('POST', '/cloud/groups', async (ctx) => {
    const gid = groupid(ctx);
    const displayname = ctx.param('displayname');
    await coded({ invalid_input: 101, group_exists: 102 }, 103, async () => {
      if (!gid.trim()) throw errors.invalid_input({ field: 'groupid' }, 'Invalid group name');
      await ctx.services.users.createGroup(gid, typeof displayname === 'string' ? displayname : undefined);
    });
  });

  // `groups/{id}` is Nextcloud's deprecated alias of `groups/{id}/users`; OpenProject uses it.
  for (const suffix of ['', '/users']) {
    router.user('GET', `/cloud/groups/:groupid${suffix}`, async ({ services, auth, params }) => ({
      users: await services.provisioning.groupMembers(auth.user.id, params.groupid!),
    }));
  }

  router.user('GET', '/cloud/groups/:groupid/users/details', async ({ services, auth, params }) => {
    const users: Record<string, unknown> = {};
    for (const id of await services.provisioning.groupMembers(auth.user.id, params.groupid!)) {
      const user = await services.users.find(id);
      if (user) users[id] = presentUser(await services.provisioning.describe(user), id === auth.user.id);
    }
    return { users };
  });

  router.admin('GET', '/cloud/groups/:groupid/subadmins', async ({ services, params }) =>
    coded({ group_not_found: [101, 'Group does not exist'] }, 102, () => services.provisioning.groupSubadmins(params.groupid!)),
  );

  router.admin('PUT', '/cloud/groups/:groupid', async ({ services, params, body }) => {
    const { key, value } = parse(Edit, body, 101);
    if (key !== 'displayname') throw new OcsError(101, 'Only the display name of a group can be changed');
    await coded({ group_not_found: 404 }, 101, () => services.users.renameGroup(params.groupid!, value));
  });

  router.admin('DELETE', '/cloud/groups/:groupid', async ({ services, params }) => {
    await coded({ group_not_found: 101 }, 102, () => services.users.deleteGroup(params.groupid!));
  });

  // --- apps (the admin UI's app switches)
  router.admin('GET', '/cloud/apps', async ({ services, query }) => {
    const filter = query.filter;
    if (filter !== undefined && filter !== 'enabled' && filter !== 'disabled') throw new OcsError(101, '');
    const apps = await services.provisioning.listApps();
    return { apps: apps.filter((a) => filter === undefined || a.enabled === (filter === 'enabled')).map((a) => a.id) };
  });

  router.admin('GET', '/cloud/apps/:appid', async ({ services, params }) =>
    coded({ app_not_found: OCS_NOT_FOUND }, undefined, () => services.provisioning.appInfo(params.appid!)),
  );

  for (const [method, enabled] of [['POST', true], ['DELETE', false]] as const) {
    router.admin(method, '/cloud/apps/:appid', async ({ services, params }) => {
      await coded({ app_not_found: OCS_NOT_FOUND }, undefined, () => services.provisioning.setAppEnabled(params.appid!, enabled));
    });
  }
}
