import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errors } from '../errors.ts';
import { ocsMounts, registerOcs, type OcsContext, type OcsRouter } from '../ocs/router.ts';
import type { CloudServices } from '../services.ts';
import type { TermsRow } from './repository.ts';
import { TOS_APP } from './service.ts';

const present = (t: TermsRow) => ({ id: t.id, countryCode: '--', languageCode: t.language_code, body: t.body, renderedBody: t.body });

const NewTerms = z.object({ languageCode: z.string().trim().regex(/^[a-z]{2}(_[A-Z]{2})?$|^--$/).default('en'), body: z.string().trim().min(1).max(100_000) });
const TermId = z.coerce.number().int().positive();

async function requireEnabled(ctx: OcsContext): Promise<void> {
  if (!(await ctx.services.settings.isAppEnabled(TOS_APP))) throw errors.app_not_found({ id: TOS_APP });
}

function define(router: OcsRouter): void {
  // Public, as in the real app: the login page shows the terms too. `hasSigned` only for a signed-in caller.
  router.public('GET', '/terms', async (ctx) => {
    await requireEnabled(ctx);
    const terms = (await ctx.services.terms.list()).map(present);
    const hasSigned = ctx.auth ? await ctx.services.terms.hasSigned(ctx.auth.user.id) : false;
    return { terms, hasSigned, languages: Object.fromEntries(terms.map((t) => [t.languageCode, t.languageCode])) };
  });

  router.admin('POST', '/terms', async (ctx) => {
    await requireEnabled(ctx);
    const input = NewTerms.safeParse({ languageCode: ctx.param('languageCode') ?? undefined, body: ctx.param('body') });
    if (!input.success) throw errors.invalid_input({ field: 'body' }, 'The terms need a text (and a language code like "en" or "de")');
    return present(await ctx.services.terms.save(input.data.languageCode, input.data.body));
  });

  router.admin('DELETE', '/terms/:id', async (ctx) => {
    await requireEnabled(ctx);
    const id = TermId.safeParse(ctx.params.id);
    if (!id.success) throw errors.tos_terms_not_found();
    await ctx.services.terms.delete(id.data);
    return [];
  });

  router.user('POST', '/sign', async (ctx) => {
    await requireEnabled(ctx);
    const id = TermId.safeParse(ctx.param('termId'));
    if (!id.success) throw errors.tos_terms_not_found();
    await ctx.services.terms.sign(ctx.auth.user.id, id.data);
    return [];
  });

  router.admin('DELETE', '/sign', async (ctx) => {
    await requireEnabled(ctx);
    await ctx.services.terms.resetSignatures();
    return [];
  });
}

/** The terms_of_service app's OCS API (`/ocs/v{1,2}.php/apps/terms_of_service/…`). */
export async function termsOfServiceRoutes(app: FastifyInstance, services: CloudServices): Promise<void> {
  await registerOcs(app, services, ocsMounts('/apps/terms_of_service'), define);
}
