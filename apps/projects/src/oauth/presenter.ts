import { API_V3, apiLink, isoTime, link } from '../api/hal.ts';
import type { UserRow } from '../users/repository.ts';
import { displayName } from '../users/service.ts';
import { redirectUris, scopesOf, type OAuthApplicationRow } from './repository.ts';

/** OpenProject's OAuthApplication resource; `clientSecret` only right after creation or regeneration. */
export function applicationResource(row: OAuthApplicationRow, owner: UserRow | undefined, clientSecret?: string) {
  const links: Record<string, unknown> = {
    self: link(`${API_V3}/oauth_applications/${row.id}`, row.name),
    owner: owner ? apiLink('users', owner.id, displayName(owner)) : link(null),
    redirectUri: redirectUris(row).map((uri) => link(uri)),
  };
  if (row.integration_type === 'Storage' && row.integration_id !== null) links.integration = apiLink('storages', row.integration_id);
  return {
    id: row.id,
    _type: 'OAuthApplication',
    name: row.name,
    clientId: row.uid,
    ...(clientSecret ? { clientSecret } : {}),
    confidential: Boolean(row.confidential),
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    scopes: scopesOf(row),
    _links: links,
  };
}
