import { randomToken, type Logger, type Outbound, type SecretBox } from '@tandem/core';
import type { AuthService } from '../../auth/service.ts';
import { errors } from '../../errors.ts';
import { PERMISSION } from '../../files/types.ts';
import type { GroupFoldersService } from '../../groupfolders/service.ts';
import type { OAuthService } from '../../oauth/service.ts';
import type { SettingsService } from '../../settings/service.ts';
import type { TermsService } from '../../terms-of-service/service.ts';
import type { AccountListener, UsersService } from '../../users/service.ts';
import { checkOpenProjectHost, isValidOpenProjectUrl, type HostCheck } from './host-check.ts';
import type { IntegrationRepository } from './repository.ts';

export const APP_ID = 'integration_openproject';
/** Name of the special user, group and group folder (mount point). */
export const OPENPROJECT = 'OpenProject';
export const NO_FOLDERS_GROUP = 'OpenProjectNoAutomaticProjectFolders';
export const NC_CLIENT_NAME = 'OpenProject client';
const TROUBLESHOOTING = 'https://www.openproject.org/docs/system-admin-guide/integrations/nextcloud/#troubleshooting';

/** Every key `PUT /admin-config` and `/setup` accept (spec §3.1); the two `setup_*` ones are actions. */
export const SETTING_KEYS = [
  'openproject_instance_url',
  'authorization_method',
  'default_enable_navigation',
  'default_enable_unified_search',
  'setup_project_folder',
  'setup_app_password',
  'openproject_client_id',
  'openproject_client_secret',
  'sso_provider_type',
  'oidc_provider',
  'targeted_audience_client_id',
  'token_exchange',
] as const;
const ACTION_KEYS = new Set(['setup_project_folder', 'setup_app_password']);
const SEALED_KEYS = new Set(['openproject_client_secret']);
const USER_INFO_KEYS = ['token', 'login', 'user_id', 'user_name', 'refresh_token', 'token_expires_at'];

export type RevocationStatus = '' | 'success' | 'connection_error' | 'other_error';

export interface ConfigResult {
  status: boolean;
  revocationStatus: RevocationStatus;
  appPassword: string | null;
}

export interface NcOAuthClient {
  id: number;
  nextcloud_oauth_client_name: string;
  openproject_redirect_uri: string;
  nextcloud_client_id: string;
  nextcloud_client_secret?: string;
}

/** What OpenProject says of the stored OpenProject OAuth client (`adminState().openproject_client_check`). */
export interface OpenProjectClientCheck {
  status: 'valid' | 'invalid' | 'unchecked';
  message?: string;
  advice?: string;
}

export const OPENPROJECT_CLIENT_INVALID = {
  message: 'OpenProject does not accept the OpenProject OAuth client ID and secret set here: the OAuth application was replaced or deleted in OpenProject.',
  advice:
    'Replace the OpenProject OAuth values: copy the client ID and secret of the storage in OpenProject (Administration → Files → External file storages; "Replace OpenProject OAuth" shows a new secret) into "OpenProject OAuth settings" here; users connect to OpenProject again.',
} as const;

/** A setup conflict (409) or a missing prerequisite; `message` is the spec's text. */
export class SetupError extends Error {
  constructor(
    readonly status: 404 | 409 | 500,
    message: string,
  ) {
    super(message);
  }
}

const asStored = (value: unknown): string => (value === true ? '1' : value === false || value === null || value === undefined ? '' : String(value).trim());

/**
 * The OpenProject Integration app (Cloud side): admin configuration, Cloud's OAuth client for
 * Projects, the `OpenProject` user/group/folder with its app password, and the rules protecting them.
 */
export class IntegrationService {
  constructor(
    private readonly repository: IntegrationRepository,
    private readonly settings: SettingsService,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly oauth: OAuthService,
    private readonly groupFolders: GroupFoldersService,
    private readonly terms: TermsService,
    private readonly secrets: SecretBox,
    private readonly logger: Logger,
    /** Every request to OpenProject: system CAs plus `CLOUD_CA_BUNDLE`. */
    private readonly outbound: Outbound,
  ) {}

  enabled(): Promise<boolean> {
    return this.settings.isAppEnabled(APP_ID);
  }

  async get(key: string): Promise<string> {
    const value = (await this.settings.repository.getApp(APP_ID, key)) ?? '';
    if (!value || !SEALED_KEYS.has(key)) return value;
    return this.secrets.decrypt(value);
  }

