/** The few server-rendered pages of the OAuth flow: sign in, consent, error. */
const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} | Tandem Projects</title>
<style>
body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;background:#f6f8fa;color:#1f2328;margin:0}
main{max-width:420px;margin:10vh auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:24px}
h1{font-size:20px;margin-top:0}label{display:block;margin:12px 0 4px;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:6px 8px;border:1px solid #d0d7de;border-radius:6px;font-size:14px}
button{margin-top:16px;padding:6px 16px;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;font-size:14px;cursor:pointer}
button.secondary{background:#f6f8fa;color:#1f2328;border-color:#d0d7de;margin-left:8px}
.error{background:#ffebe9;border:1px solid #ff818266;padding:8px 12px;border-radius:6px}
</style></head><body><main>${body}</main></body></html>`;
}

export function loginPage(backUrl: string, error?: string): string {
  return page(
    'Sign in',
    `<h1>Sign in to Tandem Projects</h1>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/oauth/login">
<input type="hidden" name="back_url" value="${escape(backUrl)}">
<label for="username">Username</label><input id="username" type="text" name="username" autocomplete="username" autofocus>
<label for="password">Password</label><input id="password" type="password" name="password" autocomplete="current-password">
<button type="submit">Sign in</button>
</form>`,
  );
}

export function consentPage(options: {
  applicationName: string;
  scopes: string[];
  userName: string;
  hidden: Record<string, string | undefined>;
  authenticityToken: string;
}): string {
  const fields = Object.entries({ ...options.hidden, authenticity_token: options.authenticityToken })
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('\n');
  const scopes = options.scopes.map((s) => `<li>${escape(s === 'api_v3' ? 'API v3: read and write your projects and work packages' : s)}</li>`).join('');
  return page(
    'Authorize',
    `<h1>Authorize ${escape(options.applicationName)}</h1>
<p>Signed in as <strong>${escape(options.userName)}</strong>.</p>
<p><strong>${escape(options.applicationName)}</strong> wants to access your account with these permissions:</p>
<ul>${scopes}</ul>
<form method="post" action="/oauth/authorize">
${fields}
<button type="submit" name="decision" value="authorize">Authorize</button><button class="secondary" type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page('Authorization error', `<h1>An error has occurred</h1><p class="error" role="alert">${escape(message)}</p>`);
}
