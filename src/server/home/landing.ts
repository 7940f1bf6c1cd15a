/**
 * GET <issuer>/ without a browser session — a minimal page pointing at the discovery document (dex v2.45.1 `server/server.go`, the `/` handler);
 * with sessions on, a hint that signing in through an application shows the account here (home-routes.ts).
 */

import { escapeHtml } from '../../lib/html-escape.js';

export function landingPage(issuer: string, opts: { signInHint?: boolean } = {}): string {
  const discovery = escapeHtml(`${issuer}/.well-known/openid-configuration`);
  const hint = opts.signInHint
    ? '<p id="sign-in-hint">Not signed in. Sign in through one of your applications, then come back here to see your sessions, connected applications and second factors.</p>'
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ferry</title></head>
<body><main><h1>Ferry OpenID Connect provider</h1>${hint}<p>Discovery: <a href="${discovery}">${discovery}</a></p></main></body></html>`;
}