  private async put(key: string, value: string): Promise<void> {
    await this.settings.repository.setApp(APP_ID, key, value && SEALED_KEYS.has(key) ? this.secrets.encrypt(value) : value);
  }

  async checkHost(url: string): Promise<HostCheck> {
    return checkOpenProjectHost(url, { allowLocal: await this.settings.systemFlag('allow_local_remote_servers'), outbound: this.outbound });
  }

  /** Spec §4: host, the OAuth pair both ways (or OIDC values), and the project-folder step not pending. */
  async isConfigOk(): Promise<boolean> {
    const url = await this.get('openproject_instance_url');
    // Until the project-folder step was saved once (with or without folders) the setup is not complete.
    if (!url || !isValidOpenProjectUrl(url) || (await this.get('fresh_project_folder_setup')) !== '0') return false;
    const method = await this.get('authorization_method');
    if (method === '' || method === 'oauth2') {
      return !!(await this.get('openproject_client_id')) && !!(await this.get('openproject_client_secret')) && !!(await this.get('nc_oauth_client_id'));
    }
    if (method !== 'oidc') return false;
    const type = await this.get('sso_provider_type');
    if (!type || !(await this.get('oidc_provider'))) return false;
    const audience = !!(await this.get('targeted_audience_client_id'));
    if (type === 'nextcloud_hub') return audience;
    return (await this.get('token_exchange')) === '1' ? audience : type === 'external';
  }

  // --- Cloud's OAuth client for Projects -------------------------------------------------------

  async ncOAuthClient(): Promise<NcOAuthClient | undefined> {
    const id = Number(await this.get('nc_oauth_client_id'));
    if (!id) return undefined;
    const client = (await this.oauth.listClients()).find((c) => c.id === id);
    if (!client) return undefined;
    return { id: client.id, nextcloud_oauth_client_name: client.name, openproject_redirect_uri: client.redirectUri, nextcloud_client_id: client.clientId };
  }

  private async deleteNcOAuthClient(): Promise<void> {
    const id = Number(await this.get('nc_oauth_client_id'));
    if (id) {
      // Deleting the client also ends every token Projects holds for Cloud users.
      await this.oauth.deleteClient({ id }).catch((error: unknown) => this.logger.warn({ err: error }, 'Nextcloud OAuth client already gone'));
    }
    await this.settings.repository.deleteApp(APP_ID, 'nc_oauth_client_id');
  }

  /** `POST /nc-oauth`: a fresh client (the old one and its tokens go); the secret is returned this once. */
  async recreateNcOAuthClient(): Promise<Required<NcOAuthClient>> {
    const url = (await this.get('openproject_instance_url')).replace(/\/+$/, '');
    if (!url) throw new SetupError(500, 'The OpenProject host is not set');
    await this.deleteNcOAuthClient();
    // The callback contains the client id, which exists only once the client does: create, then point it there.
    const created = await this.oauth.createClient(NC_CLIENT_NAME, `${url}/oauth_clients/pending/callback`);
    const redirect = `${url}/oauth_clients/${created.clientId}/callback`;
    await this.repository.setOAuthRedirectUri(created.id, redirect);
    await this.put('nc_oauth_client_id', String(created.id));
    return {
      id: created.id,
      nextcloud_oauth_client_name: NC_CLIENT_NAME,
      openproject_redirect_uri: redirect,
      nextcloud_client_id: created.clientId,
      nextcloud_client_secret: created.clientSecret,
    };
  }

  // --- configuration ----------------------------------------------------------------------------

