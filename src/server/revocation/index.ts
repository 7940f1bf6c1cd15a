/**
 * Token revocation (RFC 7009) at `<issuer>/token/revoke`, beyond dex. `revoke.ts` is the endpoint; what it shares
 * with introspection and userinfo — verifying Ferry's JWTs, the `jti` denylist (storage kind `revoked_token`,
 * collected after each token's `exp`), finding and deleting refresh tokens with their OfflineSessions links — is in
 * `src/server/tokens` (access-tokens.ts, refresh-tokens.ts).
 */
export { revocationEndpoint } from './revoke.js';
