import type { JobQueue, Outbound, SecretBox } from '@tandem/core';
import { constraintViolation, errors } from '../errors.ts';
import type { OAuthApplicationRow } from '../oauth/repository.ts';
import type { OAuthService } from '../oauth/service.ts';
import type { PermissionService } from '../permissions/service.ts';
import type { ProjectRow, ProjectsRepository } from '../projects/repository.ts';
import type { UserRow } from '../users/repository.ts';
import { HOST_MESSAGES, PASSWORD_MESSAGES, checkAppPassword, checkNextcloudOAuthClient, hostUrl, normaliseHost, validateNextcloudHost } from './nextcloud.ts';
import { STORAGE_INTEGRATION, type DeletionCounts, type OAuthClientRow, type ProjectStorageRow, type StorageRow, type StoragesRepository } from './repository.ts';

type Caller = Pick<UserRow, 'id' | 'admin'>;
type Violation = { attribute: string; message: string };

export const NEXTCLOUD_PROVIDER = 'Storages::NextcloudStorage';
export const FOLDER_MODES = ['inactive', 'manual', 'automatic'] as const;
export type FolderMode = (typeof FOLDER_MODES)[number];
export const DELETE_PROJECT_FOLDER_JOB = 'storages:delete_project_folder';
const DEFAULT_USERNAME = 'OpenProject';
const DEFAULT_FORBIDDEN_CHARACTERS = '<>:"\\/|?*';

/** Nextcloud's `provider_fields` (the app password is kept apart, sealed). */
export interface ProviderFields {
  automatically_managed?: boolean | null;
  username?: string;
  group?: string;
  group_folder?: string;
  authentication_method?: string;
  health_notifications_enabled?: boolean;
  forbidden_file_name_characters?: string;
}

export const providerFields = (row: StorageRow): ProviderFields => JSON.parse(row.provider_fields) as ProviderFields;

/** A storage with what its pages and API need to know about its setup. */
export interface StorageView {
  row: StorageRow;
  fields: ProviderFields;
  application: OAuthApplicationRow | undefined;
  client: OAuthClientRow | undefined;
  /** OpenProject's `configuration_checks` (two-way OAuth). */
  checks: { host_name_configured: boolean; openproject_oauth_application_configured: boolean; storage_oauth_client_configured: boolean };
  configured: boolean;
  /** `true`/`false` once the managed-folders step is done, null before. */
  automaticallyManaged: boolean | null;
  /** OpenProject's "setup incomplete" messages, in wizard order. */
  incomplete: string[];
}

export interface StorageInput {
  name?: string | undefined;
  host?: string | undefined;
  providerType?: string | undefined;
  /** Non-empty: enable managed folders with this app password; empty or null: disable them. */
  applicationPassword?: string | null | undefined;
}

export interface AddToProjectsInput {
  projectIds: number[];
  includeSubProjects?: boolean | undefined;
  projectFolderMode: string;
  projectFolderId?: string | null | undefined;
}

export const SETUP_MESSAGES = {
  oauth_application: 'To complete the setup, please create the OpenProject OAuth application for your storage.',
  oauth_client: 'To complete the setup, please add OAuth client credentials from your storage.',
  managed_folders: 'To complete the setup, please configure automatically managed project folders for your storage.',
  not_configured_for_projects: 'This storage has an incomplete setup. Please, complete the setup before enabling it in multiple projects.',
  // What Nextcloud's Reset or Replace leaves to redo here (found by live probes, not stored state).
  oauth_client_invalid: 'Nextcloud no longer accepts the Nextcloud OAuth client of this storage. Please replace the Nextcloud OAuth values with the new ones from Nextcloud (Administration → OpenProject).',
  app_password_invalid: 'Nextcloud no longer accepts the application password of this storage. Please enter a new application password from Nextcloud (Administration → OpenProject → "Replace application password").',
} as const;

/** `<project name> (<id>)` with OpenProject's character filtering (ManagedFolderIdentifier). */
export function managedFolderName(project: Pick<ProjectRow, 'id' | 'name'>, forbidden = DEFAULT_FORBIDDEN_CHARACTERS): string {
  let name = project.name.replace(/[/\\]/g, '|');
  for (const ch of forbidden) name = name.split(ch).join('_');
  return `${name} (${project.id})`;
}

