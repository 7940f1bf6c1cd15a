/**
 * Verifying Ferry's own JWTs, and what introspection, revocation and userinfo share about its access tokens: telling
 * a JWT from a refresh token, verifying one Ferry signed (signature, `exp`, `iss`), the client it was issued to, and
 * the revocation denylist — revoked `jti`s kept in storage until the token's own `exp`, so every replica agrees
 * (RFC 7009 §2). `/auth` checks an `id_token_hint` with `isOwnToken`.
 */

import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { Signer } from '../../keys/signer.js';
import { AlreadyExistsError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import { grantRevocationKey } from './grant-revocation.js';

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** True when `token` is a compact JWS with a readable header (dex: "a value that parses as a JWT"). */
export function looksLikeJwt(token: string): boolean {
  if (!JWS_COMPACT.test(token)) return false;
  try {
    return typeof decodeProtectedHeader(token).alg === 'string';
  } catch {
    return false;
  }
}

/** The token's claims when Ferry signed it, it has not expired and `iss` is ours; otherwise null. */
export async function verifyOwnJwt(signer: Signer, issuer: string, token: string): Promise<JWTPayload | null> {
  try {
    const claims = await signer.verify(token);
    return claims.iss === issuer ? claims : null;
  } catch {
    return null;
  }
}

/**
 * True when `jwt` was signed with one of the server's validation keys, for `issuer`, and is valid at `now`; with
 * `ignoreExpiry`, at its own `iat` instead (an expired token still passes).
 */
export async function isOwnToken(signer: Signer, issuer: string, jwt: string, now: Date, opts: { ignoreExpiry?: boolean } = {}): Promise<boolean> {
  try {
    const keys = createLocalJWKSet({ keys: await signer.validationKeys() });
    const iat = decodeJwt(jwt).iat;
    const currentDate = opts.ignoreExpiry && typeof iat === 'number' ? new Date(iat * 1000) : now;
    await jwtVerify(jwt, keys, { issuer, currentDate });
    return true;
  } catch {
    return false;
  }
}

/** The client a token was issued to: `azp`, else the single audience (dex `GetClientID`); null when ambiguous. */
export function clientOfToken(claims: JWTPayload): string | null {
  if (typeof claims.azp === 'string' && claims.azp !== '') return claims.azp;
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  return aud.length === 1 && typeof aud[0] === 'string' ? aud[0] : null;
}

/**
 * True when the token's `jti` or its grant (src/server/tokens/grant-revocation.ts) was revoked: both keys in one
 * storage read. Storage failures propagate (the caller answers 5xx, never "valid").
 */
export async function isRevoked(storage: Storage, claims: JWTPayload): Promise<boolean> {
  const keys: string[] = [];
  const grant = grantRevocationKey(claims);
  if (grant !== null) keys.push(grant);
  if (typeof claims.jti === 'string' && claims.jti !== '') keys.push(claims.jti);
  return keys.length > 0 && (await storage.findRevokedTokens(keys)).length > 0;
}

/** Adds the token's `jti` to the denylist until its `exp`; revoking twice is not an error. */
export async function revokeJwt(storage: Storage, claims: JWTPayload, clientId: string): Promise<boolean> {
  if (typeof claims.jti !== 'string' || claims.jti === '' || typeof claims.exp !== 'number') return false;
  try {
    await storage.createRevokedToken({ jti: claims.jti, clientId, expiry: new Date(claims.exp * 1000) });
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
  }
  return true;
}
