/**
 * Token introspection (RFC 7662) at `<issuer>/token/introspect`: `introspect.ts` is the endpoint,
 * `introspection-response.ts` the answer's shape (dex's fields). Access tokens are checked against the revocation
 * denylist of `src/server/tokens` (access-tokens.ts).
 */
export { introspectionEndpoint } from './introspect.js';
export { accessTokenIntrospection, refreshTokenIntrospection, type Introspection } from './introspection-response.js';
