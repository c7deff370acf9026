import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { privateCa, startProxy } from '../../../../projects/src/storages/testing.ts';
import { startTestProjects, type TestProjects } from '../../../../projects/src/testing.ts';
import { startTestCloud, TEST_ADMIN_PASSWORD, type TestCloud } from '../../testing.ts';

const BASE = '/index.php/apps/integration_openproject';

// Seed troubleshooting: a self-signed / private-CA OpenProject gives "certificate verify failed" until Cloud trusts its CA.
for (const dialect of testDialects()) {
  describe(`OpenProject host behind a private-CA certificate on ${dialect}`, () => {
    let cloud: TestCloud;
    let projects: TestProjects;
    let ca: ReturnType<typeof privateCa>;
    let bundle: string;
    let proxy: Awaited<ReturnType<typeof startProxy>>;

    const call = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${cloud.url}${BASE}${route}`, {
        method,
        headers: { authorization: cloud.basic('admin', TEST_ADMIN_PASSWORD), accept: 'application/json', 'ocs-apirequest': 'true', ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const reachable = async () => (await call('GET', '/diagnostics')).body.checks.find((c: { name: string }) => c.name === 'openproject_reachable');

    before(async () => {
      ca = privateCa();
      bundle = path.join(ca.dir, 'bundle.pem');
      projects = await startTestProjects(dialect);
      proxy = await startProxy(projects.url, { tls: { key: ca.key, cert: ca.cert } });
      cloud = await startTestCloud(dialect, { CLOUD_CA_BUNDLE: bundle });
      await cloud.services.settings.setAppEnabled('integration_openproject', true);
      await cloud.services.settings.repository.setSystem('allow_local_remote_servers', '1');
      await cloud.services.settings.repository.setApp('integration_openproject', 'openproject_instance_url', proxy.url);
    });
    after(async () => {
      await proxy?.close();
      await cloud?.stop();
      await projects?.stop();
      fs.rmSync(ca.dir, { recursive: true, force: true });
    });

    it('reports "certificate verify failed" with advice in the host check and the diagnostics', async () => {
      const check = await call('POST', '/is-valid-op-instance', { url: proxy.url });
      assert.equal(check.body.result, 'network_error');
      assert.match(check.body.details, /^certificate verify failed/);
      assert.match(check.body.message, /certificate verify failed.*CLOUD_CA_BUNDLE/);
      const diagnostic = await reachable();
      assert.equal(diagnostic.success, false);
      assert.match(diagnostic.message, /certificate verify failed/);
      assert.match(diagnostic.advice, /CLOUD_CA_BUNDLE/);
    });

    it('validates the same host once its CA is in CLOUD_CA_BUNDLE, without a restart', async () => {
      fs.writeFileSync(bundle, ca.ca);
      assert.deepEqual((await call('POST', '/is-valid-op-instance', { url: proxy.url })).body, { result: true });
      assert.equal((await reachable()).success, true);
    });
  });
}
