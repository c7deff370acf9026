import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, TEST_ADMIN_PASSWORD, type TestCloud } from '../../testing.ts';

const SETUP = '/index.php/apps/integration_openproject/setup';
const FULL = {
  openproject_instance_url: 'http://some-host.de',
  openproject_client_id: 'the-client-id',
  openproject_client_secret: 'the-client-secret',
  default_enable_navigation: false,
  default_enable_unified_search: false,
  setup_project_folder: false,
  setup_app_password: false,
};

for (const dialect of testDialects()) {
  describe(`integration_openproject setup API on ${dialect}`, () => {
    let cloud: TestCloud;
    const send = async (method: string, values: unknown, auth?: string) => {
      const response = await fetch(`${cloud.url}${SETUP}`, {
        method,
        headers: { authorization: auth ?? cloud.basic('admin', TEST_ADMIN_PASSWORD), 'content-type': 'application/json' },
        body: JSON.stringify(values === undefined ? {} : { values }),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const webdav = async (password: string) =>
      (await fetch(`${cloud.url}/remote.php/webdav/`, { method: 'PROPFIND', headers: { authorization: cloud.basic('OpenProject', password), depth: '0' } })).status;

    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.services.settings.setAppEnabled('integration_openproject', true);
      await cloud.createUser('alice');
    });
    after(() => cloud.stop());

    it('POST answers each invalid request with its exact message and changes nothing', async () => {
      const cases: [unknown, string][] = [
        [undefined, 'Invalid settings.'],
        [{}, 'Invalid settings.'],
        [{ ...FULL, instance_url: 'x' }, 'Unknown setting: instance_url'],
        [{ ...FULL, openproject_instance_url: undefined }, 'Missing required field: openproject_instance_url'],
        [{ ...FULL, authorization_method: 'saml' }, 'Invalid authorization method.'],
        [{ ...FULL, authorization_method: null }, 'Invalid authorization method.'],
        [{ ...FULL, openproject_client_secret: undefined }, 'Missing required field: openproject_client_secret'],
        [{ ...FULL, default_enable_navigation: undefined }, 'Missing required field: default_enable_navigation'],
        [
          { ...FULL, setup_project_folder: true },
          'Invalid team folder setup configuration: Both "setup_project_folder" and "setup_app_password" must be either true or false.',
        ],
        [{ ...FULL, openproject_client_id: '' }, 'Invalid value for setting: openproject_client_id'],
        [{ ...FULL, default_enable_navigation: 'false' }, 'Invalid value for setting: default_enable_navigation'],
        [{ ...FULL, openproject_instance_url: 'ftp://somehost.de' }, 'Invalid OpenProject URL.'],
      ];
      for (const [values, message] of cases) {
        const answer = await send('POST', values);
        assert.deepEqual(answer, { status: 400, body: { error: message } }, JSON.stringify(values));
      }
      assert.deepEqual(await cloud.services.oauth.listClients(), []);
      const alice = await send('POST', FULL, cloud.basic('alice', 'alice-password'));
      assert.deepEqual(alice, { status: 403, body: { message: 'Logged in account must be an admin' } });
    });

    it('POST sets everything up and answers the OAuth client for OpenProject', async () => {
      const answer = await send('POST', FULL);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.status, true);
      assert.equal(answer.body.nextcloud_oauth_client_name, 'OpenProject client');
      assert.match(answer.body.openproject_redirect_uri, /^http:\/\/some-host\.de\/oauth_clients\/[A-Za-z0-9]+\/callback$/);
      assert.match(answer.body.nextcloud_client_id, /^[A-Za-z0-9]{64}$/);
      assert.match(answer.body.nextcloud_client_secret, /^[A-Za-z0-9]{64}$/);
      assert.equal('openproject_revocation_status' in answer.body, false);
      assert.equal('openproject_user_app_password' in answer.body, false);
      // Every POST makes a new client: exactly one exists afterwards.
      const again = await send('POST', { ...FULL, setup_project_folder: true, setup_app_password: true });
      assert.equal(again.status, 200);
      assert.notEqual(again.body.nextcloud_client_id, answer.body.nextcloud_client_id);
      assert.equal((await cloud.services.oauth.listClients()).length, 1);
      assert.equal(await webdav(again.body.openproject_user_app_password), 207);
      assert.deepEqual(await send('POST', { ...FULL, setup_project_folder: true, setup_app_password: true }), {
        status: 409,
        body: { error: 'The user "OpenProject" already exists' },
      });
    });

    it('PATCH validates types only and answers the existing client without its secret', async () => {
      const cases: [unknown, string][] = [
        [{ openproject_instance_url: false }, 'Invalid value for setting: openproject_instance_url'],
        [{ default_enable_navigation: 'string' }, 'Invalid value for setting: default_enable_navigation'],
        [{ openproject_client_secret: '' }, 'Invalid value for setting: openproject_client_secret'],
        [{ default_enable_unified_search: null }, 'Invalid value for setting: default_enable_unified_search'],
        [{ instance_url: 'http://x.de' }, 'Unknown setting: instance_url'],
        [{ sso_provider_type: 'unknown' }, 'Invalid value for setting: sso_provider_type'],
        [{ token_exchange: 'true' }, 'Invalid value for setting: token_exchange'],
      ];
      for (const [values, message] of cases) assert.deepEqual(await send('PATCH', values), { status: 400, body: { error: message } });

      const client = (await cloud.services.oauth.listClients())[0]!;
      const answer = await send('PATCH', { default_enable_navigation: true, setup_app_password: true });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.status, true);
      assert.equal(answer.body.id, client.id);
      assert.equal(answer.body.nextcloud_client_id, client.clientId);
      assert.equal('nextcloud_client_secret' in answer.body, false);
      assert.equal(await webdav(answer.body.openproject_user_app_password), 207);
      assert.equal(await cloud.services.integrationOpenProject.get('default_enable_navigation'), '1');
    });

    it('DELETE resets (client gone, app password kept); PATCH then sets up again with a new client', async () => {
      const password = (await send('PATCH', { setup_app_password: true })).body.openproject_user_app_password as string;
      const reset = await send('DELETE', undefined);
      assert.deepEqual(reset, { status: 200, body: { status: true } });
      assert.deepEqual(await cloud.services.oauth.listClients(), []);
      assert.equal(await webdav(password), 207);
      assert.equal(await cloud.services.integrationOpenProject.isConfigOk(), false);

      const patched = await send('PATCH', {
        openproject_instance_url: 'http://some-host.de',
        openproject_client_id: 'the-client-id',
        openproject_client_secret: 'the-client-secret',
        setup_project_folder: false,
        setup_app_password: true,
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.status, true);
      assert.match(patched.body.nextcloud_client_secret, /^[A-Za-z0-9]{64}$/);
      assert.equal(await webdav(password), 401);
      assert.equal(await webdav(patched.body.openproject_user_app_password), 207);
    });
  });
}