  /**
   * `setIntegrationConfig` (spec §6): run the actions, store the values, follow a host change with the
   * client's callback, revoke users' OpenProject tokens when the OpenProject client changes or on a full reset.
   */
  async setConfig(values: Record<string, unknown>): Promise<ConfigResult> {
    for (const key of Object.keys(values)) {
      if (!(SETTING_KEYS as readonly string[]).includes(key)) throw errors.openproject_setting_unknown({ key }, `Unknown setting: ${key}`);
    }
    if (values.setup_project_folder === true) await this.setupProjectFolder();
    let appPassword: string | null = null;
    if (values.setup_app_password === true) appPassword = await this.replaceAppPassword();

    const oldUrl = await this.get('openproject_instance_url');
    const oldMethod = await this.get('authorization_method');
    const clientChanging = 'openproject_client_id' in values && 'openproject_client_secret' in values;
    const oldClient = clientChanging ? { id: await this.get('openproject_client_id'), secret: await this.get('openproject_client_secret') } : undefined;

    for (const [key, value] of Object.entries(values)) {
      if (!ACTION_KEYS.has(key)) await this.put(key, asStored(value));
    }
    const newUrl = await this.get('openproject_instance_url');
    const fullReset = !newUrl && !(await this.get('authorization_method'));

    if ('openproject_instance_url' in values && newUrl !== oldUrl) {
      if (!newUrl) await this.deleteNcOAuthClient();
      else {
        const client = await this.ncOAuthClient();
        if (client) await this.repository.setOAuthRedirectUri(client.id, `${newUrl.replace(/\/+$/, '')}/oauth_clients/${client.nextcloud_client_id}/callback`);
      }
    }
    if (values.setup_app_password === false) await this.deleteAppPassword();

    let revocationStatus: RevocationStatus = '';
    const clientChanged = oldClient !== undefined && (oldClient.id !== (await this.get('openproject_client_id')) || oldClient.secret !== (await this.get('openproject_client_secret')));
    if (clientChanged || (fullReset && (oldMethod === '' || oldMethod === 'oauth2'))) {
      const credentials = oldClient ?? { id: '', secret: '' };
      revocationStatus = await this.revokeUserTokens(oldUrl, credentials.id && credentials.secret ? credentials : undefined);
    }
    if (fullReset) {
      await this.deleteNcOAuthClient();
      await this.put('fresh_project_folder_setup', '1');
    } else if ('setup_project_folder' in values && 'setup_app_password' in values) {
      await this.put('fresh_project_folder_setup', '0');
    }
    return { status: await this.isConfigOk(), revocationStatus, appPassword };
  }

  /** Revoke every user's OpenProject token at the old host (best effort) and forget the connections. */
  private async revokeUserTokens(oldUrl: string, client: { id: string; secret: string } | undefined): Promise<RevocationStatus> {
    const holders = await this.repository.usersWithPreference(APP_ID, 'token');
    let status: RevocationStatus = '';
    if (oldUrl && client) {
      for (const { value } of holders) {
        let token = value;
        try {
          token = this.secrets.decrypt(value);
        } catch {
          // stored unsealed
        }
        try {
          const response = await this.outbound.request('POST', `${oldUrl.replace(/\/+$/, '')}/oauth/revoke?token=${encodeURIComponent(token)}`, {
            authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
          });
          if ((response.status < 200 || response.status >= 300) && status !== 'connection_error') status = 'other_error';
          else if (status === '') status = 'success';
        } catch {
          status = 'connection_error';
        }
      }
    }
    await this.repository.clearUserInfo(APP_ID, USER_INFO_KEYS);
    return status;
  }

  // --- project folders --------------------------------------------------------------------------

  private async groupFoldersReady(): Promise<boolean> {
    return this.settings.isAppEnabled('groupfolders');
  }

  /** Spec §7.1, in its order: the first reason the setup cannot start, or undefined. */
  async setupBlocker(): Promise<SetupError | undefined> {
    const user = await this.users.find(OPENPROJECT);
    const group = await this.users.findGroup(OPENPROJECT);
    const folders = await this.groupFoldersReady();
    const missingApp = new SetupError(500, 'The "groupfolders" app is not installed');
    if (user && group && !folders) return missingApp;
    if (user) return new SetupError(409, 'The user "OpenProject" already exists');
    if (group) return new SetupError(409, 'The group "OpenProject" already exists');
    if (!folders) return missingApp;
    // The seed's wording (the app says "team folder" since 2.9.1; the troubleshooting guide keeps "group folder").
    if (await this.groupFolders.repository.findByMountPoint(OPENPROJECT)) return new SetupError(409, 'The group folder name "OpenProject" already exists');
    return undefined;
  }

  async setupProjectFolder(): Promise<void> {
    const blocker = await this.setupBlocker();
    if (blocker) throw blocker;
    await this.ensureProjectFolder();
  }

