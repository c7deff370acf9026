import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, TEST_ADMIN_PASSWORD, type TestCloud } from '../testing.ts';

for (const dialect of testDialects()) {
  describe(`terms_of_service app on ${dialect}`, () => {
    let cloud: TestCloud;
    let admin: string;
    const call = async (method: string, path: string, auth: string, body?: Record<string, unknown>) => {
      const response = await fetch(`${cloud.url}${path}`, {
        method,
        headers: { authorization: auth, 'ocs-apirequest': 'true', accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const tos = (method: string, path: string, auth: string, body?: Record<string, unknown>) =>
      call(method, `/ocs/v2.php/apps/terms_of_service${path}`, auth, body);
    const alice = () => cloud.basic('alice', 'alice-password');
    const integration = (method: string, path: string) => call(method, `/index.php/apps/integration_openproject${path}`, admin);

    before(async () => {
      cloud = await startTestCloud(dialect);
      admin = cloud.basic('admin', TEST_ADMIN_PASSWORD);
      await cloud.createUser('alice');
    });
    after(() => cloud.stop());

    it('admins write terms; a user has signed only after accepting every current text', async () => {
      assert.equal((await tos('GET', '/terms', alice())).status, 404);
      await cloud.services.settings.setAppEnabled('terms_of_service', true);
      assert.equal((await tos('POST', '/terms', alice(), { languageCode: 'en', body: 'Be nice.' })).status, 403);
      const created = await tos('POST', '/terms', admin, { languageCode: 'en', body: 'Be nice.' });
      assert.equal(created.status, 200);
      const termId = created.body.ocs.data.id as number;

      const before = (await tos('GET', '/terms', alice())).body.ocs.data;
      assert.equal(before.hasSigned, false);
      assert.deepEqual(before.terms.map((t: { body: string }) => t.body), ['Be nice.']);
      assert.equal((await tos('POST', '/sign', alice(), { termId })).status, 200);
      assert.equal((await tos('GET', '/terms', alice())).body.ocs.data.hasSigned, true);

      // A changed text must be accepted again.
      await tos('POST', '/terms', admin, { languageCode: 'en', body: 'Be very nice.' });
      const unsigned = (await tos('GET', '/terms', alice())).body.ocs.data;
      assert.equal(unsigned.hasSigned, false);

      // WebDAV answers as the real app's DAV plugin until the user accepted.
      const propfind = () => fetch(`${cloud.url}/remote.php/dav/files/alice/`, { method: 'PROPFIND', headers: { authorization: alice(), depth: '0' } });
      const refused = await propfind();
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /<s:exception>Sabre\\DAV\\Exception\\Forbidden<\/s:exception>\s*<s:message>Terms of service are not signed<\/s:message>/);
      assert.equal((await fetch(`${cloud.url}/remote.php/dav`, { method: 'HEAD', headers: { authorization: alice() } })).status, 403);
      await tos('POST', '/sign', alice(), { termId: unsigned.terms[0].id });
      assert.equal((await propfind()).status, 207);
    });

    it('signs for user OpenProject at setup and whenever terms change; the admin page detects and fixes a missing signature', async () => {
      await cloud.services.settings.setAppEnabled('integration_openproject', true);
      const setup = await call('PUT', '/index.php/apps/integration_openproject/admin-config', admin, { values: { setup_project_folder: true } });
      assert.equal(setup.status, 200);
      assert.equal(await cloud.services.terms.hasSigned('OpenProject'), true);
      // OpenProject's own check of its app password (HEAD remote.php/dav) works.
      const password = (await call('PUT', '/index.php/apps/integration_openproject/admin-config', admin, { values: { setup_app_password: true } })).body.oPUserAppPassword;
      assert.equal((await fetch(`${cloud.url}/remote.php/dav`, { method: 'HEAD', headers: { authorization: cloud.basic('OpenProject', password) } })).status, 200);
      await tos('POST', '/terms', admin, { languageCode: 'de', body: 'Sei nett.' });
      assert.equal(await cloud.services.terms.hasSigned('OpenProject'), true);

      // Terms written while the integration was off are not signed for it.
      await cloud.services.settings.setAppEnabled('integration_openproject', false);
      await tos('POST', '/terms', admin, { languageCode: 'fr', body: 'Soyez gentil.' });
      await cloud.services.settings.setAppEnabled('integration_openproject', true);
      assert.equal((await integration('GET', '/admin-state')).body.all_terms_of_services_signed, false);
      assert.deepEqual((await integration('POST', '/sign-term-of-service')).body, { result: true });
      assert.equal((await integration('GET', '/admin-state')).body.all_terms_of_services_signed, true);
    });
  });
}