/**
 * File storages as OpenProject administers them: the setup wizard (host, OpenProject OAuth
 * application, Nextcloud OAuth client, managed project folders), replacing OAuth values, enabling
 * storages in projects, and deleting with everything that hangs off a storage.
 */
export class StoragesService {
  constructor(
    readonly repository: StoragesRepository,
    readonly projects: ProjectsRepository,
    private readonly permissions: PermissionService,
    private readonly oauth: OAuthService,
    private readonly secrets: SecretBox,
    private readonly queue: JobQueue,
    private readonly outbound: Outbound,
  ) {}

  // --- reading ---

  private async views(rows: StorageRow[]): Promise<StorageView[]> {
    const ids = rows.map((r) => r.id);
    const clients = await this.repository.oauthClients(ids);
    const applications = (await this.oauth.listApplications()).filter((a) => a.integration_type === STORAGE_INTEGRATION);
    return rows.map((row) => {
      const fields = providerFields(row);
      const application = applications.find((a) => Number(a.integration_id) === row.id);
      const client = clients.find((c) => Number(c.integration_id) === row.id);
      const checks = {
        host_name_configured: Boolean(row.host && row.name),
        openproject_oauth_application_configured: Boolean(application),
        storage_oauth_client_configured: Boolean(client),
      };
      const automaticallyManaged = typeof fields.automatically_managed === 'boolean' ? fields.automatically_managed : null;
      const incomplete: string[] = [];
      if (!application) incomplete.push(SETUP_MESSAGES.oauth_application);
      if (!client) incomplete.push(SETUP_MESSAGES.oauth_client);
      if (automaticallyManaged === null) incomplete.push(SETUP_MESSAGES.managed_folders);
      return { row, fields, application, client, checks, configured: Object.values(checks).every(Boolean), automaticallyManaged, incomplete };
    });
  }

  private async view(row: StorageRow): Promise<StorageView> {
    return (await this.views([row]))[0]!;
  }

  /** Storages the user may see: all for admins and holders of `manage_files_in_project`; else those enabled in their projects. */
  async list(user: Caller): Promise<StorageView[]> {
    if (user.admin || (await this.permissions.projectIdsWith(user, 'manage_files_in_project')).length) return this.views(await this.repository.list());
    const projectIds = await this.permissions.projectIdsWith(user, 'view_file_links');
    const linked = await this.repository.projectStorages({ projectIds });
    return this.views(await this.repository.list([...new Set(linked.map((ps) => Number(ps.storage_id)))]));
  }

  /** Every storage, for system checks (no caller). */
  async allViews(): Promise<StorageView[]> {
    return this.views(await this.repository.list());
  }

  async get(user: Caller, id: number): Promise<StorageView> {
    const visible = (await this.list(user)).find((v) => v.row.id === id);
    if (!visible) throw errors.not_found({ resource: 'storage', id });
    return visible;
  }

  /**
   * The storage page's setup state: the stored setup plus what Nextcloud says of the stored values
   * (live probes without side effects, run only for this page), so that Nextcloud's Reset or Replace
   * shows up as the steps to redo here.
   */
  async setupState(user: Caller, id: number): Promise<StorageView> {
    const view = await this.get(user, id);
    const { row, client, fields } = view;
    if (!row.host) return view;
    const redo: string[] = [];
    if (client && (await checkNextcloudOAuthClient(this.outbound, row.host, client.client_id, this.clientSecret(client) ?? ''))) redo.push(SETUP_MESSAGES.oauth_client_invalid);
    if (view.automaticallyManaged && row.password_sealed) {
      const problem = await checkAppPassword(this.outbound, row.host, fields.username ?? DEFAULT_USERNAME, this.secrets.decrypt(row.password_sealed));
      if (problem === PASSWORD_MESSAGES.invalid_password) redo.push(SETUP_MESSAGES.app_password_invalid);
    }
    return redo.length ? { ...view, incomplete: [...view.incomplete, ...redo] } : view;
  }

  private async adminStorage(user: Caller, id: number): Promise<StorageRow> {
    this.permissions.requireAdmin(user);
    const row = await this.repository.find(id);
    if (!row) throw errors.not_found({ resource: 'storage', id });
    return row;
  }

  // --- the wizard ---

