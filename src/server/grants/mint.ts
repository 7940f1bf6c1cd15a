/**
 * The one mint every standard grant shares (dex `tokens.Issuer.Issue`): an access token, an ID token bound to it
 * (`at_hash`, and `c_hash` when a code is redeemed), and the refresh-token issuance rule of dex v2.45.1 `server/handlers.go` `exchangeAuthCode`.
 */

import type { ResolvedConnector, ServerContext } from '../context.js';
import { isRefreshConnector } from '../../connectors/capabilities.js';
import { GRANT_TYPES, isGrantTypeAllowed } from '../oauth2/grant-types.js';
import { SCOPES } from '../oauth2/scopes.js';
import type { TokenContext } from '../tokens/claims.js';

export interface MintedTokens {
  accessToken: string;
  idToken?: string;
  expiresIn: number;
}

export interface MintOptions {
  /** The authorization code being redeemed, hashed into the ID token's `c_hash`. */
  code?: string;
  /** Issue an ID token even without the `openid` scope (dex does so on refresh). */
  alwaysIdToken?: boolean;
}

/** Signs the access token, then the ID token (when `openid` was granted) with `at_hash` of that access token. */
export async function mintTokens(deps: ServerContext, auth: TokenContext, opts: MintOptions = {}): Promise<MintedTokens> {
  const access = await deps.tokens.accessToken(auth);
  let expiry = access.expiry;
  let idToken: string | undefined;
  if (opts.alwaysIdToken || auth.scopes.includes(SCOPES.openid)) {
    const id = await deps.tokens.idToken(auth, { accessToken: access.token, code: opts.code });
    idToken = id.token;
    expiry = id.expiry;
  }
  const expiresIn = Math.max(0, Math.floor((expiry.getTime() - deps.now().getTime()) / 1000));
  return { accessToken: access.token, idToken, expiresIn };
}

/**
 * A refresh token is issued only when `offline_access` was granted, the connector can refresh, and the
 * connector's `grantTypes` (empty = all) allow `refresh_token`. Whether the server enables the refresh grant is
 * deliberately not checked (dex does not either).
 */
export function shouldIssueRefreshToken(conn: ResolvedConnector, scopes: readonly string[]): boolean {
  return (
    scopes.includes(SCOPES.offlineAccess) &&
    isRefreshConnector(conn.connector) &&
    isGrantTypeAllowed(conn.grantTypes, GRANT_TYPES.refreshToken)
  );
}
