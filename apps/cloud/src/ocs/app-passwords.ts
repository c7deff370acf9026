import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isAppError } from '@tandem/core';
import type { AuthContext } from '../auth/service.ts';
import type { AuthTokenRow } from '../auth/repository.ts';
import { errors } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import type { CloudServices } from '../services.ts';
import { OcsError, type OcsRouter } from './router.ts';

/** Nextcloud's token type 1: a permanent app password (0 would be a browser session). */
const PERMANENT_TOKEN = 1;

/** App passwords over OCS, as desktop and mobile clients use them (spec §2.7). */
export function appPasswordOcs(router: OcsRouter): void {
  // Name = User-Agent, so the user recognises the device in their settings.
  router.user('GET', '/core/getapppassword', async ({ services, auth, request }) => {
    try {
      const name = String(request.headers['user-agent'] ?? '') || 'App password';
      return { apppassword: (await services.auth.createAppPassword(auth, name)).password };
    } catch (error) {
      if (isAppError(error) && error.code === 'app_password_forbidden' && auth.method === 'app_password') {
        throw new OcsError(403, 'You cannot request an new apppassword with an apppassword');
      }
      throw error;
    }
  });

  router.user('DELETE', '/core/apppassword', async ({ services, auth }) => {
    if (auth.method !== 'app_password' || auth.tokenId === undefined) throw errors.app_password_required();
    await services.auth.revokeToken(auth.user.id, auth.tokenId);
  });

  router.user('POST', '/core/apppassword/rotate', async ({ services, auth }) => ({
    apppassword: await services.auth.rotateAppPassword(auth),
  }));
}

function presentToken(token: Pick<AuthTokenRow, 'id' | 'name' | 'created_at' | 'last_used_at'>, context: AuthContext) {
  return {
    id: token.id,
    name: token.name,
    // Seconds, as Nextcloud's personal settings expect.
    lastActivity: Math.floor((token.last_used_at ?? token.created_at) / 1000),
    type: PERMANENT_TOKEN,
    canDelete: true,
    canRename: false,
    current: context.tokenId === token.id,
  };
}

const NewToken = z.object({ name: z.string().trim().min(1).max(120) });
const TokenId = z.object({ id: z.coerce.number().int().positive() });

/** JSON routes of the personal settings page ("Devices & sessions"); the new password is shown once. */
export function appPasswordWebRoutes(app: FastifyInstance, services: CloudServices): void {
  const base = '/index.php/settings/personal/authtokens';

  app.get(base, async (request) => {
    const context = await requireUser(services.auth, request);
    return (await services.auth.listAppPasswords(context.user.id)).map((t) => presentToken(t, context));
  });

  app.post(base, async (request) => {
    const context = await requireUser(services.auth, request);
    const body = NewToken.safeParse(request.body);
    if (!body.success) throw errors.invalid_input({ field: 'name' }, 'Give the app password a name (1 to 120 characters)');
    const created = await services.auth.createAppPassword(context, body.data.name);
    const now = Date.now();
    return {
      token: created.password,
      loginName: context.loginName,
      deviceToken: presentToken({ id: created.id, name: body.data.name, created_at: now, last_used_at: null }, context),
    };
  });

  app.delete(`${base}/:id`, async (request) => {
    const context = await requireUser(services.auth, request);
    const params = TokenId.safeParse(request.params);
    if (!params.success) throw errors.not_found();
    await services.auth.revokeToken(context.user.id, params.data.id);
    return [];
  });
}