  private async checkGeneral(input: StorageInput, current: StorageRow | undefined): Promise<{ name?: string; host?: string }> {
    const violations: Violation[] = [];
    const result: { name?: string; host?: string } = {};
    if (!current || input.name !== undefined) {
      const name = input.name?.trim() ?? '';
      if (!name) violations.push({ attribute: 'name', message: "Name can't be blank." });
      else if (name.length > 255) violations.push({ attribute: 'name', message: 'Name is too long (maximum is 255 characters).' });
      else {
        const other = await this.repository.findByNameKey(name.toLowerCase());
        if (other && other.id !== current?.id) violations.push({ attribute: 'name', message: 'Name has already been taken.' });
        result.name = name;
      }
    }
    if (current === undefined && input.providerType !== undefined && input.providerType !== NEXTCLOUD_PROVIDER) {
      violations.push({ attribute: 'type', message: 'Provider type is not set to one of the allowed values.' });
    }
    let hostChanged = false;
    if (!current || input.host !== undefined) {
      const host = input.host ? normaliseHost(input.host) : undefined;
      if (!input.host?.trim()) violations.push({ attribute: 'host', message: "Host can't be blank." });
      else if (!host || host.length > 255) violations.push({ attribute: 'host', message: HOST_MESSAGES.invalid_url });
      else {
        const other = await this.repository.findByHost(host);
        if (other && other.id !== current?.id) violations.push({ attribute: 'host', message: 'Host has already been taken.' });
        hostChanged = host !== current?.host;
        result.host = host;
      }
    }
    // The live probes run only for a new host and only when everything else is valid.
    if (!violations.length && hostChanged && result.host) {
      const message = await validateNextcloudHost(this.outbound, result.host);
      if (message) violations.push({ attribute: 'host', message });
    }
    if (violations.length) throw constraintViolation(violations);
    return result;
  }

  private async createApplication(storage: StorageRow) {
    return this.oauth.createApplication(storage.creator_id, {
      name: `${storage.name} (Nextcloud)`,
      redirectUris: [hostUrl(storage.host!, 'index.php/apps/integration_openproject/oauth-redirect')],
      scopes: ['api_v3'],
      confidential: true,
      integration: { type: STORAGE_INTEGRATION, id: storage.id },
    });
  }

  /** Step "General information": validate the host live, create the storage and its OpenProject OAuth application (secret returned once). */
  async create(user: Caller, input: StorageInput): Promise<{ view: StorageView; clientSecret: string | undefined }> {
    this.permissions.requireAdmin(user);
    const { name, host } = await this.checkGeneral(input, undefined);
    const now = Date.now();
    const fields: ProviderFields = { username: DEFAULT_USERNAME, authentication_method: 'two_way_oauth2', health_notifications_enabled: true, forbidden_file_name_characters: DEFAULT_FORBIDDEN_CHARACTERS };
    let sealed: string | null = null;
    if (typeof input.applicationPassword === 'string' && input.applicationPassword) {
      await this.requirePassword(host!, DEFAULT_USERNAME, input.applicationPassword);
      fields.automatically_managed = true;
      sealed = this.secrets.encrypt(input.applicationPassword);
    }
    const row = await this.repository.insert({
      provider_type: NEXTCLOUD_PROVIDER,
      name: name!,
      name_key: name!.toLowerCase(),
      host: host!,
      creator_id: user.id,
      provider_fields: JSON.stringify(fields),
      password_sealed: sealed,
      health_status: 'pending',
      health_changed_at: now,
      health_checked_at: now,
      created_at: now,
      updated_at: now,
    });
    const { clientSecret } = await this.createApplication(row);
    return { view: await this.view(row), clientSecret };
  }

  private async requirePassword(host: string, username: string, password: string): Promise<void> {
    const message = await checkAppPassword(this.outbound, host, username, password);
    if (message) throw constraintViolation([{ attribute: 'password', message }]);
  }

