/**
 * Token construction (dex v2.45.1 `server/oauth2.go`). issuer.ts mints ID and access tokens from a `TokenContext` (claims.ts builds
 * the claim set; hash.ts computes at_hash / c_hash) and signs them with the `Signer`. subject.ts and
 * refresh-token-wire.ts are dex's protobuf wire forms of `sub` and of refresh tokens (proto-pair.ts).
 */
export { createTokenIssuer, type IssuedToken, type TokenIssuer, type TokenIssuerOptions } from './issuer.js';
export { buildClaims, claimsOf, tokenAudience, type TokenContext, type TokenStamp } from './claims.js';
export { tokenHash } from './hash.js';
export { decodeSubject, encodeSubject } from './subject.js';
export { decodeRefreshToken, encodeRefreshToken } from './refresh-token-wire.js';
