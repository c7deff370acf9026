import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, TEST_ADMIN_PASSWORD, type TestCloud } from '../testing.ts';
import { loadCassette } from './cassettes.ts';
import { renderOcs } from './envelope.ts';

describe('OCS envelope rendering', () => {
  it('writes XML the way PHP XMLWriter does: indentation, <element>, empty and null values, booleans', () => {
    const { body, status, contentType } = renderOcs(1, 'xml', {
      statuscode: 100,
      data: { users: ['a&b'], none: null, empty: [], yes: true, no: false, blank: '', nested: { n: 1.5 } },
    });
    assert.equal(status, 200);
    assert.equal(contentType, 'application/xml; charset=utf-8');
    assert.equal(
      body,
      '<?xml version="1.0"?>\n<ocs>\n <meta>\n  <status>ok</status>\n  <statuscode>100</statuscode>\n  <message>OK</message>\n' +
        '  <totalitems></totalitems>\n  <itemsperpage></itemsperpage>\n </meta>\n <data>\n  <users>\n   <element>a&amp;b</element>\n  </users>\n' +
        '  <none/>\n  <empty/>\n  <yes>1</yes>\n  <no></no>\n  <blank></blank>\n  <nested>\n   <n>1.5</n>\n  </nested>\n </data>\n</ocs>\n',
    );
  });

  it('maps OCS codes to HTTP statuses: v1 always 200 except 997, v2 the code itself', () => {
    assert.equal(renderOcs(1, 'json', { statuscode: 404, message: 'x' }).status, 200);
    assert.equal(renderOcs(1, 'json', { statuscode: 997 }).status, 401);
    assert.equal(renderOcs(2, 'json', { statuscode: 404 }).status, 404);
    assert.equal(renderOcs(2, 'json', { statuscode: 102 }).status, 400);
    assert.equal(renderOcs(2, 'json', { statuscode: 998 }).status, 404);
    assert.equal(renderOcs(2, 'json', { statuscode: 996 }).status, 500);
    const v2 = JSON.parse(renderOcs(2, 'json', { statuscode: 100, data: { a: '/' } }).body);
    assert.deepEqual(v2.ocs.meta, { status: 'ok', statuscode: 200, message: 'OK' });
    // PHP's json_encode escapes slashes; parsers read the same value back.
    assert.match(renderOcs(2, 'json', { statuscode: 100, data: { a: '/' } }).body, /"a":"\\\/"/);
    assert.deepEqual(JSON.parse(renderOcs(1, 'json', { statuscode: 103 }).body).ocs, {
      meta: { status: 'failure', statuscode: 103, message: '', totalitems: '', itemsperpage: '' },
      data: [],
    });
  });
});

/** The tag names of the direct children of `<data>` in an OCS XML body. */
function dataChildren(xml: string): string[] {
  return [...xml.matchAll(/^ {2}<([\w-]+)/gm)].map((m) => m[1]!).filter((name) => !['status', 'statuscode', 'message', 'totalitems', 'itemsperpage'].includes(name));
}