  /** Name / host changes (host re-validated), and the managed-folders step (`applicationPassword`). */
  async update(user: Caller, id: number, input: StorageInput): Promise<StorageView> {
    const row = await this.adminStorage(user, id);
    const { name, host } = await this.checkGeneral(input, row);
    const fields = providerFields(row);
    const changes: Partial<StorageRow> = { updated_at: Date.now() };
    if (name !== undefined) Object.assign(changes, { name, name_key: name.toLowerCase() });
    if (host !== undefined) changes.host = host;
    if (input.applicationPassword !== undefined) {
      if (input.applicationPassword) {
        await this.requirePassword(host ?? row.host!, fields.username ?? DEFAULT_USERNAME, input.applicationPassword);
        fields.automatically_managed = true;
        changes.password_sealed = this.secrets.encrypt(input.applicationPassword);
      } else {
        fields.automatically_managed = false;
        changes.password_sealed = null;
      }
      changes.provider_fields = JSON.stringify(fields);
    }
    await this.repository.update(id, changes);
    const updated = { ...row, ...changes };
    const view = await this.view(updated);
    if (view.application && (name !== undefined || host !== undefined)) {
      await this.oauth.updateApplication(view.application.id, {
        name: `${updated.name} (Nextcloud)`,
        redirectUris: [hostUrl(updated.host!, 'index.php/apps/integration_openproject/oauth-redirect')],
      });
    }
    return this.view(updated);
  }

  /** Step "Nextcloud OAuth" and "Replace Nextcloud OAuth": users' tokens of the old client are removed. */
  async setOAuthClient(user: Caller, id: number, input: { clientId?: unknown; clientSecret?: unknown }): Promise<OAuthClientRow> {
    await this.adminStorage(user, id);
    const clientId = typeof input.clientId === 'string' ? input.clientId.trim() : '';
    const clientSecret = typeof input.clientSecret === 'string' ? input.clientSecret.trim() : '';
    const violations: Violation[] = [];
    if (!clientId) violations.push({ attribute: 'clientId', message: "Client ID can't be blank." });
    if (!clientSecret) violations.push({ attribute: 'clientSecret', message: "Client secret can't be blank." });
    if (violations.length) throw constraintViolation(violations);
    return this.repository.replaceOAuthClient(id, clientId, this.secrets.encrypt(clientSecret), Date.now());
  }

  /** "Replace OpenProject OAuth": a new application (new id and secret, shown once); all its grants go. */
  async replaceOAuthApplication(user: Caller, id: number): Promise<{ application: OAuthApplicationRow; clientSecret?: string | undefined }> {
    const row = await this.adminStorage(user, id);
    const view = await this.view(row);
    if (view.application) await this.oauth.deleteApplication(view.application.id);
    return this.createApplication(row);
  }

  /** The Nextcloud client secret, for the OAuth login flow. */
  clientSecret(client: OAuthClientRow): string | undefined {
    return client.client_secret_sealed ? this.secrets.decrypt(client.client_secret_sealed) : undefined;
  }

  // --- users' connection to Nextcloud (OpenProject's OAuth client flow, §5.2) ---

  /** Where to send the browser to authorize; undefined when the user is connected already. */
  async authorizationUrl(user: Caller, storageId: number, clientId: string, redirectUri: string, state: string): Promise<string | undefined> {
    const storage = await this.repository.find(storageId);
    const client = storage ? await this.repository.findOAuthClient(clientId, storageId) : undefined;
    if (!storage?.host || !client) throw errors.not_found({ resource: 'oauth_client', id: clientId });
    if (await this.repository.hasUserToken(client.id, user.id)) return undefined;
    const query = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', state });
    return `${hostUrl(storage.host, 'index.php/apps/oauth2/authorize')}?${query.toString()}`;
  }

