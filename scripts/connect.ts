/**
 * `npm run connect -- --projects URL --cloud URL`: pair a Projects and a Cloud instance through their
 * admin APIs only (the seed's setup guide, steps 1–5, without copying values by hand), then print the
 * diagnostics of both sides. Idempotent: a second run finds the storage by host and changes nothing.
 * Exit code 0 when every check passed, 1 when one failed, 2 on a setup error.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';

interface Check {
  name: string;
  success: boolean;
  message: string;
  advice?: string;
}

const { values: args } = parseArgs({
  options: {
    projects: { type: 'string' },
    cloud: { type: 'string' },
    'projects-user': { type: 'string' },
    'projects-password': { type: 'string' },
    'cloud-user': { type: 'string' },
    'cloud-password': { type: 'string' },
    name: { type: 'string', default: 'Nextcloud' },
  },
});

const base = (url: string) => url.trim().replace(/\/+$/, '');
const sameHost = (a: string | null | undefined, b: string) => !!a && base(new URL(a).href) === base(new URL(b).href);

async function secret(flag: string | undefined, env: string, label: string): Promise<string> {
  if (flag) return flag;
  if (process.env[env]) return process.env[env];
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(`${label}: `);
  } finally {
    rl.close();
  }
}

class HttpError extends Error {}

async function call(url: string, init: RequestInit & { headers: Record<string, string> }, body?: unknown): Promise<{ status: number; json: any }> {
  if (body !== undefined) init.headers['content-type'] = 'application/json';
  const response = await fetch(url, { ...init, body: body === undefined ? null : JSON.stringify(body), redirect: 'manual' });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

function expect(answer: { status: number; json: any }, what: string, ...ok: number[]) {
  if (!ok.includes(answer.status)) {
    const detail = answer.json?.error ?? answer.json?.message ?? answer.json?.ocs?.meta?.message ?? JSON.stringify(answer.json);
    throw new HttpError(`${what} failed: HTTP ${answer.status} ${detail ?? ''}`);
  }
  return answer.json;
}

async function main(): Promise<number> {
  if (!args.projects || !args.cloud) {
    console.error('usage: npm run connect -- --projects URL --cloud URL [--projects-user U --projects-password P --cloud-user U --cloud-password P] [--name Nextcloud]');
    return 2;
  }
  const projects = base(args.projects);
  const cloud = base(args.cloud);
  const projectsUser = args['projects-user'] ?? 'admin';
  const cloudUser = args['cloud-user'] ?? 'admin';
  const projectsPassword = await secret(args['projects-password'], 'PROJECTS_ADMIN_PASSWORD', `Projects password of ${projectsUser}`);
  const cloudPassword = await secret(args['cloud-password'], 'CLOUD_ADMIN_PASSWORD', `Cloud password of ${cloudUser}`);
  const changes: string[] = [];

  // --- Cloud: admin by Basic auth; Projects: a browser session with its CSRF token ---
  const cloudAuth = { authorization: `Basic ${Buffer.from(`${cloudUser}:${cloudPassword}`).toString('base64')}`, 'OCS-APIRequest': 'true', accept: 'application/json' };
  const nc = (method: string, path: string, body?: unknown) => call(`${cloud}${path}`, { method, headers: { ...cloudAuth } }, body);
  const app = (method: string, path: string, body?: unknown) => nc(method, `/index.php/apps/integration_openproject${path}`, body);
  const login = await fetch(`${projects}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: projectsUser, password: projectsPassword }) });
  if (login.status !== 200) throw new HttpError(`Projects login of ${projectsUser} failed: HTTP ${login.status}`);
  const session = { cookie: login.headers.get('set-cookie')?.split(';')[0] ?? '', 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
  const op = (method: string, path: string, body?: unknown) => call(`${projects}${path}`, { method, headers: { ...session } }, body);

  // 1. The OpenProject Integration app (Team folders is on by default; nothing else is enabled).
  const apps = expect(await nc('GET', '/ocs/v2.php/cloud/apps?filter=enabled&format=json'), 'Listing Cloud apps', 200);
  if (!(apps.ocs?.data?.apps ?? []).includes('integration_openproject')) {
    expect(await nc('POST', '/ocs/v2.php/cloud/apps/integration_openproject?format=json'), 'Enabling integration_openproject', 200);
    changes.push('enabled the Cloud app integration_openproject');
  }

  // 2. The storage in Projects, found by host.
  const list = expect(await op('GET', '/api/v3/storages'), 'Listing storages', 200);
  let storage = (list._embedded?.elements ?? []).find((s: any) => sameHost(s._links?.origin?.href, cloud));
  let opSecret: string | undefined;
  if (!storage) {
    storage = expect(await op('POST', '/api/v3/storages', { name: args.name, _links: { origin: { href: cloud }, type: { href: 'urn:openproject-org:api:v3:storages:Nextcloud' } } }), 'Creating the storage', 201);
    opSecret = storage._embedded.oauthApplication.clientSecret;
    changes.push(`created storage ${storage.id} "${storage.name}" in Projects`);
  }
  let opClientId: string | undefined = storage._embedded?.oauthApplication?.clientId;

  // 3. OpenProject's OAuth values and the host in Cloud. An existing application's secret is not readable: replace it only when Cloud lacks it.
  let state = expect(await app('GET', '/admin-state'), 'Reading the Cloud integration state', 200);
  const cloudHasOp = sameHost(state.openproject_instance_url || null, projects) && state.openproject_client_id === opClientId && state.openproject_client_secret_set;
  if (!cloudHasOp) {
    if (!opSecret) {
      const replaced = expect(await op('POST', `/api/admin/storages/${storage.id}/oauth_application`), 'Replacing the OpenProject OAuth application', 200);
      opClientId = replaced._embedded.oauthApplication.clientId;
      opSecret = replaced._embedded.oauthApplication.clientSecret;
      changes.push('replaced the OpenProject OAuth application (Cloud did not have its secret)');
    }
    const values = { openproject_instance_url: projects, authorization_method: 'oauth2', openproject_client_id: opClientId, openproject_client_secret: opSecret, default_enable_navigation: false, default_enable_unified_search: false };
    expect(await app('PATCH', '/setup', { values }), 'Setting the OpenProject host and OAuth values in Cloud', 200);
    changes.push('set the OpenProject host and OAuth client in Cloud');
    state = expect(await app('GET', '/admin-state'), 'Reading the Cloud integration state', 200);
  }

  // 4. Cloud's OAuth values in Projects (a new pair only when the two sides disagree).
  const storageClientId = storage._embedded?.oauthClientCredentials?.clientId;
  if (!state.nc_oauth_client || state.nc_oauth_client.nextcloud_client_id !== storageClientId) {
    const client = expect(await app('POST', '/nc-oauth'), 'Creating the Nextcloud OAuth client', 200);
    expect(await op('POST', `/api/v3/storages/${storage.id}/oauth_client_credentials`, { clientId: client.nextcloud_client_id, clientSecret: client.nextcloud_client_secret }), 'Storing the Nextcloud OAuth client in Projects', 201);
    changes.push('created the Nextcloud OAuth client and gave it to Projects');
  }

  // 5. Automatically managed folders: user/group/folder OpenProject and its app password in Projects.
  let appPassword: string | undefined;
  if (!state.project_folder_info.status) {
    if (state.project_folder_info.errorMessage) {
      expect(await app('POST', '/project-folder/repair'), 'Repairing the OpenProject user/group/folder', 200);
      changes.push('put the existing OpenProject user/group/folder right');
    } else {
      const set = expect(await app('PATCH', '/setup', { values: { setup_project_folder: true, setup_app_password: true } }), 'Setting up the OpenProject user/group/folder', 200);
      appPassword = set.openproject_user_app_password;
      changes.push('created the OpenProject user, group and folder');
    }
  }
  const fresh = expect(await op('GET', `/api/v3/storages/${storage.id}`), 'Reading the storage', 200);
  if (!appPassword && (!fresh.hasApplicationPassword || !state.app_password_set || state.fresh_project_folder_setup)) {
    // Both keys together also record that the project-folder step is done (Cloud's `fresh_project_folder_setup`).
    const set = expect(await app('PATCH', '/setup', { values: { setup_project_folder: false, setup_app_password: true } }), 'Creating the OpenProject app password', 200);
    appPassword = set.openproject_user_app_password;
  }
  if (appPassword) {
    expect(await op('PATCH', `/api/v3/storages/${storage.id}`, { applicationPassword: appPassword }), 'Giving Projects the app password', 200);
    changes.push('gave Projects a new app password of user OpenProject');
  }

  console.log(changes.length ? `Changes:\n${changes.map((c) => `  - ${c}`).join('\n')}` : 'Already connected: nothing changed.');

  // Diagnostics of both sides.
  const sides: [string, Check[]][] = [
    ['Projects', expect(await op('GET', `/api/admin/storages/${storage.id}/diagnostics`), 'Projects diagnostics', 200, 503).checks],
    ['Cloud', expect(await app('GET', '/diagnostics'), 'Cloud diagnostics', 200, 503).checks],
  ];
  let failures = 0;
  for (const [side, checks] of sides) {
    console.log(`\n${side} diagnostics:`);
    for (const check of checks) {
      console.log(`  ${check.success ? 'PASS' : 'FAIL'} ${check.name}: ${check.message}`);
      if (!check.success) {
        failures += 1;
        console.log(`       → ${check.advice}`);
      }
    }
  }
  console.log(failures ? `\n${failures} check(s) failed.` : '\nAll checks passed.');
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof HttpError ? error.message : error);
    process.exit(2);
  },
);
