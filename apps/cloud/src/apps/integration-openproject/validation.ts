import { isValidOpenProjectUrl } from './host-check.ts';
import { SETTING_KEYS } from './service.ts';

const STRINGS = new Set(['openproject_instance_url', 'openproject_client_id', 'openproject_client_secret', 'oidc_provider', 'targeted_audience_client_id']);
const BOOLEANS = new Set(['default_enable_navigation', 'default_enable_unified_search', 'setup_project_folder', 'setup_app_password', 'token_exchange']);
const ENUMS: Record<string, string[]> = { authorization_method: ['oauth2', 'oidc'], sso_provider_type: ['nextcloud_hub', 'external'] };
/** The keys every full setup needs: the first six setting keys. */
const GENERAL_REQUIRED = SETTING_KEYS.slice(0, 6);

function requiredKeys(values: Record<string, unknown>): string[] {
  if (values.authorization_method === 'oauth2') return [...GENERAL_REQUIRED, 'openproject_client_id', 'openproject_client_secret'];
  const oidc = [...GENERAL_REQUIRED, 'sso_provider_type'];
  if (values.sso_provider_type === 'nextcloud_hub') return [...oidc, 'targeted_audience_client_id'];
  if (values.sso_provider_type === 'external') {
    return [...oidc, 'token_exchange', 'oidc_provider', ...(values.token_exchange === true ? ['targeted_audience_client_id'] : [])];
  }
  return oidc;
}

/**
 * `validateAdminSettingsForm` of the setup API (spec §8.1, §8.2): the first failure's exact message,
 * or undefined. `full` (POST) adds the required fields and the project-folder pairing rule.
 */
export function validateSetupValues(values: unknown, full: boolean): string | undefined {
  if (!values || typeof values !== 'object' || Array.isArray(values) || Object.keys(values).length === 0) return 'Invalid settings.';
  const record = values as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(SETTING_KEYS as readonly string[]).includes(key)) return `Unknown setting: ${key}`;
  }
  if (full) {
    for (const key of ['openproject_instance_url', 'authorization_method']) {
      if (!(key in record)) return `Missing required field: ${key}`;
    }
    if (!ENUMS.authorization_method!.includes(record.authorization_method as string)) return 'Invalid authorization method.';
    for (const key of requiredKeys(record)) {
      if (!(key in record)) return `Missing required field: ${key}`;
    }
    if ((record.setup_project_folder === true) !== (record.setup_app_password === true)) {
      return 'Invalid team folder setup configuration: Both "setup_project_folder" and "setup_app_password" must be either true or false.';
    }
  }
  for (const [key, value] of Object.entries(record)) {
    const valid = ENUMS[key]
      ? ENUMS[key].includes(value as string)
      : STRINGS.has(key)
        ? typeof value === 'string' && value.trim() !== ''
        : BOOLEANS.has(key) && typeof value === 'boolean';
    if (!valid) return `Invalid value for setting: ${key}`;
    if (key === 'openproject_instance_url' && !isValidOpenProjectUrl(value as string)) return 'Invalid OpenProject URL.';
  }
  return undefined;
}
