import { describe, expect, test } from 'vitest';
import { parseFilesMultistatus, parseTrashMultistatus } from './dav.ts';
import { messageFromBody } from './http.ts';
import { withState } from '../pages/admin/GroupFoldersPage.tsx';

// Shaped like Nextcloud's answers (spec §1.8): lowercase %-escapes, 404 propstats, trailing slashes on folders.
const FOLDER = `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">
<d:response><d:href>/remote.php/dav/files/m.jade%40death.star/F%c3%b6lder%20A/</d:href>
 <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype><oc:fileid>173</oc:fileid><oc:size>74</oc:size>
  <oc:permissions>RGDNVCK</oc:permissions><d:getlastmodified>Wed, 29 Nov 2023 15:42:21 GMT</d:getlastmodified></d:prop>
  <d:status>HTTP/1.1 200 OK</d:status></d:propstat>
 <d:propstat><d:prop><d:getcontentlength/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>
<d:response><d:href>/remote.php/dav/files/m.jade%40death.star/F%c3%b6lder%20A/report%20%5b1%5d.pdf</d:href>
 <d:propstat><d:prop><d:resourcetype/><oc:fileid>174</oc:fileid><d:getcontentlength>74</d:getcontentlength><oc:size>74</oc:size>
  <oc:permissions>RGDNVW</oc:permissions></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
</d:multistatus>`;

describe('WebDAV answers', () => {
  test('a folder listing becomes user-relative paths with decoded names', () => {
    const [folder, file] = parseFilesMultistatus(FOLDER, 'm.jade@death.star');
    expect(folder).toMatchObject({ path: '/Földer A', name: 'Földer A', isDir: true, size: 74, fileId: '173', permissions: 'RGDNVCK' });
    expect(folder?.mtime?.toISOString()).toBe('2023-11-29T15:42:21.000Z');
    expect(file).toMatchObject({ path: '/Földer A/report [1].pdf', name: 'report [1].pdf', isDir: false, size: 74, fileId: '174' });
  });

  test('trash items keep their trash name for restore and show the original location', () => {
    const xml = `<d:multistatus xmlns:d="DAV:" xmlns:nc="http://nextcloud.org/ns" xmlns:oc="http://owncloud.org/ns">
<d:response><d:href>/remote.php/dav/trashbin/alice/trash/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
<d:response><d:href>/remote.php/dav/trashbin/alice/trash/a%20b.txt.d1700000000</d:href><d:propstat><d:prop>
<nc:trashbin-filename>a b.txt</nc:trashbin-filename><nc:trashbin-original-location>Docs/a b.txt</nc:trashbin-original-location>
<nc:trashbin-deletion-time>1700000000</nc:trashbin-deletion-time><d:resourcetype/><d:getcontentlength>5</d:getcontentlength>
</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;
    expect(parseTrashMultistatus(xml)).toEqual([
      { id: 'a b.txt.d1700000000', name: 'a b.txt', originalLocation: 'Docs/a b.txt', deletedAt: new Date(1_700_000_000_000), isDir: false, size: 5 },
    ]);
  });
});

describe('error messages shown to users', () => {
  test('come from whichever wire format the server used', () => {
    const sabre = `<?xml version="1.0" encoding="utf-8"?><d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns"><s:exception>Sabre\\DAV\\Exception\\MethodNotAllowed</s:exception><s:message>The resource you tried to create already exists</s:message></d:error>`;
    expect(messageFromBody(sabre, 'application/xml; charset=utf-8', 405)).toBe('The resource you tried to create already exists');
    const ocs = JSON.stringify({ ocs: { meta: { status: 'failure', statuscode: 102, message: 'User already exists' }, data: [] } });
    expect(messageFromBody(ocs, 'application/json', 200)).toBe('User already exists');
    const app = JSON.stringify({ error: { code: 'invalid_credentials', message: 'Wrong login or password' } });
    expect(messageFromBody(app, 'application/json', 401)).toBe('Wrong login or password');
    expect(messageFromBody('<html>oops</html>', 'text/html', 502, 'Bad Gateway')).toBe('The server answered 502 Bad Gateway');
  });
});

describe('ACL rule editing', () => {
  test('allow, deny and inherit set the mask and permission bits the way groupfolders stores them', () => {
    const rule = { mappingType: 'group' as const, mappingId: 'staff', mask: 0, permissions: 0 };
    const denyWrite = withState(rule, 2, 'deny');
    expect(denyWrite).toMatchObject({ mask: 2, permissions: 0 });
    const allowRead = withState(denyWrite, 1, 'allow');
    expect(allowRead).toMatchObject({ mask: 3, permissions: 1 });
    expect(withState(allowRead, 1, 'inherit')).toMatchObject({ mask: 2, permissions: 0 });
  });
});
