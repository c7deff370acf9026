import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';
import { davClient, propValues, type DavClient } from './test-client.ts';

const FILES = '/remote.php/dav/files/sam';

const searchBody = (where: string, scope = '/files/sam', extra = '') =>
  `<?xml version="1.0"?><d:searchrequest xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:basicsearch><d:select><d:prop><oc:fileid/><d:displayname/></d:prop></d:select><d:from><d:scope><d:href>${scope}</d:href><d:depth>infinity</d:depth></d:scope></d:from><d:where>${where}</d:where>${extra}</d:basicsearch></d:searchrequest>`;

for (const dialect of testDialects()) {
  describe(`SEARCH, favorites REPORT and quota on ${dialect}`, () => {
    let cloud: TestCloud;
    let sam: DavClient;
    let reportId = '';
    before(async () => {
      cloud = await startTestCloud(dialect);
      await cloud.createUser('sam', 'sam-password');
      await cloud.createUser('tia', 'tia-password');
      sam = davClient(cloud, 'sam', 'sam-password');
      await sam.request('MKCOL', `${FILES}/projects`);
      reportId = String((await sam.request('PUT', `${FILES}/projects/report.pdf`, { body: 'pdf' })).headers['oc-fileid']);
      await sam.request('PUT', `${FILES}/projects/notes.txt`, { body: 'n' });
      await sam.request('PUT', `${FILES}/todo.txt`, { body: 'todo list' });
    });
    after(() => cloud.stop());

    it('finds a file by id and by name pattern, with hrefs in the files tree', async () => {
      const fileid = Number.parseInt(reportId.slice(0, 8), 10);
      const byId = await sam.request('SEARCH', '/remote.php/dav/', {
        headers: { 'content-type': 'text/xml' },
        body: searchBody(`<d:eq><d:prop><oc:fileid/></d:prop><d:literal>${fileid}</d:literal></d:eq>`),
      });
      assert.equal(byId.status, 207);
      assert.deepEqual([...propValues(byId.text, 'oc:fileid').entries()], [[`${FILES}/projects/report.pdf`, String(fileid)]]);
      const byName = await sam.request('SEARCH', '/remote.php/dav/', {
        body: searchBody('<d:like><d:prop><d:displayname/></d:prop><d:literal>%.txt</d:literal></d:like>', '/files/sam', '<d:orderby><d:order><d:prop><d:displayname/></d:prop><d:ascending/></d:order></d:orderby>'),
      });
      assert.deepEqual([...propValues(byName.text, 'oc:fileid').keys()], [`${FILES}/projects/notes.txt`, `${FILES}/todo.txt`]);
      const folders = await sam.request('SEARCH', '/remote.php/dav/', { body: searchBody('<d:is-collection/>') });
      assert.deepEqual([...propValues(folders.text, 'oc:fileid').keys()], [`${FILES}/projects/`]);
    });

    it('refuses to search another user’s files', async () => {
      const res = await sam.request('SEARCH', '/remote.php/dav/', { body: searchBody('<d:is-collection/>', '/files/tia') });
      assert.equal(res.status, 400);
    });

    it('lists favorites below a folder with REPORT oc:filter-files', async () => {
      await sam.request('PROPPATCH', `${FILES}/projects/notes.txt`, {
        body: '<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:set><d:prop><oc:favorite>1</oc:favorite></d:prop></d:set></d:propertyupdate>',
      });
      const res = await sam.request('REPORT', `${FILES}/`, {
        body: '<?xml version="1.0"?><oc:filter-files xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><oc:fileid/><oc:favorite/></d:prop><oc:filter-rules><oc:favorite>1</oc:favorite></oc:filter-rules></oc:filter-files>',
      });
      assert.equal(res.status, 207);
      assert.deepEqual([...propValues(res.text, 'oc:favorite').entries()], [[`${FILES}/projects/notes.txt`, '1']]);
    });

    it('enforces the home quota with 507 and reports the free space', async () => {
      await cloud.services.users.update('tia', { quota: 1000 });
      const tia = davClient(cloud, 'tia', 'tia-password');
      assert.equal((await tia.request('PUT', '/remote.php/dav/files/tia/ok.bin', { body: Buffer.alloc(600) })).status, 201);
      const full = await tia.request('PUT', '/remote.php/dav/files/tia/too-much.bin', { body: Buffer.alloc(600) });
      assert.equal(full.status, 507);
      assert.match(full.text, /Sabre\\DAV\\Exception\\InsufficientStorage/);
      assert.equal((await tia.request('GET', '/remote.php/dav/files/tia/too-much.bin')).status, 404);
      assert.equal((await tia.request('COPY', '/remote.php/dav/files/tia/ok.bin', { headers: { destination: '/remote.php/dav/files/tia/copy.bin' } })).status, 507);
      const props = await tia.propfind('/remote.php/dav/files/tia/', ['d:quota-available-bytes', 'd:quota-used-bytes'], '0');
      assert.equal(propValues(props.text, 'd:quota-available-bytes').get('/remote.php/dav/files/tia/'), '400');
      assert.equal(propValues(props.text, 'd:quota-used-bytes').get('/remote.php/dav/files/tia/'), '600');
      assert.equal((await tia.request('PUT', '/remote.php/dav/files/tia/ok.bin', { body: Buffer.alloc(900) })).status, 204, 'replacing counts only the growth');
    });
  });
}
