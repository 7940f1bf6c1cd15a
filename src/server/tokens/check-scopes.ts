/**
 * The one scope check (dex master (ab64ed77) `server/tokens/scopes.go` and `crossclient.go`), run by `/auth`, by
 * `/device/code` and by the token endpoint for every grant that declares a policy (`grants/grant.ts`): `openid`
 * when required, refused scopes, the standard scopes accepted, and — even for a policy that passes unknown scopes
 * through — the cross-client trust check (a peer named in `audience:server:client_id:<peer>` must list the
 * requesting client in its `trustedPeers`).
 */

import { NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import { OAuthError } from '../oauth2/oauth-error.js';
import { crossClientPeer, isStandardScope, SCOPES } from '../oauth2/scopes.js';

export interface ScopePolicy {
  /** Standard scopes the grant accepts; null passes every non-cross-client scope through (token exchange). */
  standard: ReadonlySet<string> | null;
  requireOpenId: boolean;
  /** Scopes refused outright, with the description to send. */
  rejected: Readonly<Record<string, string>>;
  /** The error code of every scope failure. */
  errorCode: 'invalid_scope' | 'invalid_request';
}

/**
 * The scopes a login may ask for, at `/auth` and at `/device/code` (whose login goes through `/auth`): `openid`
 * and the standard scopes, `invalid_scope` otherwise (dex v2.45.1 `server/oauth2.go` `parseAuthorizationRequest`).
 */
export const LOGIN_SCOPE_POLICY: ScopePolicy = {
  standard: new Set(Object.values(SCOPES)),
  requireOpenId: true,
  rejected: {},
  errorCode: 'invalid_scope',
};

const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

/** True when `peerId` is the client itself or lists `clientId` in its `trustedPeers` (an unknown peer does not). */
export async function trusts(storage: Storage, clientId: string, peerId: string): Promise<boolean> {
  if (peerId === clientId) return true;
  try {
    return (await storage.getClient(peerId)).trustedPeers.includes(clientId);
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
}

/**
 * Throws `OAuthError(policy.errorCode)` for the first rule `scopes` break: a missing `openid` first (before any
 * peer is looked up), then a refused scope, unrecognized scopes, untrusted cross-client scopes.
 */
export async function checkScopes(storage: Storage, clientId: string, scopes: readonly string[], policy: ScopePolicy): Promise<void> {
  const fail = (description: string) => new OAuthError(policy.errorCode, description);
  if (policy.requireOpenId && !scopes.includes(SCOPES.openid)) throw fail(`Missing required scope(s) ${list([SCOPES.openid])}.`);
  const unrecognized: string[] = [];
  const untrusted: string[] = [];
  for (const scope of scopes) {
    const refusal = Object.hasOwn(policy.rejected, scope) ? policy.rejected[scope] : undefined;
    if (refusal !== undefined) throw fail(refusal);
    const peer = crossClientPeer(scope);
    if (peer !== null) {
      if (!(await trusts(storage, clientId, peer))) untrusted.push(scope);
      continue;
    }
    if (policy.standard !== null && !(isStandardScope(scope) && policy.standard.has(scope))) unrecognized.push(scope);
  }
  if (unrecognized.length > 0) throw fail(`Unrecognized scope(s) ${list(unrecognized)}`);
  if (untrusted.length > 0) throw fail(`Client can't request scope(s) ${list(untrusted)}`);
}
