import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { API_V3, collection } from '../api/hal.ts';
import { idParam, jsonBody, linkHref, query } from '../api/http.ts';
import { parseFilters } from '../api/query.ts';
import { constraintViolation, errors } from '../errors.ts';
import { publicBaseUrl, requestAuth, requireUser } from '../http/request-auth.ts';
import { randomUUID } from 'node:crypto';
import type { ProjectsServices } from '../services.ts';
import { displayName } from '../users/service.ts';
import { hostUrl, normaliseHost } from './nextcloud.ts';
import { oauthClientResource, projectStorageResource, storageResource, STORAGE_TYPE_URN } from './presenter.ts';
import type { ProjectStorageRow } from './repository.ts';
import { NEXTCLOUD_PROVIDER, type StorageInput, type StorageView } from './service.ts';
import { storageDiagnostics } from './wiring.ts';

const PROJECT_STORAGE_FILTERS = {
  storage_id: { label: 'Storage', operators: ['='], values: 'integer' },
  project_id: { label: 'Project', operators: ['='], values: 'integer' },
  storage_url: { label: 'Storage URL', operators: ['='], values: 'string' },
} as const;

const AddProjectsBody = z.object({
  projectIds: z.array(z.number().int().positive()),
  includeSubProjects: z.boolean().optional(),
  projectFolderMode: z.string(),
  projectFolderId: z.string().nullable().optional(),
});
const FolderBody = z.object({ projectFolderMode: z.string(), projectFolderId: z.string().nullable().optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw constraintViolation([{ attribute: String(parsed.error.issues[0]?.path[0] ?? 'base'), message: 'The request was invalid.' }]);
  return parsed.data;
}

/** A Storage write body (API v3 StorageWriteModel) as service input. */
function storageInput(body: Record<string, unknown>): StorageInput {
  const input: StorageInput = {};
  if (body.name !== undefined) {
    if (typeof body.name !== 'string') throw errors.invalid_request_body();
    input.name = body.name;
  }
  const origin = linkHref(body, 'origin');
  if (origin !== undefined) input.host = origin ?? '';
  const type = linkHref(body, 'type');
  if (type !== undefined) input.providerType = type === STORAGE_TYPE_URN ? NEXTCLOUD_PROVIDER : String(type);
  if (body.applicationPassword !== undefined) {
    if (body.applicationPassword !== null && typeof body.applicationPassword !== 'string') throw errors.invalid_request_body();
    input.applicationPassword = body.applicationPassword;
  }
  return input;
}

/**
 * File storages: API v3 (`/api/v3/storages`, `oauth_client_credentials`, `/api/v3/project_storages`)
 * and the web UI's JSON for what API v3 has no endpoint for (setup state, deletion counts, replacing
 * the OpenProject OAuth application, enabling a storage in projects).
 */
export function storageRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { auth, storages, users } = services;

  const present = async (view: StorageView, user: { id: number; admin: number }, extra: { clientSecret?: string | undefined } = {}) => {
    const owner = view.application?.owner_id ? await users.find(Number(view.application.owner_id)) : undefined;
    const connected = await storages.connected(user as { id: number; admin: number }, view.row.id);
    return storageResource(view, { admin: Boolean(user.admin), connected, applicationOwner: owner, clientSecret: extra.clientSecret });
  };

  const presentProjectStorages = async (rows: ProjectStorageRow[]) => {
    const projectRows = await storages.projects.findMany([...new Set(rows.map((r) => Number(r.project_id)))]);
    const storageRows = await storages.repository.list([...new Set(rows.map((r) => Number(r.storage_id)))]);
    const creators = new Map<number, string>();
    for (const id of new Set(rows.map((r) => r.creator_id).filter((id): id is number => id !== null))) {
      const creator = await users.find(Number(id));
      if (creator) creators.set(Number(id), displayName(creator));
    }
    return rows.map((row) =>
      projectStorageResource(row, {
        project: projectRows.find((p) => p.id === Number(row.project_id))?.name,
        storage: storageRows.find((s) => s.id === Number(row.storage_id))?.name,
        creator: row.creator_id === null ? undefined : creators.get(Number(row.creator_id)),
      }),
    );
  };

  app.get(`${API_V3}/storages`, async (request) => {
    const { user } = await requireUser(auth, request);
    const views = await storages.list(user);
    return collection(`${API_V3}/storages`, await Promise.all(views.map((v) => present(v, user))));
  });

  app.post(`${API_V3}/storages`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const { view, clientSecret } = await storages.create(user, storageInput(jsonBody(request)));
    return reply.status(201).send(await present(view, user, { clientSecret }));
  });

  app.get(`${API_V3}/storages/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    return present(await storages.get(user, idParam(request)), user);
  });

  app.patch(`${API_V3}/storages/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    return present(await storages.update(user, idParam(request), storageInput(jsonBody(request))), user);
  });

  app.delete(`${API_V3}/storages/:id`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    await storages.delete(user, idParam(request));
    return reply.status(204).send();
  });

  app.get(`${API_V3}/storages/:id/open`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const { row } = await storages.get(user, idParam(request));
    const url = hostUrl(row.host!, 'index.php/apps/files');
    return reply.status(303).header('location', url).type('text/plain').send(`The requested resource can be viewed at ${url}`);
  });

  app.post(`${API_V3}/storages/:id/oauth_client_credentials`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    const client = await storages.setOAuthClient(user, id, jsonBody(request));
    const { row } = await storages.get(user, id);
    return reply.status(201).send(oauthClientResource(client, row.name));
  });

  // --- the admin pages' JSON ---

  /** Setup state of the storage page: per-section status and the "setup incomplete" messages. */
  app.get('/api/admin/storages/:id/setup', async (request) => {
    const { user } = await requireUser(auth, request);
    services.permissions.requireAdmin(user);
    const view = await storages.setupState(user, idParam(request));
    return {
      storage: await present(view, user),
      host: view.row.host,
      checks: view.checks,
      configured: view.configured,
      automaticallyManaged: view.automaticallyManaged,
      incomplete: view.incomplete,
    };
  });

  /** Every troubleshooting check for the storage: 200 when all passed, 503 otherwise (for monitoring). */
  app.get('/api/admin/storages/:id/diagnostics', async (request, reply) => {
    const { user } = await requireUser(auth, request);
    services.permissions.requireAdmin(user);
    const checks = await storageDiagnostics.run(await storages.get(user, idParam(request)));
    const success = checks.every((c) => c.success);
    return reply.status(success ? 200 : 503).send({ success, checks });
  });

  /** What a deletion would remove, for the confirmation dialog. */
  app.get('/api/admin/storages/:id/deletion', async (request) => {
    const { user } = await requireUser(auth, request);
    return storages.deletionCounts(user, idParam(request));
  });

  /** "Replace OpenProject OAuth": the storage with the new application and its secret (shown once). */
  app.post('/api/admin/storages/:id/oauth_application', async (request) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    const { clientSecret } = await storages.replaceOAuthApplication(user, id);
    return present(await storages.get(user, id), user, { clientSecret });
  });

  /** "+ Add projects" and Project settings → Files → add a storage. */
  app.post('/api/storages/:id/project_storages', async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const created = await storages.addToProjects(user, idParam(request), parse(AddProjectsBody, jsonBody(request)));
    return reply.status(201).send(collection(`${API_V3}/project_storages`, await presentProjectStorages(created)));
  });

  app.patch('/api/project_storages/:id', async (request) => {
    const { user } = await requireUser(auth, request);
    const row = await storages.updateProjectStorage(user, idParam(request), parse(FolderBody, jsonBody(request)));
    return (await presentProjectStorages([row]))[0];
  });

  app.delete('/api/project_storages/:id', async (request, reply) => {
    const { user } = await requireUser(auth, request);
    await storages.removeProjectStorage(user, idParam(request));
    return reply.status(204).send();
  });

  // --- a user's connection to Nextcloud (OAuth client flow) ---

  const callbackUrl = (request: FastifyRequest, clientId: string) => `${publicBaseUrl(services.config.publicUrl, request)}/oauth_clients/${encodeURIComponent(clientId)}/callback`;
  /** Only same-origin destinations (OpenProject replaces others by the root). */
  const sameOrigin = (request: FastifyRequest, href: unknown) => {
    const base = publicBaseUrl(services.config.publicUrl, request);
    if (typeof href !== 'string') return '/';
    if (/^\/(?![/\\])/.test(href)) return href;
    return href.startsWith(`${base}/`) ? href.slice(base.length) : '/';
  };
  const withError = (href: string, message: string) => `${href}${href.includes('?') ? '&' : '?'}oauth_error=${encodeURIComponent(message)}`;

  /** Start the "Log in to Nextcloud" flow, or go straight to the destination when connected already. */
  app.get('/oauth_clients/:clientId/ensure_connection', async (request, reply) => {
    const context = await requestAuth(auth, request);
    if (!context) return reply.redirect(`/login?back_url=${encodeURIComponent(request.url)}`);
    const clientId = (request.params as { clientId: string }).clientId;
    const params = query(request);
    const storageId = Number(params.storage_id);
    const href = sameOrigin(request, params.destination_url);
    if (!Number.isInteger(storageId)) throw errors.not_found();
    const nonce = randomUUID();
    const target = await storages.authorizationUrl(context.user, storageId, clientId, callbackUrl(request, clientId), nonce);
    if (!target) return reply.redirect(href);
    reply.setCookie(`oauth_state_${nonce}`, JSON.stringify({ href, storageId }), { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 3600 });
    return reply.redirect(target);
  });

  /** Nextcloud sends the browser back here with `state` and `code`. */
  app.get('/oauth_clients/:clientId/callback', async (request, reply) => {
    const context = await requestAuth(auth, request);
    if (!context) return reply.redirect(`/login?back_url=${encodeURIComponent(request.url)}`);
    const clientId = (request.params as { clientId: string }).clientId;
    const params = query(request) as Record<string, string | undefined>;
    const cookieName = `oauth_state_${params.state ?? ''}`;
    let state: { href?: unknown; storageId?: unknown } = {};
    try {
      state = JSON.parse(request.cookies[cookieName] ?? '{}') as typeof state;
    } catch {
      state = {};
    }
    reply.clearCookie(cookieName, { path: '/' });
    const fallback = context.user.admin ? '/admin/settings/storages' : '/';
    if (!params.state || typeof state.href !== 'string') return reply.redirect(withError(fallback, 'OAuth state not present. Please start the login again.'));
    const href = sameOrigin(request, state.href);
    if (!params.code) return reply.redirect(withError(href, 'OAuth code not present.'));
    const failure = await storages.connect(context.user, Number(state.storageId), clientId, params.code, callbackUrl(request, clientId));
    return reply.redirect(failure ? withError(href, failure) : href);
  });

  // --- API v3 project storages ---

  app.get(`${API_V3}/project_storages`, async (request: FastifyRequest) => {
    const { user } = await requireUser(auth, request);
    const filters = parseFilters(query(request).filters, PROJECT_STORAGE_FILTERS);
    const filter: { storageIds?: number[]; projectIds?: number[] } = {};
    for (const f of filters) {
      if (f.name === 'storage_id') filter.storageIds = f.values.map(Number);
      if (f.name === 'project_id') filter.projectIds = f.values.map(Number);
      if (f.name === 'storage_url') {
        const hosts = f.values.map((v) => normaliseHost(decodeURIComponent(v)));
        const all = await storages.repository.list();
        filter.storageIds = all.filter((s) => hosts.includes(s.host ?? undefined)).map((s) => s.id);
      }
    }
    const rows = await storages.listProjectStorages(user, filter);
    return collection(`${API_V3}/project_storages`, await presentProjectStorages(rows));
  });

  app.get(`${API_V3}/project_storages/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    return (await presentProjectStorages([await storages.getProjectStorage(user, idParam(request))]))[0];
  });
}
