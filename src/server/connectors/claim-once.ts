/**
 * The stored `claimOnce` a connector is given (`ConnectorDeps.claimOnce`), e.g. the SAML replay check: an entry
 * of the Ferry-only revoked-token kind, so every replica on the same storage sees it and garbage collection drops
 * it after `until`. `createRevokedToken` refuses a second insert of the same key atomically on every backend,
 * which makes the first replica to claim a key the only one.
 *
 * The key is `connector:` + SHA-256 of the connector id and the connector's own key: bounded in length whatever
 * an IdP puts in its IDs, apart from every `jti` (no colon) and the grant-revocation `grant:`/`code:` keys.
 */

import { createHash } from 'node:crypto';
import { AlreadyExistsError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';

export const claimKey = (connectorId: string, key: string): string =>
  `connector:${createHash('sha256').update(`${connectorId}\n${key}`).digest('base64url')}`;

/** `claimOnce` for connector `connectorId`: true for the first claim of `key`, false while it is recorded. */
export function storedClaimOnce(storage: Storage, connectorId: string): (key: string, until: Date) => Promise<boolean> {
  return async (key, until) => {
    try {
      await storage.createRevokedToken({ jti: claimKey(connectorId, key), clientId: '', expiry: until });
      return true;
    } catch (err) {
      if (err instanceof AlreadyExistsError) return false;
      throw err;
    }
  };
}
