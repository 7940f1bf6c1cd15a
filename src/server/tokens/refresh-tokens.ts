/**
 * Revoking a refresh token (RFC 7009 §2.1): the token is deleted and its reference in the user's OfflineSessions is
 * removed, so neither the refresh grant nor introspection finds it again. Only the client it was issued to may
 * revoke it, presenting its current secret (or the previous one inside the reuse window); anything else is a
 * silent no-op, since RFC 7009 §2.2 answers 200 for tokens that are invalid or not the caller's.
 */

import type { RefreshExpiryConfig } from '../../config/types.js';
import type { Logger } from '../../lib/logger.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { RefreshToken } from '../../storage/types.js';
import { checkRefreshToken } from './refresh-policy.js';
import { removeDevice } from './devices.js';
import { revokeGrant } from './grant-revocation.js';
import { decodeRefreshToken } from './refresh-token-wire.js';

export interface RefreshRevocationDeps {
  storage: Storage;
  logger: Logger;
  now: () => Date;
  policy: RefreshExpiryConfig;
  /** How long access tokens live (`expiry.idTokens`): how long a revoked grant is remembered. 0 = not a grant. */
  accessTokensValidFor?: number;
}

const ignoreMissing = (err: unknown) => {
  if (!(err instanceof NotFoundError)) throw err;
};

/**
 * Looks `value` up as a refresh token of `clientId` (null = any client); null when it is unknown, another
 * client's, or the secret does not match. `expired` tells whether a lifetime has run out.
 */
export async function findRefreshToken(
  deps: RefreshRevocationDeps,
  value: string,
  clientId: string | null,
): Promise<{ stored: RefreshToken; expired: boolean } | null> {
  const { id, secret } = decodeRefreshToken(value);
  if (id === '') return null;
  let stored: RefreshToken;
  try {
    stored = await deps.storage.getRefresh(id);
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
  const rejection = checkRefreshToken(stored, secret, clientId, deps.policy, deps.now());
  return rejection === null || rejection === 'expired' ? { stored, expired: rejection === 'expired' } : null;
}

/** Deletes `stored` and unlinks it from its OfflineSessions record (only if that still names it). */
export async function revokeRefreshToken(deps: RefreshRevocationDeps, stored: RefreshToken): Promise<void> {
  if (deps.accessTokensValidFor) {
    // The access tokens minted from this refresh token's grant stop working too (issue 12 item 6).
    await revokeGrant(deps.storage, stored.id, stored.clientId, new Date(deps.now().getTime() + deps.accessTokensValidFor));
  }
  await deps.storage.deleteRefresh(stored.id).catch(ignoreMissing);
  await deps.storage
    .updateOfflineSessions(stored.claims.userId, stored.connectorId, (old) => {
      // Only this device's reference goes; the client's other devices stay (devices.ts).
      const { refresh, dropped } = removeDevice(old.refresh, stored.id);
      return dropped.length === 0 ? old : { ...old, refresh };
    })
    .catch(ignoreMissing);
  deps.logger.info({ client_id: stored.clientId, connector_id: stored.connectorId }, 'refresh token revoked');
}
