/**
 * Remembered consent (dex HEAD server/consent/consent.go): the scopes a user approved for a client are kept in
 * their UserIdentity (`consents[clientId]`); the approval page is skipped while they cover the requested scopes
 * (`openid` needs no consent), and shown again when the scopes grow or the client forces it (`prompt=consent`,
 * `approval_prompt=force`). `oauth2.skipApprovalScreen` skips it whatever was remembered.
 */

import { NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { AuthRequest } from '../../storage/types.js';
import { own } from '../../lib/own.js';

export function scopesCovered(approved: readonly string[] | undefined, requested: readonly string[]): boolean {
  const have = new Set(approved ?? []);
  return requested.every((s) => s === 'openid' || have.has(s));
}

/** True when the approval page can be skipped for this logged-in request. */
export async function consentSatisfied(storage: Storage, skipApproval: boolean, authReq: AuthRequest): Promise<boolean> {
  if (authReq.forceApprovalPrompt) return false;
  if (skipApproval) return true;
  try {
    const ui = await storage.getUserIdentity(authReq.claims.userId, authReq.connectorId);
    return scopesCovered(own(ui.consents, authReq.clientId), authReq.scopes);
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
}

/** Stores the scopes just approved for the request's client (a missing identity is left alone). */
export async function rememberConsent(storage: Storage, authReq: AuthRequest): Promise<void> {
  await storage
    .updateUserIdentity(authReq.claims.userId, authReq.connectorId, (old) => ({
      ...old,
      consents: { ...old.consents, [authReq.clientId]: [...authReq.scopes] },
    }))
    .catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
    });
}
