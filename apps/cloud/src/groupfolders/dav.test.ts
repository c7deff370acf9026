import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { startTestCloud, type TestCloud } from '../testing.ts';
import { davClient, propValues, type DavClient } from '../dav/test-client.ts';
import { loadCassette } from '../ocs/cassettes.ts';
import { PERMISSION } from '../files/types.ts';

const NS = 'xmlns:d="DAV:" xmlns:nc="http://nextcloud.org/ns"';
const aclBody = (rules: [string, string, number, number][]) =>
  `<?xml version="1.0"?><d:propertyupdate ${NS}><d:set><d:prop><nc:acl-list>` +
  rules
    .map(([type, id, mask, permissions]) => `<nc:acl><nc:acl-mapping-type>${type}</nc:acl-mapping-type><nc:acl-mapping-id>${id}</nc:acl-mapping-id><nc:acl-mask>${mask}</nc:acl-mask><nc:acl-permissions>${permissions}</nc:acl-permissions></nc:acl>`)
    .join('') +
  '</nc:acl-list></d:prop></d:set></d:propertyupdate>';

/** Each `d:response` of a multistatus by href, file ids blanked (they differ between servers). */
const responsesByHref = (xml: string) =>
  new Map(xml.split('<d:response>').slice(1).map((r) => [/<d:href>([^<]*)</.exec(r)![1]!, r.replace(/<oc:fileid>\d+<\/oc:fileid>/, '<oc:fileid/>').replace('</d:multistatus>', '').trimEnd()]));

const DAV_METHODS = new Set(['PROPFIND', 'PROPPATCH', 'MKCOL', 'DELETE']);

