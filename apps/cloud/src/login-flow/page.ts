/** The login-flow pages: small server-rendered HTML, no scripts, every value escaped. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} – Tandem Cloud</title>
<style>
body{font-family:system-ui,sans-serif;background:#00679e;color:#222;display:flex;justify-content:center;padding-top:10vh;margin:0}
main{background:#fff;border-radius:8px;padding:2rem;width:min(24rem,90vw);box-shadow:0 2px 12px #0003}
h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.6rem;font-size:1rem;background:#00679e;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{color:#b00020}.muted{color:#555}
</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

export function loginPage(action: string, clientName: string, error?: string, user = ''): string {
  return layout(
    'Connect to your account',
    `<h1>Connect to your account</h1>
<p class="muted">Log in to give <strong>${escapeHtml(clientName)}</strong> access to your Tandem Cloud account.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<label for="user">Login or email</label>
<input id="user" name="user" autocomplete="username" required value="${escapeHtml(user)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>`,
  );
}

export function grantPage(action: string, clientName: string, userName: string, requestToken: string): string {
  return layout(
    'Account access',
    `<h1>Account access</h1>
<p>You are about to grant <strong>${escapeHtml(clientName)}</strong> access to the account of <strong>${escapeHtml(userName)}</strong>.</p>
<p class="muted">It will get an app password of its own, which you can revoke in your personal settings.</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="requesttoken" value="${escapeHtml(requestToken)}">
<button type="submit">Grant access</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
