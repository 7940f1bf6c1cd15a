/**
 * The refresh-token rules of dex v2.45.1 `server/refreshhandlers.go` as pure functions of the stored token, the presented secret, the
 * `expiry.refreshTokens` config and the time (dex `tokens.LookupRefreshToken` and `RefreshStrategy`).
 * They run once on the read value and again inside the storage updater, so a concurrent rotation is seen.
 */

import type { RefreshExpiryConfig } from '../../config/types.js';
import type { RefreshToken } from '../../storage/types.js';
import { constantTimeEqual } from '../../lib/constant-time.js';

export type RefreshRejection = 'invalid' | 'other-client' | 'expired';

/**
 * What a refresh does to the stored token:
 * - `keep`: rotation off, inside the reuse window: nothing changes, the identity is not re-read;
 * - `reuse`: rotation on, inside the reuse window: current or obsolete secret accepted, the current one answered;
 * - `rotate`: rotation on, outside the window: new secret (old one becomes obsolete), last used = now, re-read;
 * - `touch`: rotation off, outside the window: same secret, last used = now, re-read.
 */
export type RefreshPlan = { kind: 'keep' } | { kind: 'reuse'; secret: string } | { kind: 'rotate' } | { kind: 'touch' };

const after = (now: Date, from: Date, ms: number): boolean => now.getTime() > from.getTime() + ms;

/** Inside the reuse window: `now ≤ lastUsed + reuseInterval` (0 = no window). */
export function isReuseAllowed(lastUsed: Date, policy: RefreshExpiryConfig, now: Date): boolean {
  return policy.reuseInterval > 0 && !after(now, lastUsed, policy.reuseInterval);
}

function matchesObsolete(stored: RefreshToken, secret: string, policy: RefreshExpiryConfig, now: Date): boolean {
  return stored.obsoleteToken !== '' && isReuseAllowed(stored.lastUsed, policy, now) && constantTimeEqual(stored.obsoleteToken, secret);
}

/**
 * The lookup checks, in dex's order: client (when one is given; introspection passes null), secret (current, or
 * obsolete inside the reuse window), absolute lifetime from `createdAt`, idle lifetime from `lastUsed`.
 */
export function checkRefreshToken(
  stored: RefreshToken,
  secret: string,
  clientId: string | null,
  policy: RefreshExpiryConfig,
  now: Date,
): RefreshRejection | null {
  if (clientId !== null && stored.clientId !== clientId) return 'other-client';
  if (!constantTimeEqual(stored.token, secret) && !matchesObsolete(stored, secret, policy, now)) return 'invalid';
  if (policy.absoluteLifetime > 0 && after(now, stored.createdAt, policy.absoluteLifetime)) return 'expired';
  if (policy.validIfNotUsedFor > 0 && after(now, stored.lastUsed, policy.validIfNotUsedFor)) return 'expired';
  return null;
}

/**
 * True when `secret` is the rotated-out secret of `stored` (and not its current one): presented where
 * `checkRefreshToken` said 'invalid', it is a replay outside the reuse interval, and the family is revoked
 * (RFC 9700 §4.14.2).
 */
export function isObsoleteSecret(stored: RefreshToken, secret: string): boolean {
  return stored.obsoleteToken !== '' && constantTimeEqual(stored.obsoleteToken, secret) && !constantTimeEqual(stored.token, secret);
}

/** Decides the plan for `stored` (see `RefreshPlan`); null when the presented secret may not be used. */
export function planRefresh(stored: RefreshToken, secret: string, policy: RefreshExpiryConfig, now: Date): RefreshPlan | null {
  const reuse = isReuseAllowed(stored.lastUsed, policy, now);
  const current = constantTimeEqual(stored.token, secret);
  if (policy.disableRotation) return current ? { kind: reuse ? 'keep' : 'touch' } : null;
  if (reuse) return current || matchesObsolete(stored, secret, policy, now) ? { kind: 'reuse', secret: stored.token } : null;
  return current ? { kind: 'rotate' } : null;
}
