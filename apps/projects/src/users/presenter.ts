import { API_V3, apiLink, isoTime, link, type Link } from '../api/hal.ts';
import type { UserRow } from './repository.ts';
import { displayName } from './service.ts';

type Viewer = Pick<UserRow, 'id' | 'admin'>;

/** `filters` JSON for a link to a collection filtered by one value (`project`, `principal` …). */
export const filterParam = (name: string, value: number | string) =>
  JSON.stringify([{ [name]: { operator: '=', values: [String(value)] } }]);

/**
 * OpenProject's User resource. Personal fields (login, names, email, status) are shown to the user
 * themself and to admins only; admin actions are linked for admins.
 */
export function userResource(user: UserRow, viewer: Viewer) {
  const name = displayName(user);
  const self = `${API_V3}/users/${user.id}`;
  const links: Record<string, Link> = {
    self: apiLink('users', user.id, name),
    showUser: link(`/users/${user.id}`, undefined, { type: 'text/html' }),
    memberships: link(`${API_V3}/memberships?filters=${encodeURIComponent(filterParam('principal', user.id))}`, 'Memberships'),
  };
  const resource: Record<string, unknown> = {
    _type: 'User',
    id: user.id,
    name,
    createdAt: isoTime(user.created_at),
    updatedAt: isoTime(user.updated_at),
    avatar: null,
  };
  if (viewer.id === user.id || viewer.admin) {
    Object.assign(resource, {
      login: user.login,
      firstName: user.firstname,
      lastName: user.lastname,
      email: user.email ?? '',
      status: user.status,
      language: user.language,
    });
  }
  if (viewer.admin) {
    resource.admin = Boolean(user.admin);
    links.updateImmediately = link(self, 'Update', { method: 'patch' });
    if (user.status === 'locked') links.unlock = link(`${self}/lock`, 'Unlock', { method: 'delete' });
    else links.lock = link(`${self}/lock`, 'Lock', { method: 'post' });
    links.delete = link(self, 'Delete', { method: 'delete' });
  }
  resource._links = links;
  return resource;
}