  /**
   * Create whatever is missing and put the rest right: user, both groups with the user as member and
   * group admin, the folder for group `OpenProject` with all permissions, ACL on, the user managing it.
   * Existing files are kept. This is also the page's repair action ("Use the existing …").
   */
  async ensureProjectFolder(): Promise<void> {
    if (!(await this.groupFoldersReady())) throw new SetupError(500, 'The "groupfolders" app is not installed');
    if (!(await this.users.find(OPENPROJECT))) {
      // Nobody logs in with this password; OpenProject uses the app password.
      await this.users.create({ id: OPENPROJECT, password: randomToken(72), displayName: OPENPROJECT });
    }
    for (const group of [OPENPROJECT, NO_FOLDERS_GROUP]) {
      if (!(await this.users.findGroup(group))) await this.users.createGroup(group);
      if (!(await this.users.members(group)).includes(OPENPROJECT)) await this.users.addToGroup(group, OPENPROJECT);
      if (!(await this.users.subadmins(group)).includes(OPENPROJECT)) await this.users.setSubadmin(group, OPENPROJECT, true);
    }
    const existing = await this.groupFolders.repository.findByMountPoint(OPENPROJECT);
    const folderId = existing ? existing.id : (await this.groupFolders.create(OPENPROJECT)).folder.id;
    await this.groupFolders.setGroupPermissions(folderId, OPENPROJECT, PERMISSION.all);
    await this.groupFolders.setAcl(folderId, true);
    await this.groupFolders.setManager(folderId, 'user', OPENPROJECT, true);
    if (await this.terms.enabled()) await this.terms.signAll(OPENPROJECT);
  }

  /** `isProjectFoldersSetupComplete` (spec §7.2). */
  async isProjectFolderSetupComplete(): Promise<boolean> {
    if (!(await this.users.find(OPENPROJECT)) || !(await this.users.findGroup(OPENPROJECT))) return false;
    if (!(await this.users.members(OPENPROJECT)).includes(OPENPROJECT)) return false;
    if (!(await this.users.subadmins(OPENPROJECT)).includes(OPENPROJECT)) return false;
    if (!(await this.groupFoldersReady())) return false;
    const folder = await this.groupFolders.repository.findByMountPoint(OPENPROJECT);
    if (!folder) return false;
    const details = await this.groupFolders.get(folder.id);
    const assigned = details.groups.find((g) => g.group_id === OPENPROJECT);
    return assigned?.permissions === PERMISSION.all && folder.acl === 1 && details.managers.some((m) => m.type === 'user' && m.id === OPENPROJECT);
  }

  // --- app password -----------------------------------------------------------------------------

  async hasAppPassword(): Promise<boolean> {
    return (await this.auth.listAppPasswords(OPENPROJECT)).some((t) => t.name === OPENPROJECT);
  }

  async deleteAppPassword(): Promise<void> {
    for (const token of await this.auth.listAppPasswords(OPENPROJECT)) {
      if (token.name === OPENPROJECT) await this.auth.deleteToken(token.id);
    }
  }

  /** A new permanent app password for user `OpenProject` (old ones stop working); shown once. */
  async replaceAppPassword(): Promise<string> {
    await this.deleteAppPassword();
    if (!(await this.users.find(OPENPROJECT))) throw new SetupError(404, 'User "OpenProject" does not exists to create application password');
    return (await this.auth.issueToken(OPENPROJECT, OPENPROJECT, OPENPROJECT, 'app_password', null)).password;
  }

