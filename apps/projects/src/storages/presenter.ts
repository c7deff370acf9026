import { API_V3, apiLink, isoTime, link } from '../api/hal.ts';
import { applicationResource } from '../oauth/presenter.ts';
import type { OAuthApplicationRow } from '../oauth/repository.ts';
import type { UserRow } from '../users/repository.ts';
import type { OAuthClientRow, ProjectStorageRow } from './repository.ts';
import type { StorageView } from './service.ts';

export const STORAGE_TYPE_URN = 'urn:openproject-org:api:v3:storages:Nextcloud';
const AUTH_URN = 'urn:openproject-org:api:v3:storages:authenticationMethod:TwoWayOAuth2';
const AUTHORIZATION_URN = 'urn:openproject-org:api:v3:storages:authorization:';

export function oauthClientResource(client: OAuthClientRow, storageName: string) {
  return {
    id: client.id,
    _type: 'OAuthClientCredentials',
    clientId: client.client_id,
    confidential: Boolean(client.client_secret_sealed),
    createdAt: isoTime(client.created_at),
    updatedAt: isoTime(client.updated_at),
    _links: { self: link(`${API_V3}/oauth_client_credentials/${client.id}`), integration: apiLink('storages', Number(client.integration_id), storageName) },
  };
}

/**
 * OpenProject's Storage resource. Admins also get the OAuth application and client credentials
 * embedded; the application's `clientSecret` only in the answer that created it.
 */
export function storageResource(
  view: StorageView,
  options: { admin: boolean; connected?: boolean; applicationOwner?: UserRow | undefined; application?: OAuthApplicationRow; clientSecret?: string | undefined },
) {
  const { row, client, checks } = view;
  const id = row.id;
  const state = !client ? 'NotConnected' : options.connected ? 'Connected' : 'NotConnected';
  const links: Record<string, unknown> = {
    self: apiLink('storages', id, row.name),
    type: link(STORAGE_TYPE_URN, 'Nextcloud'),
    origin: link(row.host?.replace(/\/+$/, '') ?? null),
    authenticationMethod: link(AUTH_URN, 'Two-way OAuth 2.0'),
    open: link(`${API_V3}/storages/${id}/open`),
    authorizationState: link(`${AUTHORIZATION_URN}${state}`, state === 'Connected' ? 'Connected' : 'Not connected'),
    projectStorages: link(`${API_V3}/project_storages?filters=${encodeURIComponent(JSON.stringify([{ storageId: { operator: '=', values: [String(id)] } }]))}`),
  };
  const embedded: Record<string, unknown> = {};
  const application = options.application ?? view.application;
  if (options.admin) {
    if (application) {
      links.oauthApplication = link(`${API_V3}/oauth_applications/${application.id}`, application.name);
      embedded.oauthApplication = applicationResource(application, options.applicationOwner, options.clientSecret);
    }
    if (client) {
      links.oauthClientCredentials = link(`${API_V3}/oauth_client_credentials/${client.id}`);
      embedded.oauthClientCredentials = oauthClientResource(client, row.name);
    }
  }
  return {
    id,
    _type: 'Storage',
    name: row.name,
    hasApplicationPassword: view.automaticallyManaged === true,
    forbiddenFileNameCharacters: view.fields.forbidden_file_name_characters ?? '',
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    configured: Object.values(checks).every(Boolean),
    ...(Object.keys(embedded).length ? { _embedded: embedded } : {}),
    _links: links,
  };
}

export function projectStorageResource(row: ProjectStorageRow, names: { project?: string; storage?: string; creator?: string }) {
  const links: Record<string, unknown> = {
    self: apiLink('project_storages', row.id),
    creator: row.creator_id === null ? link(null) : apiLink('users', Number(row.creator_id), names.creator),
    storage: apiLink('storages', Number(row.storage_id), names.storage),
    project: apiLink('projects', Number(row.project_id), names.project),
    open: link(`${API_V3}/project_storages/${row.id}/open`),
  };
  if (row.project_folder_id) links.projectFolder = link(`${API_V3}/storages/${row.storage_id}/files/${encodeURIComponent(row.project_folder_id)}`);
  return {
    _type: 'ProjectStorage',
    id: row.id,
    projectFolderMode: row.project_folder_mode,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    _links: links,
  };
}
