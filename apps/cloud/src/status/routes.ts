import type { FastifyInstance } from 'fastify';

/** The version we claim: modern enough for nextcloudcmd and OpenProject's minimums. */
export const NEXTCLOUD_VERSION = { major: 31, minor: 0, micro: 5, build: 1 } as const;
export const VERSION_STRING = `${NEXTCLOUD_VERSION.major}.${NEXTCLOUD_VERSION.minor}.${NEXTCLOUD_VERSION.micro}`;

export function statusRoutes(app: FastifyInstance): void {
  app.get('/status.php', async (_request, reply) => {
    reply.header('Access-Control-Allow-Origin', '*');
    return {
      installed: true,
      maintenance: false,
      needsDbUpgrade: false,
      version: `${VERSION_STRING}.${NEXTCLOUD_VERSION.build}`,
      versionstring: VERSION_STRING,
      edition: '',
      productname: 'Tandem Cloud',
      extendedSupport: false,
    };
  });
}
