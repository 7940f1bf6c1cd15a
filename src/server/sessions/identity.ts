/**
 * What Ferry remembers of a user across sessions (dex HEAD server/authflow/finalize.go): the UserIdentity of
 * (user, connector) is created at the first login and gets the latest claims and login time at every later one.
 * Consents, MFA secrets and credentials stay as they are.
 */

import { AlreadyExistsError, NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { AuthRequest, UserIdentity } from '../../storage/types.js';

/** Thrown inside the identity update to leave a locked identity untouched. */
class Locked extends Error {}

/**
 * Records a login of `who` at `now` and returns the identity, or null when the stored identity is locked
 * (`blockedUntil` in the future; dex HEAD server/authflow/finalize.go refuses such a login): then nothing is
 * written. The check and the write are one read-modify-write, so no separate read is needed.
 */
export async function recordIdentity(
  storage: Storage,
  who: Pick<AuthRequest, 'claims' | 'connectorId'>,
  now: Date,
): Promise<UserIdentity | null> {
  const { userId } = who.claims;
  const login = (old: UserIdentity): UserIdentity => {
    if (old.blockedUntil !== null && old.blockedUntil > now) throw new Locked();
    return { ...old, claims: who.claims, lastLogin: now };
  };
  const update = () => storage.updateUserIdentity(userId, who.connectorId, login);
  try {
    return await update();
  } catch (err) {
    if (err instanceof Locked) return null;
    if (!(err instanceof NotFoundError)) throw err;
  }
  const fresh: UserIdentity = {
    userId,
    connectorId: who.connectorId,
    claims: who.claims,
    consents: {},
    mfaSecrets: {},
    webauthnCredentials: {},
    createdAt: now,
    lastLogin: now,
    blockedUntil: null,
    backupCodes: null,
  };
  try {
    await storage.createUserIdentity(fresh);
    return fresh;
  } catch (err) {
    // Another replica created it in between: update that one instead.
    if (!(err instanceof AlreadyExistsError)) throw err;
  }
  try {
    return await update();
  } catch (err) {
    if (err instanceof Locked) return null;
    throw err;
  }
}
