import { afterEach, expect, test, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { FilesPage } from './FilesPage.tsx';
import { SessionProvider } from '../session.tsx';

const listing = (files: string[]) => `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">
<d:response><d:href>/remote.php/dav/files/alice/Docs/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype>
<oc:permissions>RGDNVCK</oc:permissions><oc:fileid>2</oc:fileid></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
${files
  .map(
    (name, i) => `<d:response><d:href>/remote.php/dav/files/alice/Docs/${encodeURIComponent(name)}</d:href><d:propstat><d:prop><d:resourcetype/>
<oc:fileid>${10 + i}</oc:fileid><oc:size>100</oc:size><oc:permissions>RGDNVW</oc:permissions></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
  )
  .join('')}
</d:multistatus>`;

/** Stands in for the browser's XMLHttpRequest so the test can play the upload's progress events. */
class FakeXhr {
  static last: FakeXhr | undefined;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  statusText = '';
  responseText = '';
  upload: { onprogress?: (event: { loaded: number; total: number; lengthComputable: boolean }) => void } = {};
  onload?: () => void;
  onerror?: () => void;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  getResponseHeader() {
    return null;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.last = this;
  }
}

afterEach(() => vi.unstubAllGlobals());

test('an upload shows its progress, then the file is listed', async () => {
  let files: string[] = [];
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/session') {
        return new Response(JSON.stringify({ user: { id: 'alice', displayName: 'Alice', email: null }, isAdmin: false, requesttoken: 'csrf-1' }), {
          headers: { 'content-type': 'application/json' },
        });
      }
      if (url.startsWith('/ocs/')) {
        return new Response(JSON.stringify({ ocs: { meta: { status: 'ok', statuscode: 200 }, data: { id: 'alice', subadmin: [] } } }), {
          headers: { 'content-type': 'application/json' },
        });
      }
      expect(init?.method).toBe('PROPFIND');
      return new Response(listing(files), { status: 207, headers: { 'content-type': 'application/xml' } });
    }),
  );
  render(
    <MemoryRouter initialEntries={['/apps/files?dir=/Docs']}>
      <SessionProvider>
        <Routes>
          <Route path="/apps/files" element={<FilesPage />} />
        </Routes>
      </SessionProvider>
    </MemoryRouter>,
  );
  expect(await screen.findByText('This folder is empty.')).toBeTruthy();

  const file = new File(['x'.repeat(100)], 'plan ö.txt', { type: 'text/plain' });
  fireEvent.change(screen.getByLabelText('Upload files'), { target: { files: [file] } });
  const xhr = FakeXhr.last!;
  expect(xhr.method).toBe('PUT');
  expect(xhr.url).toBe('/remote.php/dav/files/alice/Docs/plan%20%C3%B6.txt');
  expect(xhr.headers.requesttoken).toBe('csrf-1');
  expect(xhr.body).toBe(file);

  act(() => xhr.upload.onprogress!({ loaded: 50, total: 100, lengthComputable: true }));
  expect(screen.getByRole('progressbar', { name: 'Uploading plan ö.txt' }).getAttribute('aria-valuenow')).toBe('50');

  files = ['plan ö.txt'];
  xhr.status = 201;
  act(() => xhr.onload!());
  expect(await screen.findByRole('link', { name: 'plan ö.txt' })).toBeTruthy();
  expect(screen.queryByRole('progressbar')).toBeNull();
});
