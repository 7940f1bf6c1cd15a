/**
 * Token construction (dex v2.45.1 `server/oauth2.go`). issuer.ts mints ID and access tokens from a `TokenContext` (claims.ts builds
 * the claim set; hash.ts computes at_hash / c_hash) and signs them with the `Signer`. subject.ts and
 * refresh-token-wire.ts are dex's protobuf wire forms of `sub` and of refresh tokens (proto-pair.ts).
 *
 * The token services every endpoint shares (dex master (ab64ed77) keeps them in `server/tokens/` too):
 *   refresh-policy.ts   the refresh-token rules as pure functions (lookup checks, rotation plan)
 *   refresh-store.ts    issuing refresh tokens (OfflineSessions links, one per client or per device)
 *   refresh-tokens.ts   finding a presented refresh token and revoking one
 *   access-tokens.ts    verifying Ferry's own JWTs, the client of a token, the `jti` denylist
 *   token-checker.ts    the remembering access-token check of /userinfo
 *   check-scopes.ts     the scope policy and cross-client trust (`audience:server:client_id:<peer>`)
 */
export { createTokenIssuer, type IssuedToken, type TokenIssuer, type TokenIssuerOptions } from './issuer.js';
export { buildClaims, claimsOf, tokenAudience, type TokenContext, type TokenStamp } from './claims.js';
export { tokenHash } from './hash.js';
export { decodeSubject, encodeSubject } from './subject.js';
export { decodeRefreshToken, encodeRefreshToken } from './refresh-token-wire.js';
export { checkRefreshToken, planRefresh, type RefreshPlan, type RefreshRejection } from './refresh-policy.js';
export { issueRefreshToken, type NewRefreshToken, type RefreshStoreDeps } from './refresh-store.js';
export { findRefreshToken, revokeRefreshToken, type RefreshRevocationDeps } from './refresh-tokens.js';
export { clientOfToken, isRevoked, looksLikeJwt, revokeJwt, verifyOwnJwt } from './access-tokens.js';
export { createAccessTokenChecker, type AccessTokenChecker } from './token-checker.js';
export { checkScopes, type ScopePolicy } from './check-scopes.js';
