/**
 * Nextcloud's OCS envelope (spec §2.2), rendered byte-compatible with PHP's XMLWriter / json_encode.
 *
 * Two renderers exist in Nextcloud and clients see both:
 * - `controller`: app controllers (V1Response / V2Response). Format from `?format` or `Accept`,
 *   `application/xml`, v1 meta always carries `totalitems`/`itemsperpage`.
 * - `legacy`: the entry script itself (route not found 998, failed Basic login 997 `Unauthorised`).
 *   Format from `?format` only, `text/xml`, meta without the paging keys, v2 maps the meta code too.
 */
export type OcsVersion = 1 | 2;
export type OcsFormat = 'json' | 'xml';
export type OcsStyle = 'controller' | 'legacy';

export const OCS_OK = 100;
export const OCS_SERVER_ERROR = 996;
export const OCS_UNAUTHORISED = 997;
export const OCS_NOT_FOUND = 998;
export const OCS_UNKNOWN_ERROR = 999;

export const ROUTE_NOT_FOUND_MESSAGE =
  'Invalid query, please check the syntax. API specifications are here: http://www.freedesktop.org/wiki/Specifications/open-collaboration-services.\n';

export interface OcsOutcome {
  /** OCS status code: 100 (or 200) for success, an app code (101…, 403, 404…) or 996–999. */
  statuscode: number;
  message?: string | undefined;
  data?: unknown;
  totalitems?: number | undefined;
  itemsperpage?: number | undefined;
}

export interface RenderedOcs {
  status: number;
  contentType: string;
  body: string;
}

/** HTTP status of a v2 answer (V2Response::getStatus / OC_API::mapStatusCodes). */
export function v2HttpStatus(code: number): number {
  if (code === OCS_OK) return 200;
  if (code === OCS_UNAUTHORISED) return 401;
  if (code === OCS_NOT_FOUND) return 404;
  if (code === OCS_SERVER_ERROR || code === OCS_UNKNOWN_ERROR) return 500;
  if (code < 200 || code > 600) return 400;
  return code;
}

export function renderOcs(version: OcsVersion, format: OcsFormat, outcome: OcsOutcome, style: OcsStyle = 'controller'): RenderedOcs {
  const code = outcome.statuscode;
  let status: number;
  let meta: Record<string, unknown>;
  if (style === 'legacy') {
    status = code === OCS_UNAUTHORISED ? 401 : 200;
    let metaCode = code;
    if (version === 2 && code !== OCS_UNAUTHORISED) {
      status = v2HttpStatus(code);
      metaCode = status;
    }
    meta = { status: code === OCS_OK ? 'ok' : 'failure', statuscode: metaCode, message: outcome.message ?? null };
    if (outcome.totalitems !== undefined) meta.totalitems = outcome.totalitems;
    if (outcome.itemsperpage !== undefined) meta.itemsperpage = outcome.itemsperpage;
  } else if (version === 1) {
    const ok = code === OCS_OK || code === 200;
    status = code === OCS_UNAUTHORISED ? 401 : 200;
    meta = {
      status: ok ? 'ok' : 'failure',
      statuscode: ok ? OCS_OK : code,
      message: ok ? 'OK' : (outcome.message ?? ''),
      totalitems: outcome.totalitems === undefined ? '' : String(outcome.totalitems),
      itemsperpage: outcome.itemsperpage === undefined ? '' : String(outcome.itemsperpage),
    };
  } else {
    status = v2HttpStatus(code);
    const ok = status >= 200 && status < 300;
    meta = { status: ok ? 'ok' : 'failure', statuscode: code === OCS_OK ? 200 : code, message: ok ? 'OK' : (outcome.message ?? '') };
    if (outcome.totalitems !== undefined) meta.totalitems = outcome.totalitems;
    if (outcome.itemsperpage !== undefined) meta.itemsperpage = outcome.itemsperpage;
  }
  // PHP turns a missing result into an empty array: `"data":[]` in JSON, `<data/>` in XML.
  const data = outcome.data === undefined || outcome.data === null ? [] : outcome.data;
  const document = { ocs: { meta, data } };
  if (format === 'json') return { status, contentType: 'application/json; charset=utf-8', body: phpJson(document) };
  return {
    status,
    contentType: style === 'legacy' ? 'text/xml; charset=UTF-8' : 'application/xml; charset=utf-8',
    body: `<?xml version="1.0"?>\n${xmlElement('ocs', document.ocs, 0)}`,
  };
}

/** `json_encode($x, JSON_HEX_TAG)`: escaped slashes and tags; `/`, `<`, `>` only occur inside strings. */
export function phpJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/').replace(/</g, '\\u003C').replace(/>/g, '\\u003E');
}

/** XMLWriter's escaping of text and attribute values (libxml's xmlEncodeSpecialChars). */
function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;');
}

/** PHP's `(string)` of a scalar: true → "1", false → "". */
function scalarText(value: unknown): string {
  if (value === true) return '1';
  if (value === false) return '';
  return String(value);
}

/**
 * One element as OCS's `toXML` writes it with indentation (one space per level): arrays give
 * repeated `<element>` children (so do numeric object keys), null and empty containers are
 * self-closing, `@attributes` / `@name` keys become attributes.
 */
function xmlElement(name: string, value: unknown, depth: number): string {
  const pad = ' '.repeat(depth);
  if (value === null || value === undefined) return `${pad}<${name}/>\n`;
  if (typeof value !== 'object') return `${pad}<${name}>${escapeXml(scalarText(value))}</${name}>\n`;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v) => ['element', v]) : Object.entries(value);
  let attributes = '';
  let children = '';
  for (const [key, child] of entries) {
    if (key === '@attributes' && child && typeof child === 'object') {
      for (const [attr, v] of Object.entries(child)) attributes += ` ${attr}="${escapeXml(scalarText(v))}"`;
    } else if (key.startsWith('@')) {
      attributes += ` ${key.slice(1)}="${escapeXml(scalarText(child))}"`;
    } else {
      children += xmlElement(/^-?\d+(\.\d+)?$/.test(key) ? 'element' : key, child, depth + 1);
    }
  }
  if (!children) return `${pad}<${name}${attributes}/>\n`;
  return `${pad}<${name}${attributes}>\n${children}${pad}</${name}>\n`;
}
