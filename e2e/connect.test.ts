import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, TEST_ADMIN_PASSWORD as CLOUD_PASSWORD, type TestCloud } from '../apps/cloud/src/testing.ts';
import { privateCa, startProxy } from '../apps/projects/src/storages/testing.ts';
import { startTestProjects, TEST_ADMIN_PASSWORD as PROJECTS_PASSWORD, type TestProjects } from '../apps/projects/src/testing.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** `npm run connect` as a real process (async: both servers live in this process). */
function connect(projects: string, cloud: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/connect.ts', '--projects', projects, '--cloud', cloud],
      { cwd: ROOT, env: { ...process.env, PROJECTS_ADMIN_PASSWORD: PROJECTS_PASSWORD, CLOUD_ADMIN_PASSWORD: CLOUD_PASSWORD } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

interface Check {
  name: string;
  success: boolean;
  message: string;
  advice?: string;
}

for (const dialect of testDialects()) {
  describe(`npm run connect and diagnostics on ${dialect}`, () => {
    let cloud: TestCloud;
    let projects: TestProjects;
    let ca: ReturnType<typeof privateCa>;
    let storageId: number;
    const closers: (() => Promise<void>)[] = [];

    before(async () => {
      ca = privateCa();
      cloud = await startTestCloud(dialect);
      // Both servers listen on 127.0.0.1: Cloud must be allowed to reach local servers (the operator's occ step).
      await cloud.services.settings.repository.setSystem('allow_local_remote_servers', '1');
      projects = await startTestProjects(dialect, { PROJECTS_CA_BUNDLE: path.join(ca.dir, 'bundle.pem') });
    });
    after(async () => {
      for (const close of closers) await close();
      await projects?.stop();
      await cloud?.stop();
      fs.rmSync(ca.dir, { recursive: true, force: true });
    });

    const cloudDiagnostics = async () => {
      const response = await fetch(`${cloud.url}/index.php/apps/integration_openproject/diagnostics`, { headers: { authorization: cloud.basic('admin', CLOUD_PASSWORD) } });
      return { status: response.status, ...((await response.json()) as { success: boolean; checks: Check[] }) };
    };
    const projectsDiagnostics = async () => {
      const answer = await projects.api('GET', `/api/admin/storages/${storageId}/diagnostics`, { auth: projects.adminAuth });
      return { status: answer.status, ...(answer.body as { success: boolean; checks: Check[] }) };
    };
    const failing = (checks: Check[]) => checks.filter((c) => !c.success);
    /** The storage's host, set directly (the API re-validates a host, and the point here is a host gone bad). */
    const setHost = (host: string) => projects.services.storages.repository.update(storageId, { host: host.endsWith('/') ? host : `${host}/` });
    const appPasswordIds = async () => (await cloud.services.auth.listAppPasswords('OpenProject')).map((t) => t.id);

    it('pairs two fresh servers in one run: Cloud setup complete, storage complete with managed folders, all diagnostics green', async () => {
      const run = await connect(projects.url, cloud.url);
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /created storage \d+ "Nextcloud" in Projects/);
      assert.match(run.output, /All checks passed\./);

      const state = await cloud.services.integrationOpenProject.adminState();
      assert.equal(state.status, true);
      assert.equal(state.openproject_instance_url, projects.url);
      assert.deepEqual(state.project_folder_info, { status: true });
      assert.equal(state.app_password_set, true);

      const storages = await projects.api('GET', '/api/v3/storages', { auth: projects.adminAuth });
      assert.equal(storages.body.total, 1);
      storageId = storages.body._embedded.elements[0].id;
      const setup = await projects.api('GET', `/api/admin/storages/${storageId}/setup`, { auth: projects.adminAuth });
      assert.equal(setup.body.configured, true);
      assert.equal(setup.body.automaticallyManaged, true);
      assert.deepEqual(setup.body.incomplete, []);
      assert.equal(setup.body.storage._embedded.oauthClientCredentials.clientId, state.nc_oauth_client?.nextcloud_client_id);
      assert.equal(setup.body.storage._embedded.oauthApplication.clientId, state.openproject_client_id);

      const fromCloud = await cloudDiagnostics();
      assert.equal(fromCloud.status, 200, JSON.stringify(failing(fromCloud.checks)));
      assert.deepEqual(fromCloud.checks.map((c) => c.name), ['local_address', 'openproject_reachable', 'oauth_clients', 'project_folder', 'app_password', 'terms_of_service', 'worker']);
      const fromProjects = await projectsDiagnostics();
      assert.equal(fromProjects.status, 200, JSON.stringify(failing(fromProjects.checks)));
      assert.deepEqual(fromProjects.checks.map((c) => c.name), ['reachable', 'tls', 'capabilities', 'authorization_header', 'oauth_clients', 'app_password', 'worker']);
      const health = await fetch(`${projects.url}/health_checks/all.json`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as Record<string, { success: boolean }>).storages?.success, true);
    });

    it('a second run changes nothing and says so: same storage, same OAuth clients, no new app password', async () => {
      const before = {
        state: await cloud.services.integrationOpenProject.adminState(),
        storage: (await projects.api('GET', `/api/v3/storages/${storageId}`, { auth: projects.adminAuth })).body,
        passwords: await appPasswordIds(),
      };
      const run = await connect(`${projects.url}/`, cloud.url);
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /Already connected: nothing changed\./);
      const state = await cloud.services.integrationOpenProject.adminState();
      const storage = (await projects.api('GET', `/api/v3/storages/${storageId}`, { auth: projects.adminAuth })).body;
      assert.deepEqual(state.nc_oauth_client, before.state.nc_oauth_client);
      assert.equal(state.openproject_client_id, before.state.openproject_client_id);
      assert.equal(storage._embedded.oauthApplication.id, before.storage._embedded.oauthApplication.id);
      assert.equal(storage._embedded.oauthClientCredentials.id, before.storage._embedded.oauthClientCredentials.id);
      assert.deepEqual(await appPasswordIds(), before.passwords);
      assert.equal((await projects.api('GET', '/api/v3/storages', { auth: projects.adminAuth })).body.total, 1);
    });

    it('Projects: a proxy stripping the Authorization header fails authorization_header with the web-server advice', async () => {
      const stripping = await startProxy(cloud.url, { stripAuthorization: true });
      closers.push(stripping.close);
      await setHost(stripping.url);
      try {
        const result = await projectsDiagnostics();
        assert.equal(result.status, 503);
        const [check] = failing(result.checks);
        assert.equal(check?.name, 'authorization_header');
        assert.match(check!.message, /^Host is not fully set up/);
        assert.match(check!.advice!, /pass the Authorization header on/);
        const health = await fetch(`${projects.url}/health_checks/all`);
        assert.equal(health.status, 500);
        assert.match(await health.text(), /storages: FAILED Nextcloud: authorization_header/);
        assert.equal((await fetch(`${projects.url}/health_checks/default`)).status, 200, 'default stays a liveness probe');
      } finally {
        await setHost(cloud.url);
      }
    });

    it('Projects: a self-signed TLS certificate fails tls with the CA-bundle advice, and passes once the CA is in the bundle', async () => {
      const secure = await startProxy(cloud.url, { tls: { key: ca.key, cert: ca.cert } });
      closers.push(secure.close);
      await setHost(secure.url);
      try {
        const untrusted = await projectsDiagnostics();
        const [check] = failing(untrusted.checks);
        assert.equal(check?.name, 'tls');
        assert.match(check!.message, /certificate verify failed/);
        assert.match(check!.advice!, /PROJECTS_CA_BUNDLE/);
        fs.writeFileSync(path.join(ca.dir, 'bundle.pem'), ca.ca);
        const trusted = await projectsDiagnostics();
        assert.deepEqual(failing(trusted.checks), []);
      } finally {
        await setHost(cloud.url);
      }
    });

    it('Projects: a replaced app password fails app_password with "Application password is not valid." and how to renew it', async () => {
      await cloud.services.integrationOpenProject.replaceAppPassword();
      const [check] = failing((await projectsDiagnostics()).checks);
      assert.equal(check?.name, 'app_password');
      assert.equal(check!.message, 'Application password is not valid.');
      assert.match(check!.advice!, /Replace application password/);
      // connect repairs nothing it cannot see (Cloud has an app password, Projects one): diagnostics tell, the exit code says so.
      const run = await connect(projects.url, cloud.url);
      assert.equal(run.code, 1, run.output);
      assert.match(run.output, /FAIL app_password: Application password is not valid\./);
    });

    it('Cloud: a local OpenProject host without allow_local_remote_servers fails local_address with the occ command', async () => {
      await cloud.services.settings.repository.deleteSystem('allow_local_remote_servers');
      try {
        const result = await cloudDiagnostics();
        assert.equal(result.status, 503);
        const local = result.checks.find((c) => c.name === 'local_address')!;
        assert.equal(local.success, false);
        assert.match(local.advice!, /config:system:set allow_local_remote_servers --value 1/);
      } finally {
        await cloud.services.settings.repository.setSystem('allow_local_remote_servers', '1');
      }
    });

    it('Cloud: terms of service the OpenProject user has not signed fail terms_of_service with how to sign them', async () => {
      // Terms written while the integration was off are not signed automatically.
      await cloud.services.settings.setAppEnabled('integration_openproject', false);
      await cloud.services.settings.setAppEnabled('terms_of_service', true);
      await cloud.services.terms.save('en', 'Be nice.');
      await cloud.services.settings.setAppEnabled('integration_openproject', true);
      const [check] = failing((await cloudDiagnostics()).checks);
      assert.equal(check?.name, 'terms_of_service');
      assert.match(check!.advice!, /Sign terms of services/);
      await cloud.services.integrationOpenProject.signTerms();
      assert.deepEqual(failing((await cloudDiagnostics()).checks), []);
    });

    it('both sides: a stopped worker fails worker with how to start it', async () => {
      await cloud.worker?.stop();
      await cloud.services.queue.enqueue('diagnostics:never-picked-up', {}, { runAt: Date.now() - 10 * 60_000 });
      const [cloudCheck] = failing((await cloudDiagnostics()).checks);
      assert.equal(cloudCheck?.name, 'worker');
      assert.match(cloudCheck!.advice!, /Start the Cloud worker/);

      await projects.worker?.stop();
      // What the worker's own shutdown does: its heartbeat goes.
      await projects.services.db.deleteFrom('worker_processes').execute();
      const result = await projectsDiagnostics();
      const projectsCheck = failing(result.checks).find((c) => c.name === 'worker');
      assert.equal(projectsCheck?.message, 'No good_job processes are active.');
      assert.match(projectsCheck!.advice!, /Start the Projects worker/);
    });
  });
}
