import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { webRoutes } from './routes.ts';

// The routing alone, on a stand-in build: which paths the UI answers and which it must leave alone.
let app: FastifyInstance;
let dist: string;

before(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-web-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  app = Fastify();
  webRoutes(app, dist);
  await app.ready();
});

after(async () => {
  await app.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

test('the pages of the UI answer with the app, with and without /index.php', async () => {
  for (const url of [
    '/',
    '/login?redirect_url=%2Fapps%2Ffiles',
    '/index.php/login',
    '/apps/files',
    '/index.php/apps/files/?dir=/Docs',
    '/index.php/apps/files/files/42?dir=/Docs&openfile=true',
    '/index.php/f/42',
    '/apps/files/trashbin',
    '/settings/users',
    '/index.php/settings/user/security',
    '/index.php/settings/admin/oauth2',
  ]) {
    const response = await app.inject({ url });
    assert.equal(response.statusCode, 200, url);
    assert.match(String(response.headers['content-type']), /^text\/html/, url);
    assert.match(response.body, /<div id="root">/, url);
  }
});

test('protocol paths are never answered by the UI', async () => {
  for (const url of [
    '/remote.php/dav/files/admin/',
    '/remote.php/webdav/',
    '/ocs/v2.php/cloud/user',
    '/status.php',
    '/api/session',
    '/index.php/apps/oauth2/api/v1/token',
    '/index.php/apps/oauth2/authorize',
    '/index.php/apps/oauth2/clients',
    '/index.php/apps/groupfolders/folders',
    '/index.php/login/v2',
    '/index.php/login/flow',
    '/index.php/settings/personal/authtokens',
  ]) {
    assert.equal((await app.inject({ url })).statusCode, 404, url);
  }
  assert.equal((await app.inject({ method: 'POST', url: '/login' })).statusCode, 404);
});

test('bundles are served with their type and cached for good; nothing outside the build is', async () => {
  const asset = await app.inject({ url: '/assets/index-abc123.js' });
  assert.equal(asset.statusCode, 200);
  assert.match(String(asset.headers['content-type']), /^text\/javascript/);
  assert.match(String(asset.headers['cache-control']), /immutable/);
  assert.equal(asset.body, 'console.log(1)');
  for (const url of ['/assets/missing.js', '/assets/..%2findex.html', '/assets/..%2f..%2fpackage.json']) {
    assert.equal((await app.inject({ url })).statusCode, 404, url);
  }
});

test('a missing build explains how to build it', async () => {
  const bare = Fastify();
  webRoutes(bare, path.join(dist, 'nowhere'));
  const response = await bare.inject({ url: '/apps/files' });
  assert.equal(response.statusCode, 503);
  assert.match(response.body, /npm run build -w apps\/cloud\/web/);
  await bare.close();
});
