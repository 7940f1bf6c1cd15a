/**
 * OAuth2 grant types (RFC 6749 §4, RFC 8628 §3.4, RFC 8693 §2.1), exactly as dex names them on the wire.
 * `implicit` is not a token-endpoint grant: it only shapes discovery and connector filtering (dex v2.45.1 `server/server.go` `newServer`, `allSupportedGrants`).
 */

export const GRANT_TYPES = {
  authorizationCode: 'authorization_code',
  refreshToken: 'refresh_token',
  implicit: 'implicit',
  password: 'password',
  deviceCode: 'urn:ietf:params:oauth:grant-type:device_code',
  tokenExchange: 'urn:ietf:params:oauth:grant-type:token-exchange',
  clientCredentials: 'client_credentials',
} as const;

export type GrantType = (typeof GRANT_TYPES)[keyof typeof GRANT_TYPES];

/** The grant types served at `POST /token` (every grant type but `implicit`). */
export type TokenGrantType = Exclude<GrantType, 'implicit'>;

const ALL: ReadonlySet<string> = new Set(Object.values(GRANT_TYPES));

export function isGrantType(value: string): value is GrantType {
  return ALL.has(value);
}

/**
 * The grant types the server serves at /token under `oauth2` (dex v2.45.1 `server/server.go` `newServer`): the
 * configured ones, in config order, and the password grant only when `oauth2.passwordConnector` names a connector.
 */
export function offeredTokenGrantTypes(oauth2: { grantTypes: readonly string[]; passwordConnector: string }): TokenGrantType[] {
  const offered = oauth2.grantTypes.filter(
    (t): t is TokenGrantType => isGrantType(t) && t !== GRANT_TYPES.implicit && (t !== GRANT_TYPES.password || oauth2.passwordConnector !== ''),
  );
  return [...new Set(offered)];
}

/** True when `allowed` (a connector's `grantTypes`, or a client's) permits `grantType`; empty = all. */
export function isGrantTypeAllowed(allowed: readonly string[], grantType: string): boolean {
  return allowed.length === 0 || allowed.includes(grantType);
}
