/**
 * Mints signed ID and access tokens (dex v2.45.1 `server/oauth2.go` `newIDToken`, `newAccessToken`).
 * An access token is a JWT with the ID-token claim set whose `at_hash` covers a fresh random value, so every
 * access token is unique. Both live `idTokensValidFor`; the returned `expiry` gives the response's `expires_in`.
 */

import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { Signer } from '../../keys/signer.js';
import { pooledRandomBytes } from '../../lib/random-pool.js';
import type { Storage } from '../../storage/storage.js';
import type { AccessTokenFormat } from '../../config/types.js';
import { buildClaims, type TokenContext } from './claims.js';
import { GRANT_CLAIM } from './grant-revocation.js';
import { tokenHash } from './hash.js';
import { issueOpaqueAccessToken } from './opaque-access-token.js';

export interface TokenIssuerOptions {
  signer: Signer;
  /** The issuer URL exactly as configured. */
  issuer: string;
  /** ms (`expiry.idTokens`, default 24h). */
  idTokensValidFor: number;
  now: () => Date;
  /** Opaque access tokens (./opaque-access-token.ts): where they are stored and which clients get them. */
  opaque?: { storage: Storage; formatOf: (clientId: string) => AccessTokenFormat };
}

export interface IssuedToken {
  token: string;
  expiry: Date;
}

export interface TokenIssuer {
  /** An ID token; `accessToken` / `code`, when given, add `at_hash` / `c_hash`. */
  idToken(ctx: TokenContext, opts?: { accessToken?: string; code?: string }): Promise<IssuedToken>;
  /** A JWT access token (same claims as the ID token, unique `at_hash`), or an opaque one for clients set so. */
  accessToken(ctx: TokenContext): Promise<IssuedToken>;
}

/**
 * @example
 * const tokens = createTokenIssuer({ signer, issuer: 'https://dex.example.com', idTokensValidFor: 86_400_000, now });
 * const access = await tokens.accessToken(ctx);
 * const id = await tokens.idToken(ctx, { accessToken: access.token, code });
 */
export function createTokenIssuer(opts: TokenIssuerOptions): TokenIssuer {
  const { signer, issuer, idTokensValidFor, now } = opts;

  const sign = (claims: JWTPayload, _expiry: Date): Promise<string> => signer.sign(claims);

  async function mint(ctx: TokenContext, accessToken?: string, code?: string, grant?: string, seal = sign): Promise<IssuedToken> {
    const issuedAt = now();
    const expiry = new Date(issuedAt.getTime() + idTokensValidFor);
    const alg = accessToken || code ? await signer.algorithm() : '';
    const claims = buildClaims(ctx, {
      issuer,
      issuedAt,
      expiry,
      jti: randomUUID(),
      atHash: accessToken ? tokenHash(accessToken, alg) : undefined,
      cHash: code ? tokenHash(code, alg) : undefined,
    });
    if (grant) claims[GRANT_CLAIM] = grant;
    return { token: await seal(claims, expiry), expiry };
  }

  const store = opts.opaque?.storage;
  const formatOf = opts.opaque?.formatOf ?? (() => 'jwt');
  const opaque = (ctx: TokenContext) => (claims: JWTPayload, expiry: Date) =>
    issueOpaqueAccessToken(store as Storage, claims, ctx.clientId, ctx.grantId ?? '', expiry);

  return {
    idToken: (ctx, o = {}) => mint(ctx, o.accessToken, o.code),
    // dex hashes a fresh storage id here; any unguessable value gives the same uniqueness.
    accessToken: (ctx) =>
      store && formatOf(ctx.clientId) === 'opaque'
        ? mint(ctx, undefined, undefined, ctx.grantId, opaque(ctx))
        : mint(ctx, pooledRandomBytes(16).toString('base64url'), undefined, ctx.grantId),
  };
}
