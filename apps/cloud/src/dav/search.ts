import type { Element } from '@xmldom/xmldom';
import { errors } from '../errors.ts';
import type { FileView } from '../files/service.ts';
import { decodeUrlPath } from '../files/paths.ts';
import type { FileInfo } from '../files/types.ts';
import { hrefOf, propContext, minimalResponse, type DavContext } from './files-handlers.ts';
import { readBody, sendXml } from './http.ts';
import { PROP, liveProperty, renderResponse, type PropContext, type PropRequest } from './properties.ts';
import { MULTISTATUS_CLOSE, MULTISTATUS_OPEN, NS, elementChildren, isElement, nameOf, parseXml, textOf } from './xml.ts';

type Value = string | number;

/** A property's comparable value: numbers for sizes, ids and times, text otherwise. */
function valueOf(name: string, info: FileInfo, ctx: PropContext): Value | undefined {
  switch (name) {
    case PROP.getlastmodified:
      return info.node.mtime;
    case PROP.size:
    case PROP.getcontentlength:
      return info.node.size;
    case PROP.fileid:
      return info.node.id;
    case PROP.favorite:
      return Number(liveProperty(name, info, ctx) ?? 0);
    case PROP.displayname:
      return info.node.name;
    case PROP.getcontenttype:
      return info.node.kind === 'dir' ? 'httpd/unix-directory' : info.node.mimetype;
    default:
      return liveProperty(name, info, ctx);
  }
}

const likeToRegExp = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');

/** Build a predicate from a `d:where` clause (eq, like, gt, gte, lt, lte, is-collection, and, or, not). */
function predicate(el: Element, ctx: PropContext): (info: FileInfo) => boolean {
  const kids = elementChildren(el);
  const local = el.localName;
  if (el.namespaceURI !== NS.dav) throw errors.dav_bad_request({}, `Unsupported search operator ${nameOf(el)}`);
  if (local === 'and' || local === 'or') {
    const parts = kids.map((k) => predicate(k, ctx));
    return local === 'and' ? (i) => parts.every((p) => p(i)) : (i) => parts.some((p) => p(i));
  }
  if (local === 'not') {
    const inner = predicate(kids[0] ?? el, ctx);
    return (i) => !inner(i);
  }
  if (local === 'is-collection') return (i) => i.node.kind === 'dir';
  const prop = kids.find((k) => isElement(k, NS.dav, 'prop'));
  const literal = kids.find((k) => isElement(k, NS.dav, 'literal'));
  const name = prop ? elementChildren(prop)[0] : undefined;
  if (!name || !literal) throw errors.dav_bad_request({}, `Incomplete search operator ${local}`);
  const propName = nameOf(name);
  const raw = textOf(literal);
  const wanted: Value = propName === PROP.getlastmodified && !/^\d+$/.test(raw) ? Math.floor(Date.parse(raw) / 1000) : /^-?\d+$/.test(raw) ? Number(raw) : raw;
  const compare = (info: FileInfo): number | undefined => {
    const value = valueOf(propName, info, ctx);
    if (value === undefined) return undefined;
    if (typeof wanted === 'number') return Number(value) - wanted;
    return String(value).localeCompare(String(wanted));
  };
  switch (local) {
    case 'eq':
      return (i) => compare(i) === 0;
    case 'like': {
      const re = likeToRegExp(raw);
      return (i) => re.test(String(valueOf(propName, i, ctx) ?? ''));
    }
    case 'gt':
      return (i) => (compare(i) ?? -1) > 0;
    case 'gte':
      return (i) => (compare(i) ?? -1) >= 0;
    case 'lt':
      return (i) => (compare(i) ?? 1) < 0;
    case 'lte':
      return (i) => (compare(i) ?? 1) <= 0;
    default:
      throw errors.dav_bad_request({}, `Unsupported search operator ${local}`);
  }
}

async function render(view: FileView, infos: FileInfo[], props: PropRequest, hrefBase: string, instanceId: string, minimal: boolean, filter?: (ctx: PropContext) => (i: FileInfo) => boolean, limit?: number): Promise<string> {
  const ctx = await propContext(view, infos, props.kind === 'prop' ? { kind: 'prop', names: [...props.names, PROP.favorite] } : props, instanceId);
  let matches = filter ? infos.filter(filter(ctx)) : infos;
  if (limit !== undefined) matches = matches.slice(0, limit);
  let body = MULTISTATUS_OPEN;
  for (const info of matches) body += renderResponse(hrefOf(hrefBase, info), info, props, ctx, minimal);
  return body + MULTISTATUS_CLOSE;
}

/**
 * RFC 5323 `SEARCH` at `/remote.php/dav/` with scope `/files/{user}[/dir]`, as Nextcloud's web UI and
 * OpenProject use it (file-id lookups, name filters). Results respect the same permissions as listings.
 */
