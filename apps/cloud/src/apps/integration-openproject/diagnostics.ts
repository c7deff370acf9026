import type { JobQueue } from '@tandem/core';
import type { SettingsService } from '../../settings/service.ts';
import { ALLOW_LOCAL_HINT, CERTIFICATE_ADVICE, isLocalHost } from './host-check.ts';
import { OPENPROJECT, type IntegrationService } from './service.ts';

/** One check of the seed's Troubleshooting section: its outcome and, when it failed, what to do. */
export interface Diagnostic {
  name: string;
  success: boolean;
  message: string;
  advice?: string;
}

/** Jobs waiting this long mean no worker is taking them. */
const WORKER_OVERDUE_MS = 5 * 60_000;

const ok = (name: string, message: string): Diagnostic => ({ name, success: true, message });
const failed = (name: string, message: string, advice: string): Diagnostic => ({ name, success: false, message, advice });

/**
 * Cloud's side of the integration checked end to end, in the order an admin would fix it: the
 * OpenProject host, the OAuth pair, the `OpenProject` user/group/folder, its app password and
 * terms of service, and the background worker.
 */
export class IntegrationDiagnostics {
  constructor(
    private readonly integration: IntegrationService,
    private readonly settings: SettingsService,
    private readonly queue: JobQueue,
  ) {}

  async run(): Promise<Diagnostic[]> {
    const url = await this.integration.get('openproject_instance_url');
    const state = await this.integration.adminState();
    const results: Diagnostic[] = [];
    if (!url) {
      results.push(failed('openproject_host', 'No OpenProject host is set.', 'Enter the OpenProject host on Administration → OpenProject (or run `npm run connect`).'));
    } else {
      results.push(await this.localAddress(url));
      results.push(await this.reachable(url));
    }
    const clientCheck = state.openproject_client_check;
    results.push(
      clientCheck.status === 'invalid'
        ? failed('oauth_clients', clientCheck.message!, clientCheck.advice!)
        : state.openproject_client_id && state.openproject_client_secret_set && state.nc_oauth_client
        ? ok('oauth_clients', `OpenProject OAuth client ${state.openproject_client_id} and Nextcloud OAuth client ${state.nc_oauth_client.nextcloud_client_id} are set.`)
        : failed(
            'oauth_clients',
            state.nc_oauth_client ? 'The OpenProject OAuth client ID or secret is missing.' : 'The Nextcloud OAuth client for OpenProject does not exist.',
            'Copy the OAuth values of the storage in OpenProject (Administration → Files → External file storages) here, and the Nextcloud OAuth values back; "Replace" creates new ones.',
          ),
    );
    results.push(
      state.project_folder_info.status
        ? ok('project_folder', `User, group and folder "${OPENPROJECT}" are set up with all permissions, ACL and the user as manager.`)
        : failed(
            'project_folder',
            'errorMessage' in state.project_folder_info && state.project_folder_info.errorMessage ? state.project_folder_info.errorMessage : `User, group or folder "${OPENPROJECT}" is missing or has wrong permissions.`,
            `Use "Set up OpenProject user, group and folder" (POST /index.php/apps/integration_openproject/project-folder/repair puts existing ones right and keeps their files); see "Possible solutions to Project folders setup error".`,
          ),
    );
    results.push(
      state.app_password_set
        ? ok('app_password', `User "${OPENPROJECT}" has an app password.`)
        : failed('app_password', `User "${OPENPROJECT}" has no app password.`, 'Create one ("Replace application password") and enter it in OpenProject\'s storage under "Automatically managed folders".'),
    );
    results.push(
      state.all_terms_of_services_signed
        ? ok('terms_of_service', `User "${OPENPROJECT}" has accepted all terms of service.`)
        : failed('terms_of_service', `User "${OPENPROJECT}" has not accepted all terms of service.`, 'Open Administration → OpenProject and click "Sign terms of services" (POST /index.php/apps/integration_openproject/sign-term-of-service).'),
    );
    const { overdue } = await this.queue.stats(WORKER_OVERDUE_MS);
    results.push(
      overdue === 0
        ? ok('worker', 'No background jobs are waiting to be picked up.')
        : failed('worker', `${overdue} background jobs are waiting for more than 5 minutes.`, 'Start the Cloud worker (`npm run start:cloud`, or CLOUD_ROLE=worker next to the web process).'),
    );
    return results;
  }

  private async localAddress(url: string): Promise<Diagnostic> {
    const allowed = await this.settings.systemFlag('allow_local_remote_servers');
    if (allowed || !(await isLocalHost(new URL(url).hostname))) return ok('local_address', allowed ? 'Local remote servers are allowed.' : 'The OpenProject host has a public address.');
    return failed('local_address', 'Accessing OpenProject servers with local addresses is not allowed.', ALLOW_LOCAL_HINT);
  }

  private async reachable(url: string): Promise<Diagnostic> {
    const check = await this.integration.checkHost(url);
    if (check.result === true) return ok('openproject_reachable', `OpenProject answers at ${url.replace(/\/+$/, '')}/api/v3/.`);
    if (check.result === 'local_remote_servers_not_allowed') return failed('openproject_reachable', 'Not tried: the host has a local address.', ALLOW_LOCAL_HINT);
    if (check.details?.startsWith('certificate verify failed')) return failed('openproject_reachable', `OpenProject's TLS certificate is not trusted: ${check.details}.`, CERTIFICATE_ADVICE);
    const advice = `Check the host in a browser and with \`curl ${url}\` from the Cloud server; typical causes are firewalls, proxies or a bad TLS setup.`;
    return failed('openproject_reachable', `${check.message ?? check.result}${check.details ? ` (${check.details})` : ''}`, advice);
  }
}
