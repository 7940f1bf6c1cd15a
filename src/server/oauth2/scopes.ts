/**
 * OIDC scope vocabulary (OIDC Core §5.4, §11; dex master (ab64ed77) `server/tokens/scopes.go`), plus dex's cross-client scope
 * `audience:server:client_id:<peer>` that adds a trusted peer client to the ID token's audience.
 */

import type { Scopes } from '../../connectors/types.js';

export const SCOPES = {
  openid: 'openid',
  offlineAccess: 'offline_access',
  groups: 'groups',
  email: 'email',
  profile: 'profile',
  federatedId: 'federated:id',
} as const;

export type StandardScope = (typeof SCOPES)[keyof typeof SCOPES];

export const CROSS_CLIENT_PREFIX = 'audience:server:client_id:';

const STANDARD: ReadonlySet<string> = new Set(Object.values(SCOPES));

export function isStandardScope(scope: string): scope is StandardScope {
  return STANDARD.has(scope);
}

/** The peer client id of a cross-client scope, or null when `scope` is not one (or names no peer). */
export function crossClientPeer(scope: string): string | null {
  if (!scope.startsWith(CROSS_CLIENT_PREFIX)) return null;
  const peer = scope.slice(CROSS_CLIENT_PREFIX.length);
  return peer === '' ? null : peer;
}

/** The cross-client scope that asks for `peerId` in the audience. */
export function crossClientScope(peerId: string): string {
  return CROSS_CLIENT_PREFIX + peerId;
}

export function hasScope(scopes: readonly string[], scope: StandardScope): boolean {
  return scopes.includes(scope);
}

/** What a connector needs to know of the requested scopes (dex `ParseScopes`). */
export function connectorScopes(scopes: readonly string[]): Scopes {
  return { offlineAccess: scopes.includes(SCOPES.offlineAccess), groups: scopes.includes(SCOPES.groups) };
}

/** Splits a space-separated `scope` parameter, tolerating repeated whitespace (RFC 6749 §3.3). */
export function parseScopeParam(value: string): string[] {
  return value.split(/[ \t\n\r]+/).filter(Boolean);
}
