/**
 * Opaque access tokens (issue 13 item 3), a Ferry option beyond dex: for a client with `accessTokenFormat: opaque`
 * (or every client, with `oauth2.accessTokenFormat: opaque`), the access token is `ferry_at_` + 256 random bits
 * instead of a signed JWT. Only the token's SHA-256 is stored (storage kind `access_token`), with the claim set a
 * JWT access token would have carried, its expiry and its grant; `/userinfo` and `/token/introspect` answer from
 * that record, RFC 7009 revocation deletes it, and revoking its grant (./grant-revocation.ts) stops it as it stops
 * a JWT. The token is unguessable, so a plain hash (no salt, no slow hash) is the right lookup key: what the store
 * leaks cannot be presented. Garbage collection removes records after their expiry.
 *
 * Clients created through the gRPC API (which has no such field, as in dex) follow `oauth2.accessTokenFormat`.
 */

import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { NotFoundError } from '../../lib/errors.js';
import { pooledRandomBytes } from '../../lib/random-pool.js';
import type { Storage } from '../../storage/storage.js';
import type { AccessTokenFormat, OAuth2Config } from '../../config/types.js';
import { isGrantRevoked } from './grant-revocation.js';

export const OPAQUE_TOKEN_PREFIX = 'ferry_at_';
const OPAQUE_SHAPE = /^ferry_at_[A-Za-z0-9_-]{43}$/;

/** True when `token` has the shape of an opaque access token (it may still be unknown). */
export const looksOpaque = (token: string): boolean => OPAQUE_SHAPE.test(token);

/** The storage key of an opaque token: base64url SHA-256 of its value. */
export const opaqueTokenId = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** Which format each client's access tokens take: its own setting (static clients), else the global default. */
export function accessTokenFormats(oauth2: Pick<OAuth2Config, 'accessTokenFormat' | 'clientAccessTokenFormats'>): (clientId: string) => AccessTokenFormat {
  const own = new Map(Object.entries(oauth2.clientAccessTokenFormats ?? {}));
  const fallback = oauth2.accessTokenFormat ?? 'jwt';
  return (clientId) => own.get(clientId) ?? fallback;
}

/** Stores a new opaque token carrying `claims` until `expiry`; returns the token value (never stored). */
export async function issueOpaqueAccessToken(
  storage: Storage,
  claims: JWTPayload,
  clientId: string,
  grantId: string,
  expiry: Date,
): Promise<string> {
  const token = OPAQUE_TOKEN_PREFIX + pooledRandomBytes(32).toString('base64url');
  await storage.createAccessToken({ id: opaqueTokenId(token), clientId, grantId, claims: { ...claims }, expiry });
  return token;
}

const find = async (storage: Storage, token: string) => (looksOpaque(token) ? storage.findAccessToken(opaqueTokenId(token)) : null);

/**
 * The claims of a live opaque token: stored, not expired, its grant not revoked; null otherwise. Storage failures
 * propagate (the caller answers 5xx, never "valid").
 */
export async function checkOpaqueAccessToken(storage: Storage, token: string, now: Date): Promise<JWTPayload | null> {
  const found = await find(storage, token);
  if (found === null || found.expiry.getTime() <= now.getTime()) return null;
  if (await isGrantRevoked(storage, found.claims)) return null;
  return found.claims as JWTPayload;
}

/** Deletes the opaque token when it was issued to `clientId`; false when unknown or another client's. */
export async function revokeOpaqueAccessToken(storage: Storage, token: string, clientId: string): Promise<boolean> {
  const found = await find(storage, token);
  if (found === null || found.clientId !== clientId) return false;
  await storage.deleteAccessToken(found.id).catch((err: unknown) => {
    if (!(err instanceof NotFoundError)) throw err;
  });
  return true;
}
