/** GET <issuer>/ — a minimal page pointing at the discovery document (dex v2.45.1 `server/server.go`, the `/` handler). */

export function landingPage(issuer: string): string {
  const discovery = `${issuer}/.well-known/openid-configuration`.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ferry</title></head>
<body><main><h1>Ferry OpenID Connect provider</h1><p>Discovery: <a href="${discovery}">${discovery}</a></p></main></body></html>`;
}