  /**
   * The callback: exchange the code at Nextcloud's token endpoint, learn the Nextcloud user id
   * (`GET ocs/v1.php/cloud/user` with the new token) and store token and remote identity together.
   * Returns OpenProject's error text on failure.
   */
  async connect(user: Caller, storageId: number, clientId: string, code: string, redirectUri: string): Promise<string | undefined> {
    const storage = await this.repository.find(storageId);
    const client = storage ? await this.repository.findOAuthClient(clientId, storageId) : undefined;
    if (!storage?.host || !client) return 'OAuth client not found.';
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, client_secret: this.clientSecret(client) ?? '' });
    let tokens: { access_token?: string; refresh_token?: string; user_id?: string };
    try {
      const answer = await this.outbound.request('POST', hostUrl(storage.host, 'index.php/apps/oauth2/api/v1/token'), { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body.toString());
      tokens = JSON.parse(answer.body) as typeof tokens;
      if (answer.status !== 200 || !tokens.access_token) return `Nextcloud refused the authorization code (HTTP ${answer.status}).`;
    } catch {
      return 'Nextcloud could not be reached.';
    }
    let originUserId = tokens.user_id;
    try {
      const me = await this.outbound.request('GET', hostUrl(storage.host, 'ocs/v1.php/cloud/user'), { 'OCS-APIRequest': 'true', Authorization: `Bearer ${tokens.access_token}` });
      const xml = me.body;
      if (me.status === 200 && /<statuscode>100<\/statuscode>/.test(xml)) originUserId = /<data>[\s\S]*?<id>([^<]*)<\/id>/.exec(xml)?.[1] ?? originUserId;
    } catch {
      // keep the token response's user id
    }
    if (!originUserId) return 'The Nextcloud user could not be determined.';
    await this.repository.saveUserToken({
      clientRowId: client.id,
      storageId,
      userId: user.id,
      accessSealed: this.secrets.encrypt(tokens.access_token),
      refreshSealed: tokens.refresh_token ? this.secrets.encrypt(tokens.refresh_token) : null,
      originUserId,
      now: Date.now(),
    });
    return undefined;
  }

  /** Whether the user has a Nextcloud token for the storage (the "Login to Nextcloud required" nudge). */
  async connected(user: Caller, storageId: number): Promise<boolean> {
    const [client] = await this.repository.oauthClients([storageId]);
    return client ? this.repository.hasUserToken(client.id, user.id) : false;
  }

  // --- deleting ---

  async deletionCounts(user: Caller, id: number): Promise<DeletionCounts> {
    await this.adminStorage(user, id);
    return this.repository.deletionCounts(id);
  }

  /** Delete the storage and everything of it; automatic project folders are deleted in Nextcloud by a job. */
  async delete(user: Caller, id: number): Promise<void> {
    const row = await this.adminStorage(user, id);
    const view = await this.view(row);
    await this.enqueueFolderDeletions(row, await this.repository.projectStorages({ storageIds: [id] }));
    if (view.application) await this.oauth.deleteApplication(view.application.id);
    await this.repository.delete(id);
  }

  private async enqueueFolderDeletions(row: StorageRow, projectStorages: ProjectStorageRow[]): Promise<void> {
    const fields = providerFields(row);
    const automatic = projectStorages.filter((ps) => ps.project_folder_mode === 'automatic');
    if (!automatic.length || !fields.automatically_managed || !row.password_sealed || !row.host) return;
    const projects = await this.projects.findMany(automatic.map((ps) => Number(ps.project_id)));
    const username = fields.username ?? DEFAULT_USERNAME;
    for (const project of projects) {
      const location = `${fields.group_folder ?? DEFAULT_USERNAME}/${managedFolderName(project, fields.forbidden_file_name_characters)}`;
      await this.queue.enqueue(DELETE_PROJECT_FOLDER_JOB, {
        url: hostUrl(row.host, `remote.php/dav/files/${encodeURIComponent(username)}/${location.split('/').map(encodeURIComponent).join('/')}/`),
        username,
        passwordSealed: row.password_sealed,
      });
    }
  }

  /** The job: DAV DELETE of a project folder as the OpenProject user; a folder already gone is fine. */
  async deleteProjectFolder(payload: { url: string; username: string; passwordSealed: string }): Promise<void> {
    const password = this.secrets.decrypt(payload.passwordSealed);
    const response = await this.outbound.request('DELETE', payload.url, { Authorization: `Basic ${Buffer.from(`${payload.username}:${password}`).toString('base64')}` });
    if (response.status !== 404 && (response.status < 200 || response.status >= 300)) throw new Error(`project folder deletion failed: HTTP ${response.status}`);
  }

  // --- project storages ---

  /** Project storages in projects where the user may view file links. */
  async listProjectStorages(user: Caller, filter: { storageIds?: number[]; projectIds?: number[] }): Promise<ProjectStorageRow[]> {
    const allowed = new Set(await this.permissions.projectIdsWith(user, 'view_file_links'));
    if (user.admin) for (const id of await this.permissions.projectIdsWith(user, 'manage_files_in_project')) allowed.add(id);
    const projectIds = filter.projectIds ? filter.projectIds.filter((id) => allowed.has(id)) : [...allowed];
    return this.repository.projectStorages({ storageIds: filter.storageIds, projectIds });
  }

  async getProjectStorage(user: Caller, id: number): Promise<ProjectStorageRow> {
    const row = await this.repository.findProjectStorage(id);
    const canSee = row && ((await this.permissions.allowed(user, 'view_file_links', Number(row.project_id))) || (await this.permissions.allowed(user, 'manage_files_in_project', Number(row.project_id))));
    if (!row || !canSee) throw errors.not_found({ resource: 'project_storage', id });
    return row;
  }

  private checkMode(view: StorageView, mode: string, folderId: string | null | undefined): Violation[] {
    const violations: Violation[] = [];
    if (!(FOLDER_MODES as readonly string[]).includes(mode)) violations.push({ attribute: 'projectFolderMode', message: 'Project folder mode is not set to one of the allowed values.' });
    else if (mode === 'automatic' && view.automaticallyManaged !== true) violations.push({ attribute: 'projectFolderMode', message: 'Project folder mode is not available for this storage.' });
    else if (mode === 'manual' && !folderId?.trim()) violations.push({ attribute: 'projectFolderId', message: 'Please select a folder.' });
    return violations;
  }

  /**
   * "+ Add projects" (admin) and Project settings → Files (one project): every selected active project,
   * with `includeSubProjects` its active descendants; projects already linked are skipped.
   */
  async addToProjects(user: Caller, storageId: number, input: AddToProjectsInput): Promise<ProjectStorageRow[]> {
    const row = await this.repository.find(storageId);
    if (!row) throw errors.not_found({ resource: 'storage', id: storageId });
    const view = await this.view(row);
    if (!view.configured) throw constraintViolation([{ attribute: 'base', message: SETUP_MESSAGES.not_configured_for_projects }]);
    const violations: Violation[] = [];
    if (!input.projectIds.length) violations.push({ attribute: 'projectIds', message: 'Please select a project.' });
    violations.push(...this.checkMode(view, input.projectFolderMode, input.projectFolderId));
    if (violations.length) throw constraintViolation(violations);
    const ids = new Set<number>();
    for (const projectId of input.projectIds) {
      await this.permissions.require(user, 'manage_files_in_project', projectId);
      ids.add(projectId);
      if (input.includeSubProjects) for (const child of await this.projects.descendantIds(projectId)) ids.add(child);
    }
    const targets: ProjectRow[] = [];
    for (const project of await this.projects.findMany([...ids])) {
      if (!project.active) continue;
      // Sub-projects the user cannot manage files in are left out, as OpenProject's bulk service does.
      if (await this.permissions.allowed(user, 'manage_files_in_project', project.id)) targets.push(project);
    }
    const now = Date.now();
    return this.repository.insertProjectStorages(
      targets.map((project) => ({
        project_id: project.id,
        storage_id: storageId,
        creator_id: user.id,
        project_folder_mode: input.projectFolderMode,
        project_folder_id: input.projectFolderMode === 'manual' ? input.projectFolderId!.trim() : null,
        created_at: now,
        updated_at: now,
      })),
    );
  }

  async updateProjectStorage(user: Caller, id: number, input: { projectFolderMode: string; projectFolderId?: string | null | undefined }): Promise<ProjectStorageRow> {
    const row = await this.getProjectStorage(user, id);
    await this.permissions.require(user, 'manage_files_in_project', Number(row.project_id));
    const view = await this.view((await this.repository.find(Number(row.storage_id)))!);
    const violations = this.checkMode(view, input.projectFolderMode, input.projectFolderId);
    if (violations.length) throw constraintViolation(violations);
    // Switching back to a mode restores the folder remembered for it.
    let folderId: string | null = input.projectFolderMode === 'manual' ? input.projectFolderId!.trim() : null;
    if (input.projectFolderMode === 'automatic') {
      folderId = (await this.repository.lastProjectFolders(id)).find((f) => f.mode === 'automatic')?.origin_folder_id ?? null;
    }
    await this.repository.updateProjectStorage(id, input.projectFolderMode, folderId, Date.now());
    return (await this.repository.findProjectStorage(id))!;
  }

  /** Remove a storage from one project: its file links there go; an automatic folder is deleted in Nextcloud. */
  async removeProjectStorage(user: Caller, id: number): Promise<void> {
    const row = await this.getProjectStorage(user, id);
    await this.permissions.require(user, 'manage_files_in_project', Number(row.project_id));
    const storage = await this.repository.find(Number(row.storage_id));
    if (storage) await this.enqueueFolderDeletions(storage, [row]);
    await this.repository.deleteProjectStorage(row);
  }
}

