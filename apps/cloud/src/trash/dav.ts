import type { FastifyReply } from 'fastify';
import { errors } from '../errors.ts';
import { decodeUrlPath } from '../files/paths.ts';
import type { FileInfo } from '../files/types.ts';
import { hrefOf, minimalResponse, parsePropfind, propContext } from '../dav/files-handlers.ts';
import { destinationPath, parseDepth, readBody, sendXml } from '../dav/http.ts';
import { renderResponse } from '../dav/properties.ts';
import type { DavTreeRequest } from '../dav/uploads.ts';
import { MULTISTATUS_CLOSE, MULTISTATUS_OPEN, NS, clark, escapeXml } from '../dav/xml.ts';
import type { TrashItem } from './service.ts';

const TRASH_FILENAME = clark(NS.nc, 'trashbin-filename');
const TRASH_LOCATION = clark(NS.nc, 'trashbin-original-location');
const TRASH_TIME = clark(NS.nc, 'trashbin-deletion-time');

const collection = (href: string) =>
  `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;

/**
 * Nextcloud's trash bin over WebDAV: `PROPFIND …/trashbin/{user}/trash/`, `MOVE …/trash/<item>` to
 * `…/trashbin/{user}/restore/<name>`, `DELETE …/trash/<item>` and `DELETE …/trash/` (empty).
 */
export async function trashbinRequest(tree: DavTreeRequest): Promise<FastifyReply> {
  const { services, request, reply, user } = tree;
  const path = decodeUrlPath(tree.tail);
  const [area, itemName, ...rest] = path.split('/');
  if (area === '' || area === undefined) {
    if (request.method !== 'PROPFIND') throw errors.not_implemented();
    const depth = parseDepth(request, 1);
    let body = MULTISTATUS_OPEN + collection(tree.base);
    if (depth !== 0) body += collection(`${tree.base}trash/`) + collection(`${tree.base}restore/`);
    return sendXml(reply, 207, body + MULTISTATUS_CLOSE);
  }
  if (area === 'restore') {
    if (request.method !== 'PROPFIND') throw errors.not_implemented();
    return sendXml(reply, 207, MULTISTATUS_OPEN + collection(`${tree.base}restore/`) + MULTISTATUS_CLOSE);
  }
  if (area !== 'trash') throw errors.file_not_found({}, `File with name ${area} could not be located`);
  const trash = services.trash;
  switch (request.method) {
    case 'PROPFIND': {
      const depth = parseDepth(request, 1);
      const props = parsePropfind(await readBody(request));
      const items = await trash.list(user);
      const view = await trash.storageView(user);
      const byNode = new Map<number, TrashItem>(items.map((i) => [i.node.id, i]));
      let infos: FileInfo[];
      let self: string | undefined;
      if (!itemName) {
        self = collection(`${tree.base}trash/`);
        infos = [];
        if (depth !== 0) for (const item of items) infos.push(await view.get(item.name));
      } else {
        if (!byNode.size || !items.some((i) => i.name === itemName)) throw errors.file_not_found({}, `File with name ${itemName} could not be located`);
        infos = await view.list(await view.get([itemName, ...rest].join('/')), depth);
      }
      const pctx = await propContext(view, infos, props, tree.instanceId);
      pctx.extra = (name, info) => {
        const item = byNode.get(info.node.id);
        if (!item) return undefined;
        if (name === TRASH_FILENAME) return escapeXml(item.originalLocation.split('/').pop() ?? '');
        if (name === TRASH_LOCATION) return escapeXml(item.originalLocation);
        if (name === TRASH_TIME) return String(Math.floor(item.deletedAt / 1000));
        return undefined;
      };
      const minimal = minimalResponse(request);
      let body = MULTISTATUS_OPEN + (self ?? '');
      for (const info of infos) body += renderResponse(hrefOf(`${tree.base}trash/`, info), info, props, pctx, minimal);
      return sendXml(reply, 207, body + MULTISTATUS_CLOSE);
    }
    case 'MOVE': {
      if (!itemName || rest.length) throw errors.file_forbidden({}, 'Only whole trash items can be restored');
      const target = destinationPath(request, `${tree.base}restore/`);
      const info = await trash.restore(user, itemName, target || undefined);
      return reply.status(201).header('content-length', 0).header('oc-fileid', `${String(info.node.id).padStart(8, '0')}${tree.instanceId}`).send();
    }
    case 'DELETE':
      if (!itemName) await trash.empty(user);
      else if (rest.length) throw errors.file_forbidden({}, 'Only whole trash items can be deleted');
      else await trash.purge(user, itemName);
      return reply.status(204).send();
    default:
      throw errors.not_implemented();
  }
}
