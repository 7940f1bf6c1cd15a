/**
 * What Ferry remembers of a user across sessions (dex HEAD server/authflow/finalize.go): the UserIdentity of
 * (user, connector) is created at the first login and gets the latest claims and login time at every later one.
 * Consents, MFA secrets and credentials stay as they are.
 */

import { AlreadyExistsError, NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { AuthRequest, UserIdentity } from '../../storage/types.js';

export async function recordIdentity(storage: Storage, authReq: AuthRequest, now: Date): Promise<UserIdentity> {
  const { userId } = authReq.claims;
  try {
    return await storage.updateUserIdentity(userId, authReq.connectorId, (old) => ({ ...old, claims: authReq.claims, lastLogin: now }));
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  const fresh: UserIdentity = {
    userId,
    connectorId: authReq.connectorId,
    claims: authReq.claims,
    consents: {},
    mfaSecrets: {},
    webauthnCredentials: {},
    createdAt: now,
    lastLogin: now,
    blockedUntil: null,
    backupCodes: null,
  };
  await storage.createUserIdentity(fresh).catch(async (err: unknown) => {
    // Another replica created it in between: update that one instead.
    if (!(err instanceof AlreadyExistsError)) throw err;
    await storage.updateUserIdentity(userId, authReq.connectorId, (old) => ({ ...old, claims: authReq.claims, lastLogin: now }));
  });
  return fresh;
}

/**
 * True when the stored identity of (user, connector) is locked (`blockedUntil` in the future; dex HEAD
 * server/authflow/finalize.go refuses such a login). No identity yet: not locked.
 */
export async function identityLocked(storage: Storage, userId: string, connectorId: string, now: Date): Promise<boolean> {
  try {
    const ui = await storage.getUserIdentity(userId, connectorId);
    return ui.blockedUntil !== null && ui.blockedUntil > now;
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
}
