import { API_V3, apiLink, isoTime, link, type Link } from '../api/hal.ts';
import type { UserRow } from '../users/repository.ts';
import { displayName } from '../users/service.ts';
import { userResource } from '../users/presenter.ts';
import type { NotificationRow } from './repository.ts';

/** OpenProject's Notification: reason, readIAN, the work package (`resource`), its project and the actor. */
export function notificationResource(
  notification: NotificationRow,
  related: { project: Record<string, unknown>; resource: Record<string, unknown> & { subject: string }; actor: UserRow | undefined; viewer: Pick<UserRow, 'id' | 'admin'> },
) {
  const self = `${API_V3}/notifications/${notification.id}`;
  const read = Boolean(notification.read_ian);
  const projectLinks = related.project._links as { self: Link };
  const links: Record<string, Link | Link[]> = {
    self: link(self),
    project: projectLinks.self,
    actor: related.actor ? apiLink('users', related.actor.id, displayName(related.actor)) : link(null),
    resource: apiLink('work_packages', notification.resource_id, related.resource.subject),
    activity: notification.journal_id === null ? link(null) : apiLink('activities', notification.journal_id),
    details: [],
  };
  if (read) links.unreadIAN = link(`${self}/unread_ian`, undefined, { method: 'post' });
  else links.readIAN = link(`${self}/read_ian`, undefined, { method: 'post' });
  const embedded: Record<string, unknown> = { project: related.project, resource: related.resource };
  if (related.actor) embedded.actor = userResource(related.actor, related.viewer);
  return {
    _type: 'Notification',
    id: notification.id,
    reason: notification.reason,
    readIAN: read,
    details: [],
    createdAt: isoTime(notification.created_at),
    updatedAt: isoTime(notification.updated_at),
    _embedded: embedded,
    _links: links,
  };
}
