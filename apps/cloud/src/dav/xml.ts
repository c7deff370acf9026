import { DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import { errors } from '../errors.ts';

export const NS = {
  dav: 'DAV:',
  oc: 'http://owncloud.org/ns',
  nc: 'http://nextcloud.org/ns',
  sabre: 'http://sabredav.org/ns',
  ocs: 'http://open-collaboration-services.org/ns',
  ocm: 'http://open-cloud-mesh.org/ns',
} as const;

/** Prefixes Nextcloud uses; `d s oc nc` are declared on every multistatus. */
const PREFIXES = new Map<string, string>([
  [NS.dav, 'd'],
  [NS.sabre, 's'],
  [NS.oc, 'oc'],
  [NS.nc, 'nc'],
  [NS.ocs, 'ocs'],
  [NS.ocm, 'ocm'],
]);

export const MULTISTATUS_OPEN =
  '<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">';
export const MULTISTATUS_CLOSE = '</d:multistatus>';

/**
 * Builds a large answer (a multistatus of 10,000 responses) as ~64 KiB UTF-8 buffers: one giant
 * concatenated string would be flattened and measured again for `Content-Length`, and churn the GC.
 */
export class XmlBuffer {
  private readonly parts: Buffer[] = [];
  private text = '';

  append(xml: string): void {
    this.text += xml;
    if (this.text.length >= 65536) {
      this.parts.push(Buffer.from(this.text, 'utf8'));
      this.text = '';
    }
  }

  toBuffer(): Buffer {
    if (this.text !== '') this.parts.push(Buffer.from(this.text, 'utf8'));
    this.text = '';
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
  }
}

export const clark = (ns: string, local: string) => `{${ns}}${local}`;

export function splitClark(name: string): { ns: string; local: string } {
  const close = name.indexOf('}');
  return { ns: name.slice(1, close), local: name.slice(close + 1) };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export function escapeXml(text: string): string {
  return /[&<>"]/.test(text) ? text.replace(/[&<>"]/g, (c) => ESCAPES[c]!) : text;
}

const tagCache = new Map<string, { open: string; close: string; empty: string }>();

/** Open/close tags for a property name (cached: listings render them 10,000s of times). */
export function propTags(name: string): { open: string; close: string; empty: string } {
  let tags = tagCache.get(name);
  if (!tags) {
    tags = buildTags(name);
    if (tagCache.size < 10_000) tagCache.set(name, tags);
  }
  return tags;
}

/** Unknown namespaces are declared on the element itself. */
function buildTags(name: string): { open: string; close: string; empty: string } {
  const { ns, local } = splitClark(name);
  const prefix = PREFIXES.get(ns);
  if (prefix === 'ocs' || prefix === 'ocm') {
    const decl = ` xmlns:${prefix}="${ns}"`;
    return { open: `<${prefix}:${local}${decl}>`, close: `</${prefix}:${local}>`, empty: `<${prefix}:${local}${decl}/>` };
  }
  if (prefix) return { open: `<${prefix}:${local}>`, close: `</${prefix}:${local}>`, empty: `<${prefix}:${local}/>` };
  const decl = ns === '' ? ' xmlns=""' : ` xmlns:x="${escapeXml(ns)}"`;
  const tag = ns === '' ? local : `x:${local}`;
  return { open: `<${tag}${decl}>`, close: `</${tag}>`, empty: `<${tag}${decl}/>` };
}

/** Sabre's `encodePath`: keep `A-Za-z0-9_-.~()/:@`, everything else as lowercase `%xx`. */
export function encodeHrefPath(path: string): string {
  if (/^[A-Za-z0-9_\-.~()/:@]*$/.test(path)) return path;
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_\-.~()/:@]/.test(c) && byte < 128 ? c : `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Parse a request body namespace-aware; malformed XML (incl. `xmlns:x=""`) is a 400. */
export function parseXml(body: string): Document {
  if (/\sxmlns:[A-Za-z_][\w.-]*\s*=\s*(""|'')/.test(body)) throw errors.dav_bad_request({}, 'Invalid namespace declaration');
  try {
    return new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(body, 'application/xml');
  } catch {
    throw errors.dav_bad_request({}, 'The request body is not well-formed XML');
  }
}

export const elementChildren = (node: Node): Element[] => {
  const out: Element[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) if (child.nodeType === 1) out.push(child as Element);
  return out;
};

export const isElement = (el: Element | undefined | null, ns: string, local: string): el is Element =>
  !!el && el.namespaceURI === ns && el.localName === local;

export const nameOf = (el: Element) => clark(el.namespaceURI ?? '', el.localName ?? el.nodeName);

/** Inner XML of a property value, namespace declarations included, for storing as a dead property. */
export function innerXml(el: Element): string {
  const serializer = new XMLSerializer();
  let out = '';
  for (let child = el.firstChild; child; child = child.nextSibling) out += serializer.serializeToString(child);
  return out;
}

/** Text content of an element (trimmed). */
export const textOf = (el: Element) => (el.textContent ?? '').trim();

/** Sabre's exception XML. */
export function sabreError(exception: string, message: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n' +
    `  <s:exception>${escapeXml(exception)}</s:exception>\n  <s:message>${escapeXml(message)}</s:message>\n</d:error>\n`
  );
}
