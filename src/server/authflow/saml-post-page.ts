/**
 * The SAML HTTP-POST binding's auto-submitting form (SAML Bindings §3.5): posts `SAMLRequest` and
 * `RelayState` (the AuthRequest id) to the IdP. Works without JavaScript through a visible button.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export function samlPostPage(ssoURL: string, samlRequest: string, relayState: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signing in…</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="${esc(ssoURL)}">
<input type="hidden" name="SAMLRequest" value="${esc(samlRequest)}">
<input type="hidden" name="RelayState" value="${esc(relayState)}">
<noscript><p>Continue to your identity provider to sign in.</p></noscript>
<button type="submit">Continue</button>
</form>
</body></html>`;
}
