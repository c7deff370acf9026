import type { Outbound, SecretBox } from '@tandem/core';
import type { HealthService } from '../health/service.ts';
import { checkAppPassword, checkNextcloudOAuthClient, HOST_MESSAGES, validateNextcloudHost } from './nextcloud.ts';
import type { StorageView } from './service.ts';

/** One check of the seed's Troubleshooting section: its outcome and, when it failed, what to do. */
export interface Diagnostic {
  name: string;
  success: boolean;
  message: string;
  advice?: string;
}

const ok = (name: string, message: string): Diagnostic => ({ name, success: true, message });
const failed = (name: string, message: string, advice: string): Diagnostic => ({ name, success: false, message, advice });

/** The host checks in the order OpenProject's host validator runs them; the first failure ends the chain. */
const HOST_CHAIN = ['reachable', 'tls', 'capabilities', 'authorization_header'] as const;

/** Which host check a host-validator message belongs to, and its advice. */
function hostFailure(message: string): { name: (typeof HOST_CHAIN)[number]; advice: string } {
  if (message.includes('certificate verify failed')) {
    return { name: 'tls', advice: "Add the CA certificate of Nextcloud's TLS certificate to the file PROJECTS_CA_BUNDLE names (it is re-read on every request), or to the system's CA store." };
  }
  if (message === HOST_MESSAGES.cannot_be_connected_to) {
    return { name: 'reachable', advice: 'Check the host URL and that this server can reach it (`curl <host>/status.php` from the Projects server); look for firewalls and proxies.' };
  }
  if (message === HOST_MESSAGES.authorization_header_missing) {
    return { name: 'authorization_header', advice: 'Configure the web server or proxy in front of Nextcloud to pass the Authorization header on (Apache: `SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1`).' };
  }
  return { name: 'capabilities', advice: 'Install or enable the "OpenProject Integration" app (2.6.3 or higher) on Nextcloud 23 or higher.' };
}

/**
 * A storage checked end to end from Projects: host reachable, TLS trusted, versions and the
 * integration app, the Authorization header arriving at check-config, the OAuth pair, the app
 * password of the `OpenProject` user, and the worker that syncs project folders.
 */
export class StorageDiagnostics {
  constructor(
    private readonly outbound: Outbound,
    private readonly secrets: SecretBox,
    private readonly health: HealthService,
  ) {}

  async run(view: StorageView): Promise<Diagnostic[]> {
    const { row, fields } = view;
    const results: Diagnostic[] = [];
    const hostMessage = row.host ? await validateNextcloudHost(this.outbound, row.host) : HOST_MESSAGES.invalid_url;
    const failure = hostMessage ? hostFailure(hostMessage) : undefined;
    for (const name of HOST_CHAIN) {
      if (failure?.name === name) {
        results.push(failed(name, hostMessage!, failure.advice));
        break;
      }
      results.push(ok(name, HOST_PASSED[name]));
    }
    results.push(await this.oauthClients(view, !failure));
    if (view.automaticallyManaged === null) {
      results.push(failed('app_password', 'Automatically managed folders are not configured yet.', 'Choose on the storage page whether folders are managed automatically; if so, enter the app password Nextcloud shows for user "OpenProject".'));
    } else if (!view.automaticallyManaged || !row.password_sealed) {
      results.push(ok('app_password', 'Folders are not managed automatically: no app password needed.'));
    } else {
      const problem = await checkAppPassword(this.outbound, row.host!, fields.username ?? 'OpenProject', this.secrets.decrypt(row.password_sealed));
      results.push(
        problem
          ? failed('app_password', problem, 'Create a new app password in Nextcloud (Administration → OpenProject → "Replace application password") and enter it on the storage page.')
          : ok('app_password', `The app password of user "${fields.username ?? 'OpenProject'}" is accepted by Nextcloud.`),
      );
    }
    const [worker] = await this.health.run(['worker']);
    results.push(worker!.success ? ok('worker', worker!.message) : failed('worker', worker!.message, 'Start the Projects worker (`npm run start:projects`, or PROJECTS_ROLE=worker next to the web process); it syncs project folders.'));
    return results;
  }

  /** The OAuth pair is set, and (when the host answers) Nextcloud still knows its client: a Reset there deletes it. */
  private async oauthClients(view: StorageView, hostFine: boolean): Promise<Diagnostic> {
    const { application, client, row } = view;
    if (!application || !client) {
      return failed('oauth_clients', view.incomplete.filter((m) => /OAuth/.test(m)).join(' '), 'Copy the OAuth values between the storage page here and Administration → OpenProject in Nextcloud (or run `npm run connect`).');
    }
    const secret = client.client_secret_sealed ? this.secrets.decrypt(client.client_secret_sealed) : '';
    const problem = hostFine ? await checkNextcloudOAuthClient(this.outbound, row.host!, client.client_id, secret) : undefined;
    if (problem) {
      return failed(
        'oauth_clients',
        problem,
        'Replace the Nextcloud OAuth values: in Nextcloud, Administration → OpenProject, "Replace" the Nextcloud OAuth values (or set the integration up again after a Reset), then enter the new client ID and secret on the storage page ("Replace Nextcloud OAuth"); users log in to Nextcloud again.',
      );
    }
    return ok('oauth_clients', `OpenProject OAuth application ${application.uid} and Nextcloud OAuth client ${client.client_id} are set${hostFine ? '; Nextcloud knows the client' : ''}.`);
  }
}

const HOST_PASSED: Record<(typeof HOST_CHAIN)[number], string> = {
  reachable: 'The host answers.',
  tls: 'The TLS certificate is trusted (or the host uses plain HTTP).',
  capabilities: 'Nextcloud and the OpenProject Integration app meet the minimal versions.',
  authorization_header: 'The Authorization header reaches Nextcloud (check-config echoes it).',
};
