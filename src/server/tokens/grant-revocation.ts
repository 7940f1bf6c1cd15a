/**
 * Revoking a whole grant (issue 12 item 6): after an authorization code is replayed (RFC 6749 §4.1.2), after a
 * rotated-out refresh token is presented outside the reuse interval (RFC 9700 §4.14.2), and when a refresh token is
 * revoked (RFC 7009 §2.1), the refresh token and every access token minted from the same grant stop working.
 *
 * - A grant's id is the authorization code's id for a code-born grant (its refresh token takes the same id) and the
 *   refresh token's id otherwise; access tokens carry it in the Ferry-only `ferry_grant` claim (dex's access-token
 *   claims are otherwise unchanged).
 * - A revoked grant is an entry of the existing revoked-token kind keyed `grant:<id>`, kept until the last access
 *   token it could have minted expires, then garbage-collected like any revoked `jti`; a redeemed code leaves a
 *   `code:<id>` entry until the code's own expiry, so a replay can be told from a code that never existed. Random
 *   `jti`s never contain a colon, so the keys cannot collide.
 */

import type { JWTPayload } from 'jose';
import { AlreadyExistsError, NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';

export const GRANT_CLAIM = 'ferry_grant';

const grantKey = (id: string) => `grant:${id}`;
const codeKey = (id: string) => `code:${id}`;

const exists = async (storage: Storage, key: string): Promise<boolean> => (await storage.findRevokedTokens([key])).length > 0;

/** Creates the entry; false when it already existed. */
async function put(storage: Storage, key: string, clientId: string, expiry: Date): Promise<boolean> {
  try {
    await storage.createRevokedToken({ jti: key, clientId, expiry });
    return true;
  } catch (err) {
    if (err instanceof AlreadyExistsError) return false;
    throw err;
  }
}

/**
 * Revokes grant `id` until `until` (the expiry of the longest-lived access token it can have minted) and deletes
 * its refresh token. Idempotent. Storage failures propagate.
 */
export async function revokeGrant(storage: Storage, id: string, clientId: string, until: Date): Promise<void> {
  await put(storage, grantKey(id), clientId, until);
  await storage.deleteRefresh(id).catch((err: unknown) => {
    if (!(err instanceof NotFoundError)) throw err;
  });
}

/** The denylist key of the grant an access token names; null when it names none. */
export function grantRevocationKey(claims: JWTPayload): string | null {
  const id = claims[GRANT_CLAIM];
  return typeof id === 'string' && id !== '' ? grantKey(id) : null;
}

/** True when the access token names a revoked grant. */
export async function isGrantRevoked(storage: Storage, claims: JWTPayload): Promise<boolean> {
  const key = grantRevocationKey(claims);
  return key !== null && exists(storage, key);
}

/** Marks code `id` redeemed until `expiry`; false when it was already (a replay, or a concurrent redemption). */
export const markCodeRedeemed = (storage: Storage, id: string, clientId: string, expiry: Date): Promise<boolean> =>
  put(storage, codeKey(id), clientId, expiry);

/** True when code `id` was redeemed before (and its mark has not expired). */
export const wasCodeRedeemed = (storage: Storage, id: string): Promise<boolean> => exists(storage, codeKey(id));