for (const dialect of testDialects()) {
  describe(`group folder mounts and ACL over WebDAV on ${dialect}`, () => {
    let cloud: TestCloud;
    let vcr: DavClient;
    let bob: DavClient;
    let folderId: number;
    const B = '/remote.php/dav/files/bob/VCR';
    const V = '/remote.php/dav/files/vcr/VCR';
    const setAcl = (client: DavClient, path: string, rules: [string, string, number, number][]) => client.request('PROPPATCH', path, { body: aclBody(rules) });

    before(async () => {
      cloud = await startTestCloud(dialect);
      const { users, groupFolders } = cloud.services;
      await cloud.createUser('vcr', 'vcr-password', ['team']);
      await cloud.createUser('bob', 'bob-password', ['team']);
      await cloud.createUser('m.jade@death.star', 'mara-password');
      await users.update('m.jade@death.star', { displayName: 'Mara Jade' });
      await cloud.createUser('OpenProject', 'openproject-password', ['OpenProject']);
      for (const u of ['anakin', 'leia', 'luke']) await cloud.createUser(u, `${u}-password`, ['OpenProject']);
      folderId = (await groupFolders.create('VCR')).folder.id;
      await groupFolders.addGroup(folderId, 'team');
      await groupFolders.setAcl(folderId, true);
      await groupFolders.setManager(folderId, 'user', 'vcr', true);
      const op = (await groupFolders.create('OpenProject')).folder.id;
      await groupFolders.addGroup(op, 'OpenProject');
      await groupFolders.setAcl(op, true);
      await groupFolders.setManager(op, 'user', 'OpenProject', true);
      vcr = davClient(cloud, 'vcr', 'vcr-password');
      bob = davClient(cloud, 'bob', 'bob-password');
    });
    after(() => cloud.stop());

    it('mounts the folder in every member root with group letters and the groupfolders properties', async () => {
      const res = await bob.propfind('/remote.php/dav/files/bob/', ['oc:permissions', 'nc:mount-type', 'nc:is-mount-root', 'nc:acl-enabled', 'nc:acl-can-manage', 'nc:group-folder-id', 'nc:acl-base-permission'], '1');
      const at = (prop: string) => propValues(res.text, prop).get(`${B}/`);
      assert.deepEqual(
        ['oc:permissions', 'nc:mount-type', 'nc:is-mount-root', 'nc:acl-enabled', 'nc:acl-can-manage', 'nc:group-folder-id', 'nc:acl-base-permission'].map(at),
        ['RMGDNVCK', 'group', 'true', '1', '0', String(folderId), '31'],
      );
      assert.equal(propValues(res.text, 'nc:acl-enabled').get('/remote.php/dav/files/bob/'), undefined, 'outside group folders the props are 404');
      const manager = await vcr.propfind(`${V}`, ['nc:acl-can-manage'], '0');
      assert.equal(propValues(manager.text, 'nc:acl-can-manage').get(`${V}/`), '1');
      const mara = davClient(cloud, 'm.jade@death.star', 'mara-password');
      assert.equal((await mara.propfind('/remote.php/dav/files/m.jade@death.star/VCR', ['oc:fileid'], '0')).status, 404);
    });

    for (const name of ['set_permissions_new.yml', 'set_permissions_replacing_permissions.yml', 'set_permissions_invalid_user_id.yml']) {
      it(`replays ${name}: same statuses, same acl-list bodies`, async () => {
        for (const step of loadCassette(`nextcloud/${name}`)) {
          if (!DAV_METHODS.has(step.method)) continue;
          const headers: Record<string, string> = {};
          if (step.requestHeaders.depth) headers.depth = step.requestHeaders.depth;
          const res = await vcr.request(step.method, step.path, { headers, body: step.requestBody || undefined });
          assert.equal(res.status, step.status, `${step.method} ${step.path}`);
          if (step.requestBody.includes('acl-list')) assert.equal(res.text.trimEnd(), step.responseBody.trimEnd(), `${step.method} body`);
        }
      });
    }

    it('replays the managed project folders of OpenProject (group deny, user allow per member)', async () => {
      const op = davClient(cloud, 'OpenProject', 'openproject-password');
      for (const step of loadCassette('nextcloud/managed_folder_set_permissions.yml')) {
        if (!DAV_METHODS.has(step.method)) continue;
        const headers: Record<string, string> = step.requestHeaders.depth ? { depth: step.requestHeaders.depth } : {};
        const res = await op.request(step.method, step.path, { headers, body: step.requestBody || undefined });
        assert.equal(res.status, step.status, `${step.method} ${step.path}`);
        if (step.method === 'PROPPATCH') assert.equal(res.text.trimEnd(), step.responseBody.trimEnd());
        if (step.method === 'PROPFIND' && step.requestBody.includes('oc:permissions')) {
          assert.equal(propValues(res.text, 'oc:permissions').values().next().value, 'RMGDNVCK');
        }
      }
    });

    it('replays managed_folder_create_service: the Depth 1 listing of the managed root shows the same rules', async () => {
      const op = davClient(cloud, 'OpenProject', 'openproject-password');
      const root = '/remote.php/dav/files/OpenProject/OpenProject';
      const steps = loadCassette('nextcloud/managed_folder_create_service.yml');
      // The recording starts from existing project folders: create them with the rules it shows.
      for (const name of ['Demo project (1)', '[dev] Empty (3)', 'Projectify (8)']) {
        assert.equal((await op.request('MKCOL', `${root}/${encodeURIComponent(name)}`)).status, 201);
        await setAcl(op, `${root}/${encodeURIComponent(name)}`, [['group', 'OpenProject', 31, 0], ['user', 'OpenProject', 31, 31]]);
      }
      await setAcl(op, root, [['group', 'OpenProject', 31, 1], ['user', 'OpenProject', 31, 31]]);
      const listing = steps[0]!;
      const res = await op.request('PROPFIND', listing.path, { headers: { depth: '1' }, body: listing.requestBody });
      assert.equal(res.status, 207);
      assert.deepEqual(responsesByHref(res.text), responsesByHref(listing.responseBody));
      for (const step of steps.slice(1)) {
        if (!DAV_METHODS.has(step.method)) continue;
        const replayed = await op.request(step.method, step.path, { body: step.requestBody || undefined });
        assert.equal(replayed.status, step.status, `${step.method} ${step.path}`);
        if (step.method === 'PROPPATCH') assert.equal(replayed.text.trimEnd(), step.responseBody.trimEnd());
        if (step.method === 'PROPFIND') assert.equal(propValues(replayed.text, 'oc:permissions').values().next().value, 'RMGDNVCK');
      }
    });

    for (const name of ['managed_folder_create_service_hide_inactive.yml', 'managed_folder_create_service_rename_folder.yml', 'managed_folder_set_permissions_admin_access.yml']) {
      it(`replays ${name}: statuses, PROPPATCH answers and acl-list listings`, async () => {
        const op = davClient(cloud, 'OpenProject', 'openproject-password');
        for (const step of loadCassette(`nextcloud/${name}`)) {
          if (!DAV_METHODS.has(step.method) && step.method !== 'MOVE') continue;
          const headers: Record<string, string> = {};
          for (const h of ['depth', 'destination']) if (step.requestHeaders[h]) headers[h] = step.requestHeaders[h].replace('https://nextcloud.local', '');
          const res = await op.request(step.method, step.path, { headers, body: step.requestBody || undefined });
          assert.equal(res.status, step.status, `${step.method} ${step.path}`);
          if (step.method === 'PROPPATCH') assert.equal(res.text.trimEnd(), step.responseBody.trimEnd());
          if (step.method === 'PROPFIND' && step.requestBody.includes('acl-list')) assert.deepEqual(responsesByHref(res.text), responsesByHref(step.responseBody), step.path);
        }
      });
    }

    it('lets allow beat deny: members named in a project folder get their bits, the others nothing', async () => {
      const op = davClient(cloud, 'OpenProject', 'openproject-password');
      const leia = davClient(cloud, 'leia', 'leia-password');
      const luke = davClient(cloud, 'luke', 'luke-password');
      assert.equal((await op.request('MKCOL', '/remote.php/dav/files/OpenProject/OpenProject/Project')).status, 201);
      const set = await setAcl(op, '/remote.php/dav/files/OpenProject/OpenProject/Project', [
        ['group', 'OpenProject', 31, 0],
        ['user', 'OpenProject', 31, 31],
        ['user', 'leia', 31, 3],
      ]);
      assert.equal(set.status, 207);
      const listed = await leia.propfind('/remote.php/dav/files/leia/OpenProject/Project', ['oc:permissions'], '0');
      assert.equal(propValues(listed.text, 'oc:permissions').get('/remote.php/dav/files/leia/OpenProject/Project/'), 'MGNV');
      assert.equal((await luke.propfind('/remote.php/dav/files/luke/OpenProject/Project', ['oc:fileid'], '0')).status, 404);
      // leia sees the rules that apply to her (her group's and her own); the manager sees all three.
      const seen = await leia.propfind('/remote.php/dav/files/leia/OpenProject/Project', ['nc:acl-list'], '0');
      assert.deepEqual([...seen.text.matchAll(/<nc:acl-mapping-id>([^<]*)</g)].map((m) => m[1]), ['OpenProject', 'leia']);
      const all = await op.propfind('/remote.php/dav/files/OpenProject/OpenProject/Project', ['nc:acl-list'], '0');
      assert.equal((all.text.match(/<nc:acl>/g) ?? []).length, 3);
    });

    it('hides a sub-folder denied read from listings and refuses to read or write inside it', async () => {
      assert.equal((await vcr.request('MKCOL', `${V}/Secret`)).status, 201);
      assert.equal((await vcr.request('PUT', `${V}/Secret/plans.txt`, { body: 'death star plans' })).status, 201);
      assert.equal((await setAcl(vcr, `${V}/Secret`, [['user', 'bob', PERMISSION.read, 0]])).status, 207);
      const depth1 = await bob.propfind(B, ['oc:fileid'], '1');
      assert.ok(![...propValues(depth1.text, 'oc:fileid').keys()].some((h) => h.includes('Secret')));
      const infinity = await bob.propfind('/remote.php/dav/files/bob/', ['oc:fileid'], 'infinity');
      assert.ok(![...propValues(infinity.text, 'oc:fileid').keys()].some((h) => h.includes('Secret')));
      assert.equal((await bob.propfind(`${B}/Secret`, ['oc:fileid'], '0')).status, 404);
      assert.equal((await bob.request('GET', `${B}/Secret/plans.txt`)).status, 404);
      assert.equal((await bob.request('PUT', `${B}/Secret/plans.txt`, { body: 'x' })).status, 404);
      assert.equal((await bob.request('COPY', `${B}/Secret/plans.txt`, { headers: { destination: '/remote.php/dav/files/bob/stolen.txt' } })).status, 404);
      // The manager is not affected by bob's rule.
      assert.equal((await vcr.request('GET', `${V}/Secret/plans.txt`)).text, 'death star plans');
    });

    it('refuses PUT where write is denied, and the letters say so', async () => {
      assert.equal((await vcr.request('MKCOL', `${V}/ReadOnly`)).status, 201);
      assert.equal((await vcr.request('PUT', `${V}/ReadOnly/rules.txt`, { body: 'read me' })).status, 201);
      await setAcl(vcr, `${V}/ReadOnly`, [['group', 'team', 31, 1], ['user', 'vcr', 31, 31]]);
      const res = await bob.propfind(`${B}/ReadOnly`, ['oc:permissions'], '1');
      assert.equal(propValues(res.text, 'oc:permissions').get(`${B}/ReadOnly/`), 'MG');
      assert.equal(propValues(res.text, 'oc:permissions').get(`${B}/ReadOnly/rules.txt`), 'MG');
      assert.equal((await bob.request('PUT', `${B}/ReadOnly/rules.txt`, { body: 'changed' })).status, 403);
      assert.equal((await bob.request('PUT', `${B}/ReadOnly/new.txt`, { body: 'new' })).status, 403);
      assert.equal((await bob.request('GET', `${B}/ReadOnly/rules.txt`)).text, 'read me');
    });

    it('enforces exactly what oc:permissions shows, for a matrix of rules', async () => {
      const cases: [number, number][] = [
        [31, 31],
        [31, 1],
        [PERMISSION.update, 0],
        [PERMISSION.create, 0],
        [PERMISSION.delete, 0],
        [31, PERMISSION.read | PERMISSION.create],
        [31, PERMISSION.read | PERMISSION.delete],
        [31, PERMISSION.read | PERMISSION.update],
      ];
      for (const [i, [mask, permissions]] of cases.entries()) {
        const dir = `m${i}`;
        await vcr.request('MKCOL', `${V}/${dir}`);
        await vcr.request('MKCOL', `${V}/${dir}/sub`);
        await vcr.request('PUT', `${V}/${dir}/sub/f.txt`, { body: 'content' });
        await setAcl(vcr, `${V}/${dir}/sub`, [['user', 'bob', mask, permissions]]);
        const res = await bob.propfind(`${B}/${dir}/sub`, ['oc:permissions'], '1');
        const folderLetters = propValues(res.text, 'oc:permissions').get(`${B}/${dir}/sub/`)!;
        const fileLetters = propValues(res.text, 'oc:permissions').get(`${B}/${dir}/sub/f.txt`)!;
        const label = `rule ${mask}/${permissions}: ${folderLetters} ${fileLetters}`;
        const ok = (status: number) => status >= 200 && status < 300;
        assert.equal((await bob.request('GET', `${B}/${dir}/sub/f.txt`)).status, 200, `${label} GET`);
        const patched = await bob.request('PROPPATCH', `${B}/${dir}/sub/f.txt`, {
          body: '<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:x="urn:x"><d:set><d:prop><x:note>n</x:note></d:prop></d:set></d:propertyupdate>',
        });
        assert.equal(patched.status === 207 && patched.text.includes('200 OK'), fileLetters.includes('NV'), `${label} PROPPATCH`);
        assert.equal(ok((await bob.request('PUT', `${B}/${dir}/sub/f.txt`, { body: 'new content' })).status), fileLetters.includes('W'), `${label} PUT`);
        assert.equal(ok((await bob.request('PUT', `${B}/${dir}/sub/g.txt`, { body: 'g' })).status), folderLetters.includes('CK'), `${label} create`);
        assert.equal(ok((await bob.request('MKCOL', `${B}/${dir}/sub/k`)).status), folderLetters.includes('CK'), `${label} MKCOL`);
        const renamed = await bob.request('MOVE', `${B}/${dir}/sub/f.txt`, { headers: { destination: `${B}/${dir}/sub/renamed.txt` } });
        assert.equal(ok(renamed.status), fileLetters.includes('NV') && folderLetters.includes('CK'), `${label} rename`);
        const name = ok(renamed.status) ? 'renamed.txt' : 'f.txt';
        assert.equal(ok((await bob.request('DELETE', `${B}/${dir}/sub/${name}`)).status), fileLetters.includes('D'), `${label} DELETE`);
      }
    });

    it('needs delete permission on every node of a subtree to delete or move it', async () => {
      await vcr.request('MKCOL', `${V}/Tree`);
      await vcr.request('MKCOL', `${V}/Tree/locked`);
      await vcr.request('PUT', `${V}/Tree/locked/keep.txt`, { body: 'keep' });
      await setAcl(vcr, `${V}/Tree/locked`, [['user', 'bob', PERMISSION.delete, 0]]);
      assert.equal((await bob.request('DELETE', `${B}/Tree`)).status, 403);
      assert.equal((await bob.request('MOVE', `${B}/Tree`, { headers: { destination: '/remote.php/dav/files/bob/Tree' } })).status, 403);
      assert.equal((await bob.request('GET', `${B}/Tree/locked/keep.txt`)).text, 'keep');
    });

    it('lets deeper rules override shallower ones and reports the inherited rules', async () => {
      await vcr.request('MKCOL', `${V}/Deep`);
      await vcr.request('MKCOL', `${V}/Deep/open`);
      await setAcl(vcr, `${V}/Deep`, [['user', 'bob', 31, 0]]);
      await setAcl(vcr, `${V}/Deep/open`, [['user', 'bob', 31, 5]]);
      assert.equal((await bob.propfind(`${B}/Deep`, ['oc:fileid'], '0')).status, 404);
      const open = await bob.propfind(`${B}/Deep/open`, ['oc:permissions', 'nc:inherited-acl-list'], '0');
      assert.equal(propValues(open.text, 'oc:permissions').get(`${B}/Deep/open/`), 'MGCK');
      assert.match(propValues(open.text, 'nc:inherited-acl-list').get(`${B}/Deep/open/`)!, /<nc:acl-mapping-id>bob<\/nc:acl-mapping-id>.*<nc:acl-mask>31<\/nc:acl-mask><nc:acl-permissions>0<\/nc:acl-permissions>/);
    });

    it('refuses to remove your own read permission and lets only managers change rules', async () => {
      await vcr.request('MKCOL', `${V}/Mine`);
      const own = await setAcl(vcr, `${V}/Mine`, [['user', 'vcr', 31, 0]]);
      assert.equal(own.status, 400);
      assert.match(own.text, /<s:message>You cannot remove your own read permission\.<\/s:message>/);
      const notManager = await setAcl(bob, `${B}/Mine`, [['user', 'bob', 31, 31]]);
      assert.equal(notManager.status, 207);
      assert.match(notManager.text, /HTTP\/1\.1 403 Forbidden/);
      assert.equal((await vcr.propfind(`${V}/Mine`, ['nc:acl-list'], '0')).text.includes('404 Not Found'), true);
      const incomplete = await vcr.request('PROPPATCH', `${V}/Mine`, {
        body: `<?xml version="1.0"?><d:propertyupdate ${NS}><d:set><d:prop><nc:acl-list><nc:acl><nc:acl-mapping-type>user</nc:acl-mapping-type><nc:acl-mask>31</nc:acl-mask><nc:acl-permissions>1</nc:acl-permissions></nc:acl></nc:acl-list></d:prop></d:set></d:propertyupdate>`,
      });
      assert.equal(incomplete.status, 400);
    });

    it('clears a node rule set with an empty list or d:remove', async () => {
      await setAcl(vcr, `${V}/Mine`, [['user', 'bob', 31, 1]]);
      assert.equal(propValues((await vcr.propfind(`${V}/Mine`, ['nc:acl-list'], '0')).text, 'nc:acl-list').size, 1);
      await setAcl(vcr, `${V}/Mine`, []);
      assert.match((await vcr.propfind(`${V}/Mine`, ['nc:acl-list'], '0')).text, /<nc:acl-list\/><\/d:prop><d:status>HTTP\/1.1 404/);
      await setAcl(vcr, `${V}/Mine`, [['user', 'bob', 31, 1]]);
      const removed = await vcr.request('PROPPATCH', `${V}/Mine`, { body: `<?xml version="1.0"?><d:propertyupdate ${NS}><d:remove><d:prop><nc:acl-list/></d:prop></d:remove></d:propertyupdate>` });
      assert.equal(removed.status, 207);
      assert.match((await vcr.propfind(`${V}/Mine`, ['nc:acl-list'], '0')).text, /HTTP\/1.1 404/);
    });

    it('answers nc:acl-list per node in a Depth infinity listing: 404 outside group folders and where no rules exist', async () => {
      await bob.request('PUT', '/remote.php/dav/files/bob/own.txt', { body: 'mine' });
      const res = await bob.propfind('/remote.php/dav/files/bob/', ['oc:fileid', 'nc:acl-list'], 'infinity');
      const withRules = [...propValues(res.text, 'nc:acl-list').keys()];
      assert.ok(withRules.includes(`${B}/ReadOnly/`));
      assert.ok(!withRules.includes('/remote.php/dav/files/bob/own.txt') && !withRules.includes(`${B}/`));
      assert.ok(propValues(res.text, 'oc:fileid').has('/remote.php/dav/files/bob/own.txt'));
    });

    it('changes the etags up to the user root when rules, the mount point or the group permissions change', async () => {
      const etag = async () => propValues((await bob.propfind('/remote.php/dav/files/bob/', ['d:getetag'], '0')).text, 'd:getetag').get('/remote.php/dav/files/bob/');
      const seen = new Set([await etag()]);
      await setAcl(vcr, `${V}/Deep/open`, [['user', 'bob', 31, 7]]);
      seen.add(await etag());
      await cloud.services.groupFolders.rename(folderId, 'VCR2');
      seen.add(await etag());
      await cloud.services.groupFolders.rename(folderId, 'VCR');
      seen.add(await etag());
      await cloud.services.groupFolders.setGroupPermissions(folderId, 'team', PERMISSION.all);
      seen.add(await etag());
      assert.equal(seen.size, 5);
    });

    it('enforces the folder quota with 507', async () => {
      const { groupFolders } = cloud.services;
      const small = (await groupFolders.create('Small')).folder.id;
      await groupFolders.addGroup(small, 'team');
      await groupFolders.setQuota(small, 10);
      assert.equal((await bob.request('PUT', '/remote.php/dav/files/bob/Small/a.txt', { body: '123456' })).status, 201);
      const full = await bob.request('PUT', '/remote.php/dav/files/bob/Small/b.txt', { body: '123456' });
      assert.equal(full.status, 507);
      assert.match(full.text, /InsufficientStorage/);
      assert.equal((await bob.request('PUT', '/remote.php/dav/files/bob/Small/a.txt', { body: '1234567890' })).status, 204);
      const free = await bob.propfind('/remote.php/dav/files/bob/Small', ['d:quota-available-bytes', 'd:quota-used-bytes'], '0');
      assert.equal(propValues(free.text, 'd:quota-available-bytes').get('/remote.php/dav/files/bob/Small/'), '0');
      assert.equal(propValues(free.text, 'd:quota-used-bytes').get('/remote.php/dav/files/bob/Small/'), '10');
      const unlimited = await bob.propfind(B, ['d:quota-available-bytes'], '0');
      assert.equal(propValues(unlimited.text, 'd:quota-available-bytes').get(`${B}/`), '-3');
      // The home quota is not the folder's business.
      assert.equal((await bob.request('PUT', '/remote.php/dav/files/bob/big.txt', { body: 'x'.repeat(100) })).status, 201);
    });

    it('caps ACL by the group permissions and ignores rules while ACL is off', async () => {
      const { groupFolders } = cloud.services;
      await groupFolders.setGroupPermissions(folderId, 'team', PERMISSION.read);
      const capped = await bob.propfind(`${B}/Deep/open`, ['oc:permissions'], '0');
      assert.equal(propValues(capped.text, 'oc:permissions').get(`${B}/Deep/open/`), 'MG');
      await groupFolders.setGroupPermissions(folderId, 'team', PERMISSION.all);
      await groupFolders.setAcl(folderId, false);
      assert.equal((await bob.request('GET', `${B}/Secret/plans.txt`)).text, 'death star plans');
      await groupFolders.setAcl(folderId, true);
      assert.equal((await bob.request('GET', `${B}/Secret/plans.txt`)).status, 404);
    });
  });
}
