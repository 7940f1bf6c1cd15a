/**
 * The password grant (RFC 6749 §4.3; dex master (ab64ed77) `server/grants/password.go`): the client trades a user's username and
 * password for tokens through the connector named by `oauth2.passwordConnector` (offered only when it is set: `oauth2/grant-types.ts`).
 * Scopes: the standard ones, `openid` required, errors as `invalid_request` (dex). Wrong credentials → 401
 * `access_denied`; an upstream failure → `invalid_request` "Could not login user." (dex), the cause only logged.
 * A refresh token follows the rule every grant shares (`offline_access` + a refresh-capable connector).
 * Every attempt goes through the brute-force throttle (per account and per client address): 429 once blocked.
 */

import { isPasswordConnector } from '../../connectors/capabilities.js';
import { GRANT_TYPES } from '../oauth2/grant-types.js';
import { accessDenied, invalidRequest, OAuthError, serverError } from '../oauth2/oauth-error.js';
import { connectorScopes, SCOPES } from '../oauth2/scopes.js';
import type { ScopePolicy } from '../tokens/check-scopes.js';
import { claimsOf, type TokenContext } from '../tokens/claims.js';
import { authenticatedClient, type Grant } from './grant.js';
import { mintTokens, shouldIssueRefreshToken } from './mint.js';
import { issueRefreshToken } from '../tokens/refresh-store.js';
import { newId } from '../../storage/ids.js';

const POLICY: ScopePolicy = {
  standard: new Set(Object.values(SCOPES)),
  requireOpenId: true,
  rejected: {},
  errorCode: 'invalid_request',
};

/** The throttled account: the connector and the username as typed, case-folded (emails are case-insensitive). */
const throttleAccount = (connectorId: string, username: string) => `${connectorId}\0${username.toLowerCase()}`;

/**
 * 429 with `Retry-After` (RFC 6585 §4). The code is `temporarily_unavailable`: RFC 6749 §5.2 has no token-endpoint
 * code for "wait", `slow_down` (RFC 8628 §3.5) means "poll less often" to device clients only, and an `invalid_grant`
 * would tell the client the credentials were wrong when they were never checked.
 */
const tooManyAttempts = (retryAfter: number) =>
  new OAuthError('temporarily_unavailable', 'Too many failed attempts. Try again later.', { status: 429, retryAfter });

export const passwordGrant: Grant<string[]> = {
  grantType: GRANT_TYPES.password,
  requiresClientAuth: true,
  parameters: ['username', 'password', 'scope', 'nonce'],
  scopePolicy: POLICY,
  resolve: async (req, deps) => ({ connectorId: deps.config.oauth2.passwordConnector, state: req.scopes }),
  async authorize(req, deps, conn, scopes) {
    // After the scopes and the connector, as in dex v2.45.1 `server/handlers.go` `handlePasswordGrant`.
    if (req.form.get('username') === '') throw invalidRequest('Required param: username.');
    if (req.form.get('password') === '') throw invalidRequest('Required param: password.');
    const client = authenticatedClient(req);
    if (conn === null || !isPasswordConnector(conn.connector)) {
      throw invalidRequest('The configured password connector cannot check passwords.', { detail: `connector ${conn?.id ?? ''}` });
    }
    const username = req.form.get('username');
    const attempt = { scope: 'password', address: req.clientAddress, account: throttleAccount(conn.id, username), requestId: req.requestId };
    const passwordConnector = conn.connector;
    let outcome;
    try {
      outcome = await deps.guard.run(attempt, async () => {
        const r = await passwordConnector.login(connectorScopes(scopes), username, req.form.get('password'));
        return r.valid ? r : null;
      });
    } catch (err) {
      req.logger.error({ reqId: req.requestId, connector_id: conn.id, err: (err as Error).message }, 'password grant: login failed');
      throw invalidRequest('Could not login user.');
    }
    if (outcome.refused) throw tooManyAttempts(outcome.retryAfter);
    if (outcome.value === null) throw accessDenied('Invalid username or password.', { status: 401 });
    const identity = outcome.value.identity;
    if (identity === null || !identity.userId) throw serverError(undefined, { detail: `connector ${conn.id} returned no identity` });
    const ctx: TokenContext = {
      clientId: client.id,
      scopes,
      claims: claimsOf(identity),
      connectorId: conn.id,
      nonce: req.form.get('nonce'),
      authTime: deps.now(),
      sessionId: '',
      // One grant id for the access token and the refresh token, so revoking one revokes the other's access tokens.
      grantId: newId(),
    };
    req.logger.info({ reqId: req.requestId, connector_id: conn.id, client_id: client.id, user_id: identity.userId }, 'password grant: login successful');
    const minted = await mintTokens(deps, ctx);
    const refreshToken = shouldIssueRefreshToken(conn, scopes)
      ? await issueRefreshToken(deps, { ...ctx, id: ctx.grantId, connectorData: identity.connectorData })
      : undefined;
    return { ...minted, refreshToken };
  },
};