export async function search(ctx: Omit<DavContext, 'path' | 'destination' | 'rawPath' | 'hrefBase'>, basePath: string): Promise<void> {
  const root = parseXml(await readBody(ctx.request)).documentElement;
  const basic = root && isElement(root, NS.dav, 'searchrequest') ? elementChildren(root).find((e) => isElement(e, NS.dav, 'basicsearch')) : undefined;
  if (!basic) throw errors.dav_bad_request({}, 'The request body must be a {DAV:}searchrequest with {DAV:}basicsearch');
  const part = (local: string) => elementChildren(basic).find((e) => isElement(e, NS.dav, local));
  const select = part('select');
  const selectProp = select ? elementChildren(select).find((e) => isElement(e, NS.dav, 'prop')) : undefined;
  const props: PropRequest = selectProp ? { kind: 'prop', names: elementChildren(selectProp).map(nameOf) } : { kind: 'allprop' };
  const scope = part('from') ? elementChildren(part('from')!).find((e) => isElement(e, NS.dav, 'scope')) : undefined;
  const scopeHref = scope ? textOf(elementChildren(scope).find((e) => isElement(e, NS.dav, 'href')) ?? scope) : '';
  const depth = scope ? textOf(elementChildren(scope).find((e) => isElement(e, NS.dav, 'depth')) ?? scope) : 'infinity';
  const match = /^\/?files\/([^/]+)(\/.*)?$/.exec(scopeHref.replace(/^.*\/remote\.php\/dav\//, ''));
  if (!match || decodeURIComponent(match[1]!).toLowerCase() !== ctx.view.user.id.toLowerCase()) throw errors.dav_bad_request({}, 'The search scope must be /files/{user}');
  const start = await ctx.view.get(decodeUrlPath(match[2] ?? ''));
  const infos = (await ctx.view.list(start, depth === '1' ? 1 : depth === '0' ? 0 : 'infinity')).filter((i) => i !== start || depth === '0');
  const where = part('where');
  const condition = where ? elementChildren(where)[0] : undefined;
  const limitEl = part('limit');
  const nresults = limitEl ? elementChildren(limitEl).find((e) => isElement(e, NS.dav, 'nresults')) : undefined;
  const limit = nresults ? Number(textOf(nresults)) : undefined;
  const orderby = part('orderby');
  if (orderby) {
    const orders = elementChildren(orderby).filter((e) => isElement(e, NS.dav, 'order'));
    const pctx = await propContext(ctx.view, infos, { kind: 'prop', names: [PROP.favorite] }, ctx.instanceId);
    infos.sort((a, b) => {
      for (const order of orders) {
        const prop = elementChildren(order).find((e) => isElement(e, NS.dav, 'prop'));
        const name = prop ? elementChildren(prop)[0] : undefined;
        if (!name) continue;
        const va = valueOf(nameOf(name), a, pctx);
        const vb = valueOf(nameOf(name), b, pctx);
        const diff = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va ?? '').localeCompare(String(vb ?? ''));
        if (diff !== 0) return elementChildren(order).some((e) => isElement(e, NS.dav, 'descending')) ? -diff : diff;
      }
      return 0;
    });
  }
  const hrefBase = `${basePath}/remote.php/dav/files/${ctx.view.user.id}/`;
  const body = await render(ctx.view, infos, props, hrefBase, ctx.instanceId, minimalResponse(ctx.request), condition ? (pc) => predicate(condition, pc) : undefined, limit);
  sendXml(ctx.reply, 207, body);
}

/** `REPORT` with `oc:filter-files` (favorites below a folder); other reports are not supported. */
export async function report(ctx: DavContext): Promise<void> {
  const root = parseXml(await readBody(ctx.request)).documentElement;
  if (!root || !isElement(root, NS.oc, 'filter-files')) throw errors.not_implemented({}, 'Only the oc:filter-files report is supported');
  const prop = elementChildren(root).find((e) => isElement(e, NS.dav, 'prop'));
  const props: PropRequest = prop ? { kind: 'prop', names: elementChildren(prop).map(nameOf) } : { kind: 'allprop' };
  const rules = elementChildren(root).find((e) => isElement(e, NS.oc, 'filter-rules'));
  const favorite = rules ? elementChildren(rules).find((e) => isElement(e, NS.oc, 'favorite')) : undefined;
  if (rules && elementChildren(rules).some((e) => !isElement(e, NS.oc, 'favorite'))) throw errors.not_implemented({}, 'Only the favorite filter rule is supported');
  const start = await ctx.view.get(ctx.path);
  const infos = (await ctx.view.list(start, 'infinity')).slice(1);
  const wantFavorite = favorite ? textOf(favorite) === '1' : undefined;
  const body = await render(ctx.view, infos, props, ctx.hrefBase, ctx.instanceId, minimalResponse(ctx.request), (pc) => (i) => wantFavorite === undefined || (liveProperty(PROP.favorite, i, pc) === '1') === wantFavorite);
  sendXml(ctx.reply, 207, body);
}