for (const dialect of testDialects()) {
  describe(`OCS on ${dialect}`, () => {
    let cloud: TestCloud;
    let admin: string;
    before(async () => {
      cloud = await startTestCloud(dialect);
      admin = cloud.basic('admin', TEST_ADMIN_PASSWORD);
      await cloud.createUser('olivia', 'olivia-password', []);
    });
    after(() => cloud.stop());

    const ocs = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
      fetch(`${cloud.url}${path}`, { ...init, headers: { 'OCS-APIRequest': 'true', ...init.headers } });

    it('serves capabilities anonymously with the version, the public keys and an ETag (capabilities_success)', async () => {
      const [recorded] = loadCassette('nextcloud/capabilities_success.yml');
      const response = await fetch(`${cloud.url}${recorded!.path}`, {
        headers: { Accept: recorded!.requestHeaders.accept!, 'OCS-APIRequest': recorded!.requestHeaders['ocs-apirequest']! },
      });
      assert.equal(response.status, recorded!.status);
      assert.equal(response.headers.get('content-type'), recorded!.responseHeaders['content-type']);
      assert.match(response.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/);
      const body = (await response.json()) as any;
      const expected = JSON.parse(recorded!.responseBody);
      assert.deepEqual(body.ocs.meta, expected.ocs.meta);
      assert.deepEqual(Object.keys(body.ocs.data.version).sort(), Object.keys(expected.ocs.data.version).sort());
      assert.match(body.ocs.data.version.string, /^\d+\.\d+\.\d+$/);
      assert.deepEqual(Object.keys(body.ocs.data.capabilities.bruteforce), ['delay', 'allow-listed']);
      assert.ok(body.ocs.data.capabilities.theming.name);
      assert.equal(body.ocs.data.capabilities.dav, undefined, 'sync capabilities are for signed-in users');
      const again = await fetch(`${cloud.url}${recorded!.path}`, { headers: { 'If-None-Match': response.headers.get('etag')! } });
      assert.equal(again.status, 304);
    });

    it('adds core, files, dav chunking 1.0 (no bulkupload) and checksums for signed-in users', async () => {
      const response = await ocs('/ocs/v1.php/cloud/capabilities?format=json', { headers: { Authorization: admin } });
      const caps = ((await response.json()) as any).ocs.data.capabilities;
      assert.equal(caps.core['webdav-root'], 'remote.php/webdav');
      assert.equal(caps.core.pollinterval, 60);
      assert.deepEqual(caps.dav, { chunking: '1.0' });
      assert.equal(caps.dav.bulkupload, undefined);
      assert.deepEqual(caps.checksums.supportedTypes, ['SHA1']);
      assert.equal(caps.files.bigfilechunking, true);
    });

    it('lets other modules register capability keys, per caller', async () => {
      cloud.services.capabilities.register('test_module', ({ user }) => (user ? { user: user.id } : { anonymous: true }));
      const anonymous = (await (await ocs('/ocs/v2.php/cloud/capabilities?format=json')).json()) as any;
      assert.deepEqual(anonymous.ocs.data.capabilities.test_module, { anonymous: true });
      const signedIn = (await (await ocs('/ocs/v2.php/cloud/capabilities?format=json', { headers: { Authorization: admin } })).json()) as any;
      assert.deepEqual(signedIn.ocs.data.capabilities.test_module, { user: 'admin' });
    });

    it('answers cloud/user with Basic auth in the recorded JSON shape (basic_auth)', async () => {
      const [recorded] = loadCassette('auth/nextcloud/basic_auth.yml');
      const response = await fetch(`${cloud.url}${recorded!.path}`, {
        headers: { Authorization: admin, 'OCS-APIRequest': 'true', Accept: recorded!.requestHeaders.accept! },
      });
      assert.equal(response.status, recorded!.status);
      assert.equal(response.headers.get('content-type'), recorded!.responseHeaders['content-type']);
      assert.equal(response.headers.get('x-user-id'), 'admin');
      const body = (await response.json()) as any;
      const expected = JSON.parse(recorded!.responseBody);
      assert.deepEqual(body.ocs.meta, expected.ocs.meta);
      assert.deepEqual(Object.keys(body.ocs.data), Object.keys(expected.ocs.data));
      assert.deepEqual(Object.keys(body.ocs.data.quota), Object.keys(expected.ocs.data.quota));
      assert.equal(body.ocs.data.id, 'admin');
      assert.equal(body.ocs.data['display-name'], 'admin');
      assert.deepEqual(body.ocs.data.groups, ['admin']);
      assert.equal(body.ocs.data.enabled, true);
      assert.equal(body.ocs.data.quota.quota, -3);
    });

    it('reports the bytes a user stores in cloud/user quota', async () => {
      const olivia = cloud.basic('olivia', 'olivia-password');
      const put = await fetch(`${cloud.url}/remote.php/dav/files/olivia/notes.txt`, { method: 'PUT', headers: { Authorization: olivia }, body: 'x'.repeat(1000) });
      assert.ok(put.status === 201 || put.status === 204);
      const quota = ((await (await ocs('/ocs/v2.php/cloud/user?format=json', { headers: { Authorization: olivia } })).json()) as any).ocs.data.quota;
      assert.equal(quota.used, 1000);
      assert.equal(quota.total, quota.used + quota.free);
      assert.equal(quota.quota, -3);
    });

    it('answers cloud/user in XML by default with the recorded elements in order (user_query_success)', async () => {
      const [recorded] = loadCassette('nextcloud/user_query_success.yml');
      const response = await ocs(recorded!.path, { headers: { Authorization: admin, Accept: '*/*' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), recorded!.responseHeaders['content-type']);
      const xml = await response.text();
      assert.deepEqual(dataChildren(xml), dataChildren(recorded!.responseBody));
      assert.match(xml, /<enabled>1<\/enabled>/);
      assert.match(xml, /<subadmin\/>/);
      assert.match(xml, /<email\/>/);
    });

    it('answers wrong Basic credentials like the login layer: 401, text/xml even when JSON was asked (basic_auth_password_invalid)', async () => {
      for (const file of ['auth/nextcloud/basic_auth_password_invalid.yml', 'auth/nextcloud/storage_query_basic_auth_password_invalid.yml']) {
        const [recorded] = loadCassette(file);
        const response = await ocs(recorded!.path, {
          headers: { Authorization: cloud.basic('admin', 'wrong password'), Accept: recorded!.requestHeaders.accept! },
        });
        assert.equal(response.status, 401);
        assert.equal(response.headers.get('content-type'), recorded!.responseHeaders['content-type']);
        assert.equal(response.headers.get('www-authenticate'), 'Basic realm="Authorisation Required"');
        assert.equal(await response.text(), recorded!.responseBody);
      }
    });

    it('answers an invalid Bearer token with 997 "Current user is not logged in" (user_query_unauthorized)', async () => {
      const [recorded] = loadCassette('nextcloud/user_query_unauthorized.yml');
      const response = await ocs(recorded!.path, { headers: { Authorization: 'Bearer not-a-token', Accept: '*/*' } });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('content-type'), recorded!.responseHeaders['content-type']);
      assert.equal(await response.text(), recorded!.responseBody);
      const json = await ocs('/ocs/v2.php/cloud/user', { headers: { Accept: 'application/json' } });
      assert.equal(json.status, 401);
      assert.deepEqual(((await json.json()) as any).ocs.meta, { status: 'failure', statuscode: 997, message: 'Current user is not logged in' });
    });

    it('answers unknown routes with 998: v1 HTTP 200, v2 404, XML unless ?format=json', async () => {
      const v1 = await ocs('/ocs/v1.php/cloud/nothing-here', { headers: { Authorization: admin, Accept: 'application/json' } });
      assert.equal(v1.status, 200);
      assert.equal(v1.headers.get('content-type'), 'text/xml; charset=UTF-8');
      const xml = await v1.text();
      assert.match(xml, /<statuscode>998<\/statuscode>/);
      assert.match(xml, /<message>Invalid query, please check the syntax\. API specifications are here: http:\/\/www\.freedesktop\.org/);
      const v2 = await ocs('/ocs/v2.php/cloud/nothing-here?format=json');
      assert.equal(v2.status, 404);
      assert.equal(((await v2.json()) as any).ocs.meta.statuscode, 404);
    });

    it('selects JSON by ?format=json or Accept: application/json, otherwise XML', async () => {
      const byQuery = await ocs('/ocs/v1.php/cloud/user?format=json', { headers: { Authorization: admin } });
      assert.equal(byQuery.headers.get('content-type'), 'application/json; charset=utf-8');
      const byAccept = await ocs('/ocs/v1.php/cloud/user', { headers: { Authorization: admin, Accept: 'text/html, application/json' } });
      assert.equal(byAccept.headers.get('content-type'), 'application/json; charset=utf-8');
      const xml = await ocs('/ocs/v1.php/cloud/user', { headers: { Authorization: admin } });
      assert.equal(xml.headers.get('content-type'), 'application/xml; charset=utf-8');
    });

    it('accepts a browser session only with OCS-APIRequest: true (the CSRF rule)', async () => {
      const { cookie } = await cloud.login('olivia');
      const without = await fetch(`${cloud.url}/ocs/v2.php/cloud/user?format=json`, { headers: { cookie } });
      assert.equal(without.status, 401);
      const withHeader = await ocs('/ocs/v2.php/cloud/user?format=json', { headers: { cookie } });
      assert.equal(withHeader.status, 200);
      const me = ((await withHeader.json()) as any).ocs.data;
      assert.equal(me.id, 'olivia');
      assert.ok(me.lastLogin > Date.now() - 60_000, 'the login was recorded');
      assert.equal(withHeader.headers.get('x-user-id'), 'olivia');
    });

    it('reads JSON bodies, tolerates an empty one and refuses malformed JSON with an OCS failure', async () => {
      const empty = await ocs('/ocs/v2.php/core/apppassword?format=json', {
        method: 'DELETE',
        headers: { Authorization: admin, 'content-type': 'application/json' },
      });
      assert.equal(empty.status, 403, 'reached the route: the real password is not an app password');
      const broken = await ocs('/ocs/v2.php/cloud/users?format=json', {
        method: 'POST',
        headers: { Authorization: admin, 'content-type': 'application/json' },
        body: '{"userid":',
      });
      assert.equal(broken.status, 400);
      assert.equal(((await broken.json()) as any).ocs.meta.statuscode, 400);
    });

    it('renders v2 failures with the HTTP status and v1 failures inside a 200 (group_users_not_existing_group)', async () => {
      const [recorded] = loadCassette('nextcloud/group_users_not_existing_group.yml');
      const v1 = await ocs(recorded!.path, { headers: { Authorization: admin, Accept: '*/*' } });
      assert.equal(v1.status, 200);
      assert.equal(await v1.text(), recorded!.responseBody);
      const v2 = await ocs(recorded!.path.replace('/v1.php/', '/v2.php/'), { headers: { Authorization: admin, Accept: 'application/json' } });
      assert.equal(v2.status, 404);
      assert.deepEqual(((await v2.json()) as any).ocs.meta, { status: 'failure', statuscode: 404, message: 'The requested group could not be found' });
    });
  });
}
