import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_V3 } from '../api/hal.ts';
import { idParam, jsonBody, listResponse } from '../api/http.ts';
import type { CollectionQuery, CollectionSpec } from '../api/query.ts';
import { constraintViolation, errors } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import type { ProjectsServices } from '../services.ts';
import { userResource } from './presenter.ts';
import type { UserInput } from './service.ts';

const USERS: CollectionSpec = {
  filters: {
    id: { label: 'ID', operators: ['=', '!'], values: 'integer' },
    status: { label: 'Status', operators: ['=', '!'], values: 'string', validate: (v) => v.every((s) => ['active', 'locked', 'invited'].includes(s)) },
    login: { label: 'Login', operators: ['=', '!', '~', '!~'], values: 'string' },
    name: { label: 'Name', operators: ['~', '!~', '**'], values: 'string' },
  },
  sorts: ['id', 'login', 'name', 'firstname', 'lastname', 'created_at', 'updated_at', 'status'],
  defaultSort: [['id', 'asc']],
};

/** `/principals`: the user filters plus `member` (of projects) and `type`. */
const PRINCIPALS: CollectionSpec = {
  ...USERS,
  filters: {
    ...USERS.filters,
    member: { label: 'Member of project', operators: ['=', '!'], values: 'integer' },
    type: { label: 'Type', operators: ['=', '!'], values: 'string', validate: (v) => v.every((t) => ['User', 'Group', 'PlaceholderUser'].includes(t)) },
    any_name_attribute: { label: 'Name', operators: ['~', '!~', '**'], values: 'string' },
  },
};

const optionalText = z.string().optional();
const UserBody = z.object({
  login: optionalText,
  firstName: optionalText,
  lastName: optionalText,
  email: optionalText,
  password: optionalText,
  admin: z.boolean().optional(),
  status: z.enum(['active', 'invited', 'locked']).optional(),
  language: z.string().min(2).max(10).optional(),
});

/** Parse a user write body; a wrongly typed property is a 422 on that property. */
function userInput(body: Record<string, unknown>): UserInput {
  const parsed = UserBody.safeParse(body);
  if (!parsed.success) {
    throw constraintViolation(parsed.error.issues.map((i) => ({ attribute: String(i.path[0]), message: `${String(i.path[0])} is invalid.` })));
  }
  return parsed.data;
}

/** API v3 users: me, list/get, and the admin's create, update, lock/unlock, delete. */
export function userRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { users, auth, permissions } = services;

  app.get(`${API_V3}/users/me`, async (request) => {
    const { user } = await requireUser(auth, request);
    return userResource(user, user);
  });

  app.get(`${API_V3}/users`, async (request) => {
    const { user } = await requireUser(auth, request);
    permissions.requireAdmin(user);
    const list = (q: CollectionQuery) => users.list({ filters: q.filters, sortBy: q.sortBy, limit: q.pageSize, offset: (q.offset - 1) * q.pageSize });
    return listResponse(request, `${API_V3}/users`, USERS, list, (rows) => rows.map((row) => userResource(row, user)));
  });

  app.get(`${API_V3}/principals`, async (request) => {
    const { user } = await requireUser(auth, request);
    const visibleIds = await services.memberships.visibleUserIds(user);
    const list = (q: CollectionQuery) =>
      users.list({ filters: q.filters, sortBy: q.sortBy, limit: q.pageSize, offset: (q.offset - 1) * q.pageSize, visibleIds });
    return listResponse(request, `${API_V3}/principals`, PRINCIPALS, list, (rows) => rows.map((row) => userResource(row, user)));
  });

  app.post(`${API_V3}/users`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    permissions.requireAdmin(user);
    const created = await users.create(userInput(jsonBody(request)));
    return reply.status(201).send(userResource(created, user));
  });

  app.get(`${API_V3}/users/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    const target = await users.find(id);
    if (!target || !(await services.memberships.canSeeUser(user, id))) throw errors.not_found({ resource: 'user', id });
    return userResource(target, user);
  });

  app.patch(`${API_V3}/users/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    await hiddenUnlessAdmin(id, user);
    const updated = await users.update(id, userInput(jsonBody(request)));
    if (updated.status !== 'active') await auth.endAllSessions(id);
    return userResource(updated, user);
  });

  app.post(`${API_V3}/users/:id/lock`, async (request) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    await hiddenUnlessAdmin(id, user);
    const locked = await users.lock(id);
    await auth.endAllSessions(id);
    return userResource(locked, user);
  });

  app.delete(`${API_V3}/users/:id/lock`, async (request) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    await hiddenUnlessAdmin(id, user);
    return userResource(await users.unlock(id), user);
  });

  app.delete(`${API_V3}/users/:id`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    await hiddenUnlessAdmin(id, user);
    await users.delete(id);
    // OpenProject answers 202: deletion is scheduled; ours is done already.
    return reply.status(202).send();
  });

  app.get(`${API_V3}/users/:id/avatar`, async (request) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    if (!(await services.memberships.canSeeUser(user, id))) throw errors.not_found();
    // No avatars yet: the Nextcloud app shows its fallback avatar on 404.
    throw errors.not_found();
  });

  /** Non-admins get 404 for users they cannot see and 403 for the others. */
  async function hiddenUnlessAdmin(id: number, user: { id: number; admin: number }) {
    if (user.admin) return;
    if (!(await services.memberships.canSeeUser(user, id))) throw errors.not_found({ resource: 'user', id });
    permissions.requireAdmin(user);
  }
}
