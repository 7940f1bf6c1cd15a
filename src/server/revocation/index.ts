/**
 * Token revocation (RFC 7009) at `<issuer>/token/revoke`, beyond dex. `revoke.ts` is the endpoint;
 * `access-tokens.ts` verifies Ferry's JWTs and keeps the `jti` denylist (storage kind `revoked_token`, collected
 * after each token's `exp`) that introspection and userinfo consult; `refresh-tokens.ts` deletes refresh tokens
 * and their OfflineSessions links.
 */
export { revocationEndpoint } from './revoke.js';
export { clientOfToken, isRevoked, looksLikeJwt, revokeJwt, verifyOwnJwt } from './access-tokens.js';
export { findRefreshToken, revokeRefreshToken, type RefreshRevocationDeps } from './refresh-tokens.js';
