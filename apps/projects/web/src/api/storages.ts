import { api, filtersParam } from './http.ts';

/** File storages (Administration → Files → External file storages) and project storages. */
const V3 = '/api/v3';

interface Link {
  href: string | null;
  title?: string;
}

export interface Storage {
  id: number;
  name: string;
  configured: boolean;
  hasApplicationPassword: boolean;
  _links: { self: Link; origin: Link; type: Link; authorizationState: Link };
  _embedded?: {
    oauthApplication?: { id: number; clientId: string; clientSecret?: string };
    oauthClientCredentials?: { id: number; clientId: string };
  };
}

export interface StorageSetup {
  storage: Storage;
  host: string;
  checks: { host_name_configured: boolean; openproject_oauth_application_configured: boolean; storage_oauth_client_configured: boolean };
  configured: boolean;
  automaticallyManaged: boolean | null;
  incomplete: string[];
}

export interface DeletionCounts {
  projectStorages: number;
  automaticProjectFolders: number;
  fileLinks: number;
  oauthClientTokens: number;
  remoteIdentities: number;
}

/** The "Log in to Nextcloud" flow, coming back to `destination`. */
export const ensureConnectionUrl = (storage: Storage, destination: string) =>
  `/oauth_clients/${encodeURIComponent(storage._embedded?.oauthClientCredentials?.clientId ?? '')}/ensure_connection?storage_id=${storage.id}&destination_url=${encodeURIComponent(destination)}`;

export type FolderMode = 'inactive' | 'manual' | 'automatic';

export interface ProjectStorage {
  id: number;
  projectFolderMode: FolderMode;
  _links: { project: Link; storage: Link; projectFolder?: Link };
}

/** OpenProject's labels of the project folder modes. */
export const FOLDER_MODE_LABELS: Record<FolderMode, string> = {
  inactive: 'No specific folder',
  manual: 'Existing folder with manually managed permissions',
  automatic: 'New folder with automatically managed permissions',
};

const NEXTCLOUD = 'urn:openproject-org:api:v3:storages:Nextcloud';
const elements = async <T>(url: string) => (await api<{ _embedded: { elements: T[] } }>('GET', url))._embedded.elements;

export const listStorages = () => elements<Storage>(`${V3}/storages`);
export const getStorageSetup = (id: number) => api<StorageSetup>('GET', `/api/admin/storages/${id}/setup`);
export const createStorage = (name: string, host: string) =>
  api<Storage>('POST', `${V3}/storages`, { name, _links: { origin: { href: host }, type: { href: NEXTCLOUD } } });
export const setNextcloudClient = (id: number, clientId: string, clientSecret: string) =>
  api('POST', `${V3}/storages/${id}/oauth_client_credentials`, { clientId, clientSecret });
/** Managed folders: an app password enables them, an empty one switches them off. */
export const setManagedFolders = (id: number, applicationPassword: string) => api<Storage>('PATCH', `${V3}/storages/${id}`, { applicationPassword });
export const replaceOpenProjectOAuth = (id: number) => api<Storage>('POST', `/api/admin/storages/${id}/oauth_application`);
export const deletionCounts = (id: number) => api<DeletionCounts>('GET', `/api/admin/storages/${id}/deletion`);
export const deleteStorage = (id: number) => api('DELETE', `${V3}/storages/${id}`);

export const listProjectStorages = (filter: { storageId?: number; projectId?: number }) =>
  elements<ProjectStorage>(
    `${V3}/project_storages?${filtersParam([
      ...(filter.storageId ? [{ storageId: { operator: '=', values: [String(filter.storageId)] } }] : []),
      ...(filter.projectId ? [{ projectId: { operator: '=', values: [String(filter.projectId)] } }] : []),
    ])}`,
  );
export const addProjectStorages = (storageId: number, input: { projectIds: number[]; includeSubProjects: boolean; projectFolderMode: FolderMode; projectFolderId?: string }) =>
  api('POST', `/api/storages/${storageId}/project_storages`, input);
export const updateProjectStorage = (id: number, projectFolderMode: FolderMode, projectFolderId?: string) =>
  api('PATCH', `/api/project_storages/${id}`, { projectFolderMode, projectFolderId: projectFolderId ?? null });
export const removeProjectStorage = (id: number) => api('DELETE', `/api/project_storages/${id}`);
