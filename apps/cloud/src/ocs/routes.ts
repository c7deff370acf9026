import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { CloudServices } from '../services.ts';
import { NEXTCLOUD_VERSION, VERSION_STRING } from '../status/routes.ts';
import { presentUser } from '../provisioning/presenter.ts';
import { provisioningOcs } from '../provisioning/routes.ts';
import { appPasswordOcs } from './app-passwords.ts';
import { ocsMounts, registerOcs, type OcsRouter } from './router.ts';

/** `/ocs/v1.php/…` and `/ocs/v2.php/…`: capabilities, the current user, provisioning, app passwords. */
export async function ocsRoutes(app: FastifyInstance, services: CloudServices): Promise<void> {
  await registerOcs(
    app,
    services,
    ocsMounts(),
    (router) => {
      coreOcs(router);
      provisioningOcs(router);
      appPasswordOcs(router);
    },
    { notFound: true },
  );
}

function coreOcs(router: OcsRouter): void {
  router.public('GET', '/cloud/capabilities', async ({ services, auth, baseUrl, request, reply }) => {
    const capabilities = await services.capabilities.collect({ user: auth?.user, baseUrl, ip: request.ip });
    const data = {
      version: { ...pick(NEXTCLOUD_VERSION), string: VERSION_STRING, edition: '', extendedSupport: false },
      capabilities,
    };
    const etag = `"${crypto.createHash('md5').update(JSON.stringify(data)).digest('hex')}"`;
    reply.header('ETag', etag);
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return data;
  });

  router.user('GET', '/cloud/user', async ({ services, auth }) => presentUser(await services.provisioning.describe(auth.user), true));
}

function pick(version: typeof NEXTCLOUD_VERSION) {
  return { major: version.major, minor: version.minor, micro: version.micro };
}
