import type { FastifyInstance } from 'fastify';
import { sendXml } from '../dav/http.ts';
import { sabreError } from '../dav/xml.ts';
import { requestAuth } from '../http/request-auth.ts';
import type { CloudServices } from '../services.ts';

// The real app's Sabre CheckPlugin methods (HEAD runs as GET there); SEARCH too, it lists file data.
const CHECKED = new Set(['PROPFIND', 'PROPPATCH', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'MKCOL', 'MOVE', 'COPY', 'REPORT', 'SEARCH']);

/**
 * WebDAV for a signed-in user who has not accepted the current terms answers 403 Sabre Forbidden
 * `Terms of service are not signed`, as the terms_of_service app's DAV plugin does. Anonymous and
 * bad-credential requests pass on to the DAV layer's own answers.
 */
export function termsOfServiceDavGate(app: FastifyInstance, services: CloudServices): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/remote.php/') || !CHECKED.has(request.method)) return;
    if (!(await services.terms.enabled())) return;
    const context = await requestAuth(services.auth, request).catch(() => undefined);
    if (!context || (await services.terms.hasSigned(context.user.id))) return;
    if (request.method === 'HEAD') return reply.status(403).send();
    return sendXml(reply, 403, sabreError('Sabre\\DAV\\Exception\\Forbidden', 'Terms of service are not signed'));
  });
}
