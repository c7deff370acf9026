import type { UserDetails } from './service.ts';
import { PROFILE_FIELDS } from './service.ts';

const FEDERATED = 'v2-federated';
const LOCAL = 'v2-local';

/**
 * A user as `cloud/user` and `cloud/users/{id}` show it (Nextcloud 28 key order). Visibility
 * scopes (`…Scope`) are shown to the user themselves only, as Nextcloud does.
 */
export function presentUser(details: UserDetails, withScopes: boolean): Record<string, unknown> {
  const { user, profile } = details;
  const out: Record<string, unknown> = {
    enabled: user.enabled === 1,
    storageLocation: details.storageLocation,
    id: user.id,
    lastLogin: user.last_login_at ?? 0,
    backend: 'Database',
    subadmin: details.subadminGroups,
    quota: details.quota,
    manager: '',
  };
  const scoped = (key: string, value: unknown, scope: string) => {
    out[key] = value;
    if (withScopes) out[`${key}Scope`] = scope;
  };
  if (withScopes) out.avatarScope = FEDERATED;
  scoped('email', user.email, FEDERATED);
  out.additional_mail = [];
  if (withScopes) out.additional_mailScope = [];
  out.displayname = user.display_name;
  out['display-name'] = user.display_name;
  if (withScopes) out.displaynameScope = FEDERATED;
  for (const field of PROFILE_FIELDS) scoped(field, profile[field] ?? '', LOCAL);
  scoped('profile_enabled', '1', LOCAL);
  out.groups = details.groups;
  out.language = user.language;
  out.locale = details.locale;
  out.notify_email = null;
  out.backendCapabilities = { setDisplayName: true, setPassword: true };
  return out;
}
