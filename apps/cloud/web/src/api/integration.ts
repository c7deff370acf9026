import { requestJson } from './http.ts';

/** The integration_openproject app's admin routes (the real app's URLs and shapes). */
export const BASE = '/index.php/apps/integration_openproject';

export interface NcClient {
  id?: number;
  nextcloud_oauth_client_name: string;
  openproject_redirect_uri: string;
  nextcloud_client_id: string;
  nextcloud_client_secret?: string;
}

export interface AdminState {
  openproject_instance_url: string;
  openproject_client_id: string;
  openproject_client_secret_set: boolean;
  nc_oauth_client: NcClient | null;
  fresh_project_folder_setup: boolean;
  project_folder_info: { status: boolean; errorMessage?: string };
  app_password_set: boolean;
  default_enable_navigation: boolean;
  default_enable_unified_search: boolean;
  all_terms_of_services_signed: boolean;
  groupfolders_enabled: boolean;
  status: boolean;
}

export interface HostCheck {
  result: true | string;
  details?: string;
  message?: string;
}

export const adminState = () => requestJson<AdminState>('GET', `${BASE}/admin-state`);
export const checkHost = (url: string) => requestJson<HostCheck>('POST', `${BASE}/is-valid-op-instance`, { body: { url } });
export const saveConfig = (values: Record<string, unknown>) =>
  requestJson<{ status: boolean; oPOAuthTokenRevokeStatus: string; oPUserAppPassword: string | null }>('PUT', `${BASE}/admin-config`, { body: { values } });
export const createNcClient = () => requestJson<NcClient>('POST', `${BASE}/nc-oauth`);
export const repairProjectFolder = () => requestJson<{ result: boolean }>('POST', `${BASE}/project-folder/repair`);
export const signTerms = () => requestJson<{ result: boolean }>('POST', `${BASE}/sign-term-of-service`);

export const RESET_VALUES = {
  openproject_client_id: null,
  openproject_client_secret: null,
  oidc_provider: null,
  targeted_audience_client_id: null,
  sso_provider_type: null,
  token_exchange: null,
  openproject_instance_url: null,
  authorization_method: null,
  setup_project_folder: null,
  setup_app_password: false,
  default_enable_navigation: false,
  default_enable_unified_search: false,
};
