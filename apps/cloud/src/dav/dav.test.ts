import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';
import { davClient, propValues, type DavClient } from './test-client.ts';
import { registerDavTree } from './routes.ts';

const ROOT = '/remote.php/dav/files/alice';

/** Every file under a folder (to prove bad requests wrote nothing). */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

for (const dialect of testDialects()) {
  describe(`WebDAV files on ${dialect}`, () => {
    let cloud: TestCloud;
    let alice: DavClient;
    let bob: DavClient;
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('alice', 'alice-password');
      await cloud.createUser('bob', 'bob-password');
      alice = davClient(cloud, 'alice', 'alice-password');
      bob = davClient(cloud, 'bob', 'bob-password');
    });
    after(() => cloud.stop());

    it('answers PROPFIND in Nextcloud’s multistatus format with hrefs escaped as Sabre does', async () => {
      assert.equal((await alice.request('MKCOL', `${ROOT}/F%C3%B6lder%20CreatedBy%20%C3%87ommand`)).status, 201);
      const res = await alice.propfind(`${ROOT}/F%C3%B6lder%20CreatedBy%20%C3%87ommand`, ['oc:fileid', 'oc:size', 'd:getcontenttype', 'd:getlastmodified', 'oc:permissions', 'oc:owner-display-name']);
      assert.equal(res.status, 207);
      assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
      assert.match(
        res.text,
        /^<\?xml version="1\.0"\?>\n<d:multistatus xmlns:d="DAV:" xmlns:s="http:\/\/sabredav\.org\/ns" xmlns:oc="http:\/\/owncloud\.org\/ns" xmlns:nc="http:\/\/nextcloud\.org\/ns"><d:response><d:href>\/remote\.php\/dav\/files\/alice\/F%c3%b6lder%20CreatedBy%20%c3%87ommand\/<\/d:href><d:propstat><d:prop><oc:fileid>\d+<\/oc:fileid><oc:size>0<\/oc:size><d:getlastmodified>\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT<\/d:getlastmodified><oc:permissions>RGDNVCK<\/oc:permissions><oc:owner-display-name>alice<\/oc:owner-display-name><\/d:prop><d:status>HTTP\/1\.1 200 OK<\/d:status><\/d:propstat><d:propstat><d:prop><d:getcontenttype\/><\/d:prop><d:status>HTTP\/1\.1 404 Not Found<\/d:status><\/d:propstat><\/d:response><\/d:multistatus>$/,
      );
    });

    it('escapes the hrefs of listed children as Sabre does, folder part and name alike', async () => {
      const folder = `${ROOT}/L%C3%BCst%20%26%20co`;
      assert.equal((await alice.request('MKCOL', folder)).status, 201);
      assert.equal((await alice.request('PUT', `${folder}/%C3%A4%20b%2Bc.txt`, { body: 'x' })).status, 201);
      assert.equal((await alice.request('MKCOL', `${folder}/sub%20dir`)).status, 201);
      const res = await alice.propfind(folder, ['d:getetag']);
      const hrefs = [...res.text.matchAll(/<d:href>([^<]*)<\/d:href>/g)].map((m) => m[1]);
      assert.deepEqual(hrefs, [
        '/remote.php/dav/files/alice/L%c3%bcst%20%26%20co/',
        '/remote.php/dav/files/alice/L%c3%bcst%20%26%20co/sub%20dir/',
        '/remote.php/dav/files/alice/L%c3%bcst%20%26%20co/%c3%a4%20b%2bc.txt',
      ]);
    });

    it('stores PUT content with mtime and checksum, and serves it back with Range', async () => {
      const put = await alice.request('PUT', `${ROOT}/notes.txt`, {
        body: 'hello world',
        headers: { 'x-oc-mtime': '1700000000', 'oc-checksum': 'SHA1:2aae6c35c94fcfb415dbe95f408b9ce91ee846ed' },
      });
      assert.equal(put.status, 201);
      assert.equal(put.headers['x-oc-mtime'], 'accepted');
      assert.match(String(put.headers.etag), /^"[0-9a-f]{32}"$/);
      assert.equal(put.headers['oc-etag'], put.headers.etag);
      const instanceId = await cloud.services.settings.instanceId();
      assert.match(String(put.headers['oc-fileid']), new RegExp(`^\\d{8}${instanceId}$`));

      assert.ok(put.headers['x-request-id'], 'requests carry an id for support');
      const born = await alice.request('PUT', `${ROOT}/born.txt`, { body: 'b', headers: { 'x-oc-ctime': '1600000000' } });
      assert.equal(born.headers['x-oc-ctime'], 'accepted');
      const creation = await alice.propfind(`${ROOT}/born.txt`, ['nc:creation_time'], '0');
      assert.equal(propValues(creation.text, 'nc:creation_time').get(`${ROOT}/born.txt`), '1600000000');
      await alice.request('PROPPATCH', `${ROOT}/born.txt`, {
        body: '<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:nc="http://nextcloud.org/ns"><d:set><d:prop><nc:creation_time>1500000000</nc:creation_time></d:prop></d:set></d:propertyupdate>',
      });
      const patched = await alice.propfind(`${ROOT}/born.txt`, ['d:creationdate'], '0');
      assert.equal(propValues(patched.text, 'd:creationdate').get(`${ROOT}/born.txt`), '2017-07-14T02:40:00+00:00');
      const props = await alice.propfind(`${ROOT}/notes.txt`, ['d:getlastmodified', 'oc:checksums', 'd:getcontentlength', 'd:getcontenttype', 'oc:permissions', 'oc:id'], '0');
      assert.equal(propValues(props.text, 'd:getlastmodified').get(`${ROOT}/notes.txt`), 'Tue, 14 Nov 2023 22:13:20 GMT');
      assert.equal(propValues(props.text, 'oc:checksums').get(`${ROOT}/notes.txt`), '<oc:checksum>SHA1:2aae6c35c94fcfb415dbe95f408b9ce91ee846ed</oc:checksum>');
      assert.equal(propValues(props.text, 'd:getcontenttype').get(`${ROOT}/notes.txt`), 'text/plain');
      assert.equal(propValues(props.text, 'oc:permissions').get(`${ROOT}/notes.txt`), 'RGDNVW');
      assert.equal(propValues(props.text, 'oc:id').get(`${ROOT}/notes.txt`), put.headers['oc-fileid']);

      const get = await alice.request('GET', `${ROOT}/notes.txt`);
      assert.equal(get.text, 'hello world');
      assert.equal(get.headers['oc-checksum'], 'SHA1:2aae6c35c94fcfb415dbe95f408b9ce91ee846ed');
      assert.equal(get.headers.etag, put.headers.etag);
      const range = await alice.request('GET', `${ROOT}/notes.txt`, { headers: { range: 'bytes=1-1' } });
      assert.equal(range.status, 206);
      assert.equal(range.text, 'e');
      assert.equal(range.headers['content-range'], 'bytes 1-1/11');
      const suffix = await alice.request('GET', `${ROOT}/notes.txt`, { headers: { range: 'bytes=-5' } });
      assert.equal(suffix.text, 'world');
      const head = await alice.request('HEAD', `${ROOT}/notes.txt`);
      assert.equal(head.headers['content-length'], '11');

      const overwrite = await alice.request('PUT', `${ROOT}/notes.txt`, { body: 'v2' });
      assert.equal(overwrite.status, 204);
      assert.equal(overwrite.headers['oc-fileid'], put.headers['oc-fileid'], 'overwriting keeps the file id');
      const cleared = await alice.propfind(`${ROOT}/notes.txt`, ['oc:checksums'], '0');
      assert.ok(!propValues(cleared.text, 'oc:checksums').has(`${ROOT}/notes.txt`), 'a PUT without OC-Checksum clears it');
    });

    // 24 MiB: large enough that writes back up on loopback, so reusing a buffer too early would corrupt it.
    it('serves files larger than its read buffers byte for byte, whole and by ranges across buffer edges', async () => {
      const content = crypto.randomBytes(24 * 1024 * 1024 + 3);
      assert.equal((await alice.request('PUT', `${ROOT}/big.bin`, { body: content })).status, 201);
      const get = (headers: Record<string, string> = {}) =>
        fetch(`${cloud.url}${ROOT}/big.bin`, { headers: { authorization: cloud.basic('alice', 'alice-password'), ...headers } });
      const whole = await get();
      assert.equal(whole.headers.get('content-length'), String(content.length));
      assert.ok(Buffer.from(await whole.arrayBuffer()).equals(content));
      const part = await get({ range: 'bytes=1048570-3145740' });
      assert.equal(part.status, 206);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(content.subarray(1048570, 3145741)));
      const tail = await get({ range: 'bytes=-7' });
      assert.ok(Buffer.from(await tail.arrayBuffer()).equals(content.subarray(content.length - 7)));
    });

    it('honours If-Match and If-None-Match on PUT', async () => {
      const first = await alice.request('PUT', `${ROOT}/cond.txt`, { body: 'a', headers: { 'if-none-match': '*' } });
      assert.equal(first.status, 201);
      assert.equal((await alice.request('PUT', `${ROOT}/cond.txt`, { body: 'b', headers: { 'if-none-match': '*' } })).status, 412);
      assert.equal((await alice.request('PUT', `${ROOT}/cond.txt`, { body: 'b', headers: { 'if-match': '"nope"' } })).status, 412);
      assert.equal((await alice.request('PUT', `${ROOT}/cond.txt`, { body: 'b', headers: { 'if-match': String(first.headers.etag) } })).status, 204);
      assert.equal((await alice.request('GET', `${ROOT}/cond.txt`)).text, 'b');
    });

    it('changes the etag and size of every ancestor folder when something deep changes', async () => {
      await alice.request('MKCOL', `${ROOT}/a`);
      await alice.request('MKCOL', `${ROOT}/a/b`);
      const before = await alice.propfind(`${ROOT}/`, ['d:getetag', 'oc:size'], '1');
      await alice.request('PUT', `${ROOT}/a/b/deep.bin`, { body: Buffer.alloc(1000, 1) });
      const after = await alice.propfind(`${ROOT}/`, ['d:getetag', 'oc:size'], '1');
      for (const href of [`${ROOT}/`, `${ROOT}/a/`]) {
        assert.notEqual(propValues(after.text, 'd:getetag').get(href), propValues(before.text, 'd:getetag').get(href), href);
        assert.equal(Number(propValues(after.text, 'oc:size').get(href)) - Number(propValues(before.text, 'oc:size').get(href)), 1000, href);
      }
      assert.equal(propValues(after.text, 'd:getetag').get(`${ROOT}/F%c3%b6lder%20CreatedBy%20%c3%87ommand/`), propValues(before.text, 'd:getetag').get(`${ROOT}/F%c3%b6lder%20CreatedBy%20%c3%87ommand/`), 'unrelated folders keep their etag');
    });

    it('lists Depth 0, 1 (also when the header is missing) and infinity', async () => {
      const depth1 = await alice.propfind(`${ROOT}/a`, ['oc:fileid'], '1');
      assert.deepEqual([...propValues(depth1.text, 'oc:fileid').keys()], [`${ROOT}/a/`, `${ROOT}/a/b/`]);
      const missing = await alice.request('PROPFIND', `${ROOT}/a`, { body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>' });
      assert.equal([...propValues(missing.text, 'd:getetag').keys()].length, 2);
      const infinity = await alice.propfind(`${ROOT}/a`, ['oc:fileid'], 'infinity');
      assert.deepEqual([...propValues(infinity.text, 'oc:fileid').keys()], [`${ROOT}/a/`, `${ROOT}/a/b/`, `${ROOT}/a/b/deep.bin`]);
      const counts = await alice.propfind(`${ROOT}/a`, ['nc:contained-folder-count', 'nc:contained-file-count'], '1');
      assert.equal(propValues(counts.text, 'nc:contained-folder-count').get(`${ROOT}/a/`), '1');
      assert.equal(propValues(counts.text, 'nc:contained-file-count').get(`${ROOT}/a/b/`), '1');
      const file = await alice.propfind(`${ROOT}/a/b/deep.bin`, ['oc:fileid'], '1');
      assert.equal(propValues(file.text, 'oc:fileid').size, 1, 'Depth 1 on a file returns just the file');
    });

    it('keeps the file id across MOVE (full-URL and absolute-path Destination) and gives COPY a new one', async () => {
      const created = await alice.request('PUT', `${ROOT}/move-me.txt`, { body: 'm' });
      const moved = await alice.request('MOVE', `${ROOT}/move-me.txt`, { headers: { destination: `${cloud.url}${ROOT}/a/moved%20here.txt` } });
      assert.equal(moved.status, 201);
      assert.equal(moved.headers['oc-fileid'], created.headers['oc-fileid']);
      const again = await alice.request('MOVE', `${ROOT}/a/moved%20here.txt`, { headers: { destination: `${ROOT}/a/b/renamed.txt` } });
      assert.equal(again.headers['oc-fileid'], created.headers['oc-fileid']);
      const copy = await alice.request('COPY', `${ROOT}/a/b/renamed.txt`, { headers: { destination: `${ROOT}/copy.txt` } });
      assert.equal(copy.status, 201);
      assert.notEqual(copy.headers['oc-fileid'], created.headers['oc-fileid']);
      assert.equal((await alice.request('GET', `${ROOT}/copy.txt`)).text, 'm');
      const refused = await alice.request('COPY', `${ROOT}/copy.txt`, { headers: { destination: `${ROOT}/a/b/renamed.txt`, overwrite: 'F' } });
      assert.equal(refused.status, 412);
      const noParent = await alice.request('MOVE', `${ROOT}/copy.txt`, { headers: { destination: `${ROOT}/nowhere/x.txt` } });
      assert.equal(noParent.status, 409);
      // Moving a folder rewrites its subtree: the file below is reachable under the new name.
      await alice.request('MOVE', `${ROOT}/a`, { headers: { destination: `${ROOT}/a2` } });
      assert.equal((await alice.request('GET', `${ROOT}/a2/b/renamed.txt`)).text, 'm');
      assert.equal((await alice.request('GET', `${ROOT}/a/b/renamed.txt`)).status, 404);
    });

    it('answers errors as Sabre exception XML with Nextcloud’s messages', async () => {
      const exists = await alice.request('MKCOL', `${ROOT}/a2`);
      assert.equal(exists.status, 405);
      assert.match(exists.text, /<s:exception>Sabre\\DAV\\Exception\\MethodNotAllowed<\/s:exception>\n  <s:message>The resource you tried to create already exists<\/s:message>/);
      assert.ok(exists.headers.allow);
      const noParent = await alice.request('MKCOL', `${ROOT}/DeathStar3/New%20Folder`);
      assert.equal(noParent.status, 409);
      assert.match(noParent.text, /Sabre\\DAV\\Exception\\Conflict[\s\S]*Parent node does not exist/);
      const missing = await alice.request('DELETE', `${ROOT}/IDoNotExist`);
      assert.equal(missing.status, 404);
      assert.match(missing.text, /<s:message>File with name \/\/IDoNotExist could not be located<\/s:message>/);
      const putMissing = await alice.request('PUT', `${ROOT}/non-existing-folder/test-file.txt`, { body: 'x' });
      assert.equal(putMissing.status, 404);
      assert.match(putMissing.text, /File with name \/\/non-existing-folder could not be located/);
      const withBody = await alice.request('MKCOL', `${ROOT}/with-body`, { body: '<x/>', headers: { 'content-type': 'application/xml' } });
      assert.equal(withBody.status, 415);
      const forbidden = await alice.request('PUT', `${ROOT}/.htaccess`, { body: 'deny from all' });
      assert.equal(forbidden.status, 403);
      assert.match(forbidden.text, /&quot;\.htaccess&quot; is a forbidden file or folder name\./);
    });

    it('refuses bad input with a 4xx and reads or writes nothing outside the user’s tree', async () => {
      const blobsBefore = listFiles(cloud.services.config.filesDir).length;
      const malformed = await alice.request('PROPFIND', `${ROOT}/`, { body: '<d:propfind xmlns:d="DAV:"><d:prop>', headers: { depth: '0' } });
      assert.equal(malformed.status, 400);
      assert.match(malformed.text, /Sabre\\DAV\\Exception\\BadRequest/);
      const badNs = await alice.request('PROPFIND', `${ROOT}/`, { body: '<D:propfind xmlns:D="DAV:" xmlns:ns1=""><D:prop><ns1:foo/></D:prop></D:propfind>', headers: { depth: '0' } });
      assert.equal(badNs.status, 400);
      for (const p of [`${ROOT}/../bob/secret.txt`, `${ROOT}/%2e%2e/bob/secret.txt`, `${ROOT}/a2/%2E%2E/%2e%2e/x.txt`, `${ROOT}/x%00y.txt`, `${ROOT}/x%5cy.txt`, `${ROOT}/a%2Fb.txt`]) {
        const put = await alice.request('PUT', p, { body: 'evil' });
        assert.equal(put.status, 400, p);
        assert.equal((await alice.request('GET', p)).status, 400, p);
      }
      assert.equal((await alice.request('PROPFIND', `${ROOT}/`, { headers: { depth: 'twelve' } })).status, 400);
      const range = await alice.request('GET', `${ROOT}/a2/b/renamed.txt`, { headers: { range: 'bytes=99999999999999999999-' } });
      assert.equal(range.status, 416);
      const reversed = await alice.request('GET', `${ROOT}/a2/b/renamed.txt`, { headers: { range: 'bytes=5-2' } });
      assert.equal(reversed.status, 416);
      assert.equal((await alice.request('PUT', `${ROOT}/mtime.txt`, { body: 'x', headers: { 'x-oc-mtime': '0x5f' } })).status, 400);
      const wrong = davClient(cloud, 'alice', 'wrong-password');
      const denied = await wrong.request('PROPFIND', `${ROOT}/`);
      assert.equal(denied.status, 401);
      assert.equal(denied.headers['www-authenticate'], 'Basic realm="Nextcloud", charset="UTF-8"');
      assert.match(denied.text, /Sabre\\DAV\\Exception\\NotAuthenticated/);
      const anonymous = await fetch(`${cloud.url}${ROOT}/`, { method: 'PROPFIND' });
      assert.equal(anonymous.status, 401);
      // Another user's tree: nothing there for alice, and bob's files stay untouched.
      await bob.request('PUT', '/remote.php/dav/files/bob/secret.txt', { body: 'bob only' });
      assert.equal((await alice.request('GET', '/remote.php/dav/files/bob/secret.txt')).status, 404);
      assert.equal((await alice.request('PUT', '/remote.php/dav/files/bob/secret.txt', { body: 'overwritten' })).status, 404);
      assert.equal((await alice.request('DELETE', '/remote.php/dav/files/bob/secret.txt')).status, 404);
      assert.equal((await alice.request('MOVE', `${ROOT}/copy.txt`, { headers: { destination: '/remote.php/dav/files/bob/stolen.txt' } })).status, 403);
      assert.equal((await bob.request('GET', '/remote.php/dav/files/bob/secret.txt')).text, 'bob only');
      assert.equal((await bob.request('GET', '/remote.php/dav/files/bob/stolen.txt')).status, 404);
      assert.equal(listFiles(cloud.services.config.filesDir).length, blobsBefore + 1, 'only bob’s own upload added content');
    });

    it('answers HEAD /remote.php/dav for valid credentials only (OpenProject’s app-password check)', async () => {
      assert.equal((await alice.request('HEAD', '/remote.php/dav')).status, 200);
      assert.equal((await davClient(cloud, 'alice', 'nope').request('HEAD', '/remote.php/dav')).status, 401);
      const options = await alice.request('OPTIONS', `${ROOT}/`);
      assert.equal(options.status, 200);
      assert.ok(!String(options.headers.dav).split(',').map((s) => s.trim()).includes('2'), 'no locking class');
      assert.equal((await alice.request('LOCK', `${ROOT}/a2`, { body: '<d:lockinfo xmlns:d="DAV:"/>' })).status, 501);
      // macOS Finder and Windows get Nextcloud's fake locks, or they mount read-only.
      const finder = { 'user-agent': 'WebDAVFS/3.0.0 (03008000) Darwin/21.0.0' };
      const finderOptions = await alice.request('OPTIONS', `${ROOT}/`, { headers: finder });
      assert.ok(String(finderOptions.headers.dav).startsWith('1, 2, 3'));
      const lock = await alice.request('LOCK', `${ROOT}/a2`, { headers: finder, body: '<d:lockinfo xmlns:d="DAV:"><d:lockscope><d:exclusive/></d:lockscope><d:locktype><d:write/></d:locktype></d:lockinfo>' });
      assert.equal(lock.status, 200);
      assert.match(String(lock.headers['lock-token']), /^<opaquelocktoken:[0-9a-f-]{36}>$/);
      assert.equal((await alice.request('UNLOCK', `${ROOT}/a2`, { headers: { ...finder, 'lock-token': String(lock.headers['lock-token']) } })).status, 204);
    });

    it('accepts app passwords, Bearer tokens and browser sessions (with the CSRF token for writes)', async () => {
      const app = await cloud.services.auth.issueToken('alice', 'alice', 'sync client', 'app_password', null);
      assert.equal((await davClient(cloud, 'alice', app.password).request('PROPFIND', `${ROOT}/`, { headers: { depth: '0' } })).status, 207);
      const bearer = await cloud.services.auth.issueToken('alice', 'alice', 'OpenProject', 'oauth', Date.now() + 3600_000);
      const withBearer = await fetch(`${cloud.url}${ROOT}/`, { method: 'PROPFIND', headers: { authorization: `Bearer ${bearer.password}`, depth: '0' } });
      assert.equal(withBearer.status, 207);
      const expired = await cloud.services.auth.issueToken('alice', 'alice', 'OpenProject', 'oauth', Date.now() - 1000);
      const stale = await fetch(`${cloud.url}${ROOT}/`, { method: 'PROPFIND', headers: { authorization: `Bearer ${expired.password}`, depth: '0' } });
      assert.equal(stale.status, 401);
      assert.equal(stale.headers.get('www-authenticate'), 'Basic realm="Nextcloud", charset="UTF-8"');

      const login = await fetch(`${cloud.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'alice', password: 'alice-password' }),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const { requesttoken } = (await login.json()) as { requesttoken: string };
      assert.equal((await fetch(`${cloud.url}${ROOT}/`, { method: 'PROPFIND', headers: { cookie, depth: '0' } })).status, 207);
      const forged = await fetch(`${cloud.url}${ROOT}/from-browser.txt`, { method: 'PUT', headers: { cookie }, body: 'x' });
      assert.equal(forged.status, 412, 'a cross-site write without the CSRF token is refused');
      assert.equal((await alice.request('GET', `${ROOT}/from-browser.txt`)).status, 404);
      const upload = await fetch(`${cloud.url}${ROOT}/from-browser.txt`, { method: 'PUT', headers: { cookie, requesttoken }, body: 'x' });
      assert.equal(upload.status, 201);
    });

    it('lets other modules add DAV trees under /remote.php/dav/<name>/{user}/', async () => {
      registerDavTree('probe', async (tree) => tree.reply.status(200).send(`${tree.user.id}:${tree.tail}`));
      const own = await alice.request('GET', '/remote.php/dav/probe/alice/some/where');
      assert.equal(own.text, 'alice:some/where');
      assert.equal((await alice.request('GET', '/remote.php/dav/probe/bob/x')).status, 404);
      assert.equal((await davClient(cloud, 'alice', 'bad').request('GET', '/remote.php/dav/probe/alice/x')).status, 401);
    });

    it('serves the legacy /remote.php/webdav root with the same files', async () => {
      const res = await alice.propfind('/remote.php/webdav/a2', ['oc:fileid'], '1');
      assert.deepEqual([...propValues(res.text, 'oc:fileid').keys()], ['/remote.php/webdav/a2/', '/remote.php/webdav/a2/b/']);
      assert.equal((await alice.request('GET', '/remote.php/webdav/a2/b/renamed.txt')).text, 'm');
    });

    it('stays consistent under concurrent uploads and folder creation', async () => {
      await alice.request('MKCOL', `${ROOT}/busy`);
      const same = await Promise.all(Array.from({ length: 8 }, (_, i) => alice.request('PUT', `${ROOT}/busy/same.txt`, { body: `writer ${i}` })));
      assert.deepEqual(same.map((r) => r.status).filter((s) => s !== 201 && s !== 204), []);
      assert.equal(same.filter((r) => r.status === 201).length, 1, 'exactly one creation');
      assert.equal(new Set(same.map((r) => r.headers['oc-fileid'])).size, 1, 'one file id');
      assert.match((await alice.request('GET', `${ROOT}/busy/same.txt`)).text, /^writer \d$/);
      const folders = await Promise.all(Array.from({ length: 5 }, () => alice.request('MKCOL', `${ROOT}/busy/dir`)));
      assert.deepEqual(folders.map((r) => r.status).sort(), [201, 405, 405, 405, 405]);
      await Promise.all(Array.from({ length: 20 }, (_, i) => alice.request('PUT', `${ROOT}/busy/dir/f${i}.bin`, { body: Buffer.alloc(100 + i) })));
      const sizes = await alice.propfind(`${ROOT}/busy/dir`, ['oc:size'], '0');
      assert.equal(propValues(sizes.text, 'oc:size').get(`${ROOT}/busy/dir/`), String(20 * 100 + 190), 'folder size is the sum of its files');
    });

    it('stores dead properties that follow MOVE, are copied by COPY, and refuses protected ones', async () => {
      await alice.request('PUT', `${ROOT}/props.txt`, { body: 'p' });
      const patch = await alice.request('PROPPATCH', `${ROOT}/props.txt`, {
        body: '<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:x="urn:x"><d:set><d:prop><x:colour>blue</x:colour><oc:favorite xmlns:oc="http://owncloud.org/ns">1</oc:favorite></d:prop></d:set></d:propertyupdate>',
      });
      assert.equal(patch.status, 207);
      assert.match(patch.text, /HTTP\/1\.1 200 OK/);
      await alice.request('MOVE', `${ROOT}/props.txt`, { headers: { destination: `${ROOT}/props2.txt` } });
      await alice.request('COPY', `${ROOT}/props2.txt`, { headers: { destination: `${ROOT}/props3.txt` } });
      for (const name of ['props2.txt', 'props3.txt']) {
        const res = await alice.request('PROPFIND', `${ROOT}/${name}`, {
          headers: { depth: '0' },
          body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:x="urn:x" xmlns:oc="http://owncloud.org/ns"><d:prop><x:colour/><oc:favorite/></d:prop></d:propfind>',
        });
        assert.match(res.text, /<x:colour xmlns:x="urn:x">blue<\/x:colour>/, name);
        assert.match(res.text, /<oc:favorite>1<\/oc:favorite>/, name);
      }
      const protectedPatch = await alice.request('PROPPATCH', `${ROOT}/props2.txt`, {
        body: '<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:x="urn:x"><d:set><d:prop><oc:fileid>1</oc:fileid><x:colour>red</x:colour></d:prop></d:set></d:propertyupdate>',
      });
      assert.match(protectedPatch.text, /<oc:fileid\/><\/d:prop><d:status>HTTP\/1\.1 403 Forbidden/);
      assert.match(protectedPatch.text, /HTTP\/1\.1 424 Failed Dependency/);
      const still = await alice.request('PROPFIND', `${ROOT}/props2.txt`, { headers: { depth: '0' }, body: '<d:propfind xmlns:d="DAV:" xmlns:x="urn:x"><d:prop><x:colour/></d:prop></d:propfind>' });
      assert.match(still.text, />blue</, 'nothing applied when one property fails');
    });
  });
}
