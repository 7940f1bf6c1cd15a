/**
 * The plug-in contract of the token endpoint (dex master (ab64ed77) `server/grants/grants.go`). The endpoint owns the shared phases
 * — method check, form parsing, grant dispatch, client authentication, the grant's scope policy, the connector
 * invariant, writing the response or error — and calls a grant's hooks in a fixed order, so no grant can skip client
 * authentication or its scope policy.
 *
 *   parse form → select grant (enabled?) → authenticate client → grant.resolve → scope policy → connector check
 *   → grant.authorize
 *
 * A new grant is one file exporting a `Grant` plus one line in `grant-table.ts`.
 */

import type { Logger } from '../../lib/logger.js';
import type { Client } from '../../storage/types.js';
import type { ResolvedConnector, ServerContext } from '../context.js';
import type { TokenGrantType } from '../oauth2/grant-types.js';
import type { ScopePolicy } from '../tokens/check-scopes.js';
import type { TokenForm } from '../http/token-form.js';

/** One parsed, client-authenticated token request. */
export interface TokenRequest {
  grantType: TokenGrantType;
  /** The form, each parameter at most once; `get` returns '' for an absent or empty one (RFC 6749 §3.1). */
  form: TokenForm;
  /** The `scope` parameter, split (RFC 6749 §3.3); checked against the grant's `scopePolicy` before `authorize`. */
  scopes: string[];
  /** The authenticated client; null only for a grant with `requiresClientAuth: false`. */
  client: Client | null;
  requestId: string;
  /** The client's address (`web.clientRemoteIP` honoured), for the brute-force throttle. */
  clientAddress: string;
  /** Logger bound to the request id. */
  logger: Logger;
}

/** What a successful grant answers; the endpoint serializes it (snake_case, `token_type: "bearer"`). */
export interface TokenResponse {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken?: string;
  idToken?: string;
  /** RFC 8693 token exchange only. */
  issuedTokenType?: string;
}

/** What `resolve` found: the connector the endpoint must authorize ('' = none), and state for `authorize`. */
export interface Resolution<S> {
  connectorId: string;
  state: S;
  /**
   * For a grant without client authentication (device_code): the client the presented grant is bound to. The
   * endpoint checks the connector against this client's `allowedConnectors`, so the check is never skipped.
   */
  client?: Client;
}

/**
 * One grant type served at `POST /token`. Hooks throw `OAuthError` for protocol failures; anything else becomes a
 * logged `server_error`. Declared with method syntax so grants with different `S` share one table.
 */
export interface Grant<S = unknown> {
  readonly grantType: TokenGrantType;
  /** False only for grants whose proof is the grant itself (device_code); the endpoint then skips client auth. */
  readonly requiresClientAuth: boolean;
  /** The form parameters this grant reads (documentation, and what a test should cover). */
  readonly parameters: readonly string[];
  /**
   * The rules `req.scopes` must follow (tokens/check-scopes.ts), run by the endpoint after `resolve` and before the
   * connector check and `authorize`. null only for a grant whose scopes come from what it redeems (a code, a refresh
   * token, a device code), already checked when that was issued.
   */
  readonly scopePolicy: ScopePolicy | null;
  /**
   * Phase 3: validate what the request presents and name the connector it authenticates against. The endpoint
   * then enforces the client's `allowedConnectors` and the connector's `grantTypes` before `authorize`.
   */
  resolve(req: TokenRequest, deps: ServerContext): Promise<Resolution<S>>;
  /** Phase 4: prove the identity and mint tokens. `connector` is null when `resolve` named none. */
  authorize(req: TokenRequest, deps: ServerContext, connector: ResolvedConnector | null, state: S): Promise<TokenResponse>;
}

/** The authenticated client of a grant that requires client auth (the endpoint guarantees it). */
export function authenticatedClient(req: TokenRequest): Client {
  if (req.client === null) throw new TypeError(`grant ${req.grantType} ran without an authenticated client`);
  return req.client;
}