  /**
   * Does OpenProject still know the OpenProject OAuth client stored here? Without side effects: its
   * token endpoint authenticates the client before looking at the (random, never issued) code, so an
   * unknown client or wrong secret is `invalid_client` and a good one `invalid_grant`. `unchecked`
   * when no client is set or OpenProject could not tell (the host check reports that).
   */
  async checkOpenProjectClient(): Promise<OpenProjectClientCheck> {
    const url = (await this.get('openproject_instance_url')).replace(/\/+$/, '');
    const clientId = await this.get('openproject_client_id');
    const method = (await this.get('authorization_method')) || 'oauth2';
    if (!url || !clientId || method !== 'oauth2' || !isValidOpenProjectUrl(url)) return { status: 'unchecked' };
    try {
      const form = new URLSearchParams({ grant_type: 'authorization_code', code: randomToken(64), client_id: clientId, client_secret: await this.get('openproject_client_secret') });
      const response = await this.outbound.request('POST', `${url}/oauth/token`, { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, form.toString());
      let error: unknown;
      try {
        error = (JSON.parse(response.body) as { error?: unknown }).error;
      } catch {
        error = undefined;
      }
      if (error === 'invalid_client') return { status: 'invalid', message: OPENPROJECT_CLIENT_INVALID.message, advice: OPENPROJECT_CLIENT_INVALID.advice };
      return { status: error === 'invalid_grant' ? 'valid' : 'unchecked' };
    } catch {
      return { status: 'unchecked' };
    }
  }

  /** What the admin page needs in one answer (the real app's `admin-settings-config`); secrets never leave. */
  async adminState() {
    const blocker = await this.setupBlocker();
    const complete = await this.isProjectFolderSetupComplete();
    // Live: Projects' "Replace OpenProject OAuth" leaves stale values here that only OpenProject can tell.
    const clientCheck = await this.checkOpenProjectClient();
    return {
      openproject_instance_url: await this.get('openproject_instance_url'),
      authorization_method: (await this.get('authorization_method')) || 'oauth2',
      openproject_client_id: await this.get('openproject_client_id'),
      openproject_client_secret_set: !!(await this.get('openproject_client_secret')),
      openproject_client_check: clientCheck,
      nc_oauth_client: (await this.ncOAuthClient()) ?? null,
      fresh_project_folder_setup: (await this.get('fresh_project_folder_setup')) !== '0',
      project_folder_info: complete ? { status: true } : { status: false, ...(blocker ? { errorMessage: blocker.message } : {}) },
      app_password_set: await this.hasAppPassword(),
      default_enable_navigation: (await this.get('default_enable_navigation')) === '1',
      default_enable_unified_search: (await this.get('default_enable_unified_search')) === '1',
      all_terms_of_services_signed: await this.allTermsSigned(),
      groupfolders_enabled: await this.groupFoldersReady(),
      status: (await this.isConfigOk()) && clientCheck.status !== 'invalid',
    };
  }

  // --- terms of service -------------------------------------------------------------------------

  async allTermsSigned(): Promise<boolean> {
    if (!(await this.terms.enabled()) || !(await this.users.find(OPENPROJECT))) return true;
    return (await this.terms.unsignedBy(OPENPROJECT)).length === 0;
  }

  async signTerms(): Promise<boolean> {
    if (!(await this.users.find(OPENPROJECT))) return false;
    return this.terms.signAll(OPENPROJECT);
  }

  // --- protection -------------------------------------------------------------------------------

  /** Spec §7.4: user and groups `OpenProject…` stay while the app is enabled. */
  protection(): AccountListener {
    const active = () => this.enabled();
    return {
      beforeUserDelete: async (userId) => {
        if (userId === OPENPROJECT && (await active())) throw errors.openproject_protected({ userId }, userProtected('deleted'));
      },
      beforeUserDisable: async (userId) => {
        if (userId === OPENPROJECT && (await active())) throw errors.openproject_protected({ userId }, userProtected('disabled'));
      },
      beforeGroupDelete: async (groupId) => {
        if ((groupId === OPENPROJECT || groupId === NO_FOLDERS_GROUP) && (await active())) {
          throw errors.openproject_protected(
            { groupId },
            `<p>&nbsp;Group '${groupId}' is needed to be protected by the app 'OpenProject Integration', thus cannot be deleted. Please check the <a href='${TROUBLESHOOTING}' target='_blank'><u>troubleshooting guide</u></a> for further information.</p>`,
          );
        }
      },
      beforeMembershipRemove: async (groupId, userId) => {
        if (groupId !== OPENPROJECT || !(await active())) return;
        if (userId === OPENPROJECT) throw errors.openproject_protected({ userId }, userProtected('removed from the group'));
        // The sub-admin `OpenProject` must keep managing the user: it lands in the second group.
        if (!(await this.users.findGroup(NO_FOLDERS_GROUP))) {
          throw errors.openproject_protected(
            { groupId },
            `Group "${NO_FOLDERS_GROUP}" not found. This group is required before removing users from "OpenProject" group.`,
          );
        }
        if (!(await this.users.members(NO_FOLDERS_GROUP)).includes(userId)) await this.users.addToGroup(NO_FOLDERS_GROUP, userId);
      },
    };
  }
}

function userProtected(action: string): string {
  return `<p>&nbsp;User "OpenProject" is needed to be protected by the app "OpenProject Integration", thus cannot be ${action}. Please check the <a href="${TROUBLESHOOTING}" target="_blank"><u>troubleshooting guide</u></a> for further information.</p>`;
}
