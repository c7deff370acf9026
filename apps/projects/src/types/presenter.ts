import { apiLink, isoTime } from '../api/hal.ts';
import type { StatusRow, TypeRow } from './repository.ts';

export const typeResource = (type: TypeRow) => ({
  _type: 'Type',
  id: type.id,
  name: type.name,
  color: type.color,
  position: type.position,
  isDefault: Boolean(type.is_default),
  isMilestone: Boolean(type.is_milestone),
  createdAt: isoTime(type.created_at),
  updatedAt: isoTime(type.updated_at),
  _links: { self: apiLink('types', type.id, type.name) },
});

export const statusResource = (status: StatusRow) => ({
  _type: 'Status',
  id: status.id,
  name: status.name,
  isClosed: Boolean(status.is_closed),
  color: status.color,
  isDefault: Boolean(status.is_default),
  isReadonly: Boolean(status.is_readonly),
  excludedFromTotals: false,
  // The schema wants an integer; OpenProject seeds none, which counts as 0.
  defaultDoneRatio: status.default_done_ratio ?? 0,
  position: status.position,
  _links: { self: apiLink('statuses', status.id, status.name) },
});
