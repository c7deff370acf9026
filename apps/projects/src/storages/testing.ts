import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Test helper: a reverse proxy in front of a real Cloud, as an operator's web server would be —
 * optionally over TLS with a certificate from a private CA, optionally stripping the
 * `Authorization` header (the misconfiguration behind "Host is not fully set up").
 */
export async function startProxy(target: string, options: { stripAuthorization?: boolean; tls?: { key: string; cert: string } } = {}) {
  const upstream = new URL(target);
  const handler: http.RequestListener = (request, response) => {
    const headers = { ...request.headers, host: upstream.host };
    if (options.stripAuthorization) delete headers.authorization;
    const forward = http.request({ hostname: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forward.on('error', () => response.writeHead(502).end());
    request.pipe(forward);
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://${options.tls ? 'localhost' : '127.0.0.1'}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A private CA and a `localhost` certificate signed by it (openssl), in a temporary folder. */
export function privateCa(): { dir: string; ca: string; key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'projects-ca-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Tandem Test CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'host.key', '-out', 'host.csr', '-subj', '/CN=localhost');
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost\n');
  run('x509', '-req', '-in', 'host.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'host.pem', '-days', '2', '-extfile', 'ext.cnf');
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  return { dir, ca: read('ca.pem'), key: read('host.key'), cert: read('host.pem') };
}
