import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { webRoutes } from './routes.ts';

describe('web UI routes', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'projects-web-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Tandem Projects</title>');
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  const app = Fastify();
  webRoutes(app, dist);
  after(async () => {
    await app.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('answers the page paths with the app and never the API, OAuth or health check paths', async () => {
    for (const url of ['/', '/login?back_url=%2Fprojects', '/projects', '/projects/apollo/work_packages/7/files', '/work_packages/7', '/notifications', '/my/access_tokens', '/admin/roles']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      assert.match(response.headers['content-type'] as string, /^text\/html/);
      assert.equal(response.headers['cache-control'], 'no-cache');
    }
    for (const url of ['/api/v3/projects', '/api/session', '/oauth/authorize', '/health_checks/default']) {
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 404, `${url} is left to its own module`);
    }
    assert.equal((await app.inject({ method: 'POST', url: '/projects' })).statusCode, 404, 'HTML GETs only');
  });

  it('serves hashed assets for good and nothing outside the assets folder', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(asset.headers['cache-control'] as string, /immutable/);
    assert.equal((await app.inject({ method: 'GET', url: '/assets/..%2Findex.html' })).statusCode, 404);
  });
});
