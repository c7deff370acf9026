import { API_V3, apiLink, isoTime, link } from '../api/hal.ts';
import type { ProjectRow } from '../projects/repository.ts';
import type { RoleRow } from '../roles/repository.ts';
import { userResource } from '../users/presenter.ts';
import type { UserRow } from '../users/repository.ts';
import { displayName } from '../users/service.ts';
import type { Membership } from './repository.ts';

export const roleResource = (role: RoleRow) => ({
  _type: 'Role',
  id: role.id,
  name: role.name,
  _links: { self: apiLink('roles', role.id, role.name) },
});

/** OpenProject's Membership: project, principal and roles as links, principal and roles embedded. */
export function membershipResource(
  membership: Membership,
  related: { project: ProjectRow; user: UserRow; roles: RoleRow[]; viewer: Pick<UserRow, 'id' | 'admin'>; canManage: boolean },
) {
  const self = `${API_V3}/memberships/${membership.id}`;
  const name = displayName(related.user);
  const links: Record<string, unknown> = {
    self: link(self, name),
    schema: link(`${API_V3}/memberships/schema`),
    project: apiLink('projects', related.project.id, related.project.name),
    principal: apiLink('users', related.user.id, name),
    roles: related.roles.map((r) => apiLink('roles', r.id, r.name)),
  };
  if (related.canManage) {
    links.update = link(`${self}/form`, undefined, { method: 'post' });
    links.updateImmediately = link(self, undefined, { method: 'patch' });
    links.delete = link(self, undefined, { method: 'delete' });
  }
  return {
    _type: 'Membership',
    id: membership.id,
    createdAt: isoTime(membership.created_at),
    updatedAt: isoTime(membership.updated_at),
    _links: links,
    _embedded: {
      principal: userResource(related.user, related.viewer),
      roles: related.roles.map(roleResource),
    },
  };
}
