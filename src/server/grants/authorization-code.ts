/**
 * The authorization_code grant (RFC 6749 §4.1.3; dex v2.45.1 `server/handlers.go` `handleAuthCode`): the client redeems a code issued at `/auth`.
 * Steps, in dex's order: code present → code exists, unexpired, issued to this client (`invalid_grant`) →
 * (endpoint) the client may still use the code's connector and the connector allows the grant → PKCE
 * → `redirect_uri` equals the stored one (`invalid_request`) → delete the code (the atomic single-use gate: a
 * concurrent second redemption finds nothing → `invalid_grant`) → mint → refresh token when warranted.
 *
 * The code is spent before minting: a signing or storage failure afterwards leaves it spent (replay safety over
 * a retry), and mints happen before the refresh token is stored, so a failed mint writes nothing.
 */

import type { AuthCode, Client } from '../../storage/types.js';
import { NotFoundError } from '../../lib/errors.js';
import type { ResolvedConnector, ServerContext } from '../context.js';
import { GRANT_TYPES } from '../oauth2/grant-types.js';
import { invalidGrant, invalidRequest } from '../oauth2/oauth-error.js';
import { verifyPkce } from '../oauth2/pkce.js';
import { loginMethodClaims } from '../sessions/auth-methods.js';
import type { TokenContext } from '../tokens/claims.js';
import { authenticatedClient, type Grant, type TokenRequest, type TokenResponse } from './grant.js';
import { mintTokens, shouldIssueRefreshToken } from './mint.js';
import { issueRefreshToken } from '../tokens/refresh-store.js';
import { markCodeRedeemed, revokeGrant, wasCodeRedeemed } from '../tokens/grant-revocation.js';

const badCode = () => invalidGrant('Invalid or expired code parameter.');

/** A replayed code: everything minted from it stops working (RFC 6749 §4.1.2; grant id = code id). */
async function revokeReplayedGrant(deps: ServerContext, code: string, client: Client): Promise<void> {
  const until = new Date(deps.now().getTime() + deps.config.expiry.idTokens);
  await revokeGrant(deps.storage, code, client.id, until);
  deps.logger.warn({ client_id: client.id }, 'authorization code replayed: the tokens issued from it are revoked');
}

/** Finds the code and checks it is live and this client's. */
async function loadCode(deps: ServerContext, code: string, client: Client): Promise<AuthCode> {
  if (code === '') throw invalidRequest('Required param: code.');
  let stored: AuthCode;
  try {
    stored = await deps.storage.getAuthCode(code);
  } catch (err) {
    if (err instanceof NotFoundError) {
      if (await wasCodeRedeemed(deps.storage, code)) await revokeReplayedGrant(deps, code, client);
      throw badCode();
    }
    throw err;
  }
  if (deps.now().getTime() > stored.expiry.getTime()) throw badCode();
  if (stored.clientId !== client.id) {
    throw invalidGrant('Invalid or expired code parameter.', { detail: `code issued to client ${stored.clientId}` });
  }
  return stored;
}

/** Deletes the code; only the caller whose delete succeeds may mint. */
async function consumeCode(deps: ServerContext, code: string): Promise<void> {
  try {
    await deps.storage.deleteAuthCode(code);
  } catch (err) {
    if (err instanceof NotFoundError) throw badCode();
    throw err;
  }
}

async function redeem(req: TokenRequest, deps: ServerContext, conn: ResolvedConnector | null, authCode: AuthCode): Promise<TokenResponse> {
  const client = authenticatedClient(req);
  if (client.public && deps.config.oauth2.pkce.requireS256ForPublicClients && authCode.pkce.codeChallengeMethod !== 'S256') {
    throw invalidGrant('PKCE with S256 is required for public clients.');
  }
  verifyPkce(authCode.pkce.codeChallenge, authCode.pkce.codeChallengeMethod, req.form.get('code_verifier'));
  if (authCode.redirectURI !== req.form.get('redirect_uri')) {
    throw invalidRequest('redirect_uri did not match URI from initial request.');
  }
  // The mark comes first: a concurrent or later second redemption finds it and revokes the grant.
  if (!(await markCodeRedeemed(deps.storage, authCode.id, client.id, authCode.expiry))) {
    await revokeReplayedGrant(deps, authCode.id, client);
    throw badCode();
  }
  await consumeCode(deps, authCode.id);
  const ctx: TokenContext = {
    clientId: client.id,
    scopes: authCode.scopes,
    claims: authCode.claims,
    connectorId: authCode.connectorId,
    nonce: authCode.nonce,
    authTime: authCode.authTime,
    sessionId: authCode.sessionId,
    grantId: authCode.id,
    ...loginMethodClaims(deps.config.mfa, client, conn),
  };
  const minted = await mintTokens(deps, ctx, { code: authCode.id });
  const refreshToken = conn !== null && shouldIssueRefreshToken(conn, authCode.scopes)
    ? await issueRefreshToken(deps, { ...ctx, id: authCode.id, connectorData: authCode.connectorData })
    : undefined;
  return { ...minted, refreshToken };
}

export const authorizationCodeGrant: Grant<AuthCode> = {
  grantType: GRANT_TYPES.authorizationCode,
  requiresClientAuth: true,
  parameters: ['code', 'redirect_uri', 'code_verifier'],
  scopePolicy: null, // the code's scopes, checked at /auth
  // The code's connector was checked at /auth; the endpoint checks it again against the client as it is now.
  resolve: async (req, deps) => {
    const authCode = await loadCode(deps, req.form.get('code'), authenticatedClient(req));
    return { connectorId: authCode.connectorId, state: authCode };
  },
  authorize: (req, deps, conn, authCode) => redeem(req, deps, conn, authCode),
};
