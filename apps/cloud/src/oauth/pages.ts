import type { FastifyReply } from 'fastify';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:system-ui,sans-serif;background:#f6f8fa;color:#1f2328;margin:0}
main{max-width:30rem;margin:10vh auto;background:#fff;border:1px solid #d0d7de;border-radius:12px;padding:2rem}
h1{font-size:1.4rem;margin-top:0}.warning{color:#9a6700}.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer}
button.primary{background:#1f883d;border-color:#1f883d;color:#fff}`;

/** Server-rendered pages of the OAuth app: no scripts, never framed, never cached. */
export function sendPage(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)} – Tandem Cloud</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
    .send(html);
}

/** Nextcloud's answer to an unknown client id (HTTP 200, as Nextcloud does). */
export function unknownClientPage(reply: FastifyReply): FastifyReply {
  return sendPage(
    reply,
    200,
    'Access forbidden',
    '<h1>Access forbidden</h1><p>Your client is not authorized to connect. Please inform the administrator of your client.</p>',
  );
}

export function errorPage(reply: FastifyReply, status: number, message: string): FastifyReply {
  return sendPage(reply, status, 'Error', `<h1>Cannot connect this app</h1><p>${escape(message)}</p>`);
}

export interface ConsentPage {
  action: string;
  clientName: string;
  user: { id: string; displayName: string };
  redirectUri: string;
  /** Hidden fields that repeat the authorization request, plus the CSRF `requesttoken`. */
  fields: Record<string, string | undefined>;
}

/** "Grant access" for a logged-in user, posted back with the session's requesttoken. */
export function consentPage(reply: FastifyReply, page: ConsentPage): FastifyReply {
  const hidden = Object.entries(page.fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  let target = page.redirectUri;
  try {
    target = new URL(page.redirectUri).origin;
  } catch {
    // private-use schemes have no web origin: show the whole URI
  }
  return sendPage(
    reply,
    200,
    'Connect to your account',
    `<h1>Connect to your account</h1>
<p><strong>${escape(page.clientName)}</strong> asks for access to your Tandem Cloud account
<strong>${escape(page.user.displayName)}</strong> (${escape(page.user.id)}).</p>
<p class="warning">If you are not trying to set up a new device or app, someone is trying to trick you into granting
them access to your data. In this case do not proceed and instead contact your system administrator.</p>
<p>You will be sent back to <code>${escape(target)}</code>.</p>
<form method="post" action="${escape(page.action)}">${hidden}
<div class="actions"><button class="primary" type="submit" name="decision" value="grant">Grant access</button>
<button type="submit" name="decision" value="deny">Cancel</button></div></form>`,
  );
}
