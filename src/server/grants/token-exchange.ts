/**
 * The token-exchange grant (RFC 8693; dex master (ab64ed77) `server/grants/tokenexchange.go`): a client trades an upstream ID or
 * access token, verified by the connector named in `connector_id` (a dex extension; the connector must implement
 * `tokenIdentity`), for one Ferry token of `requested_token_type` (access token by default, or an ID token).
 * The answer carries that one token in `access_token` plus `issued_token_type`; never a refresh token.
 *
 * The endpoint checks the connector against the client's `allowedConnectors` and the connector's `grantTypes`
 * before anything is verified (GHSA-7qjx-gp9h-65qj). Scopes pass through as in dex, except that cross-client
 * audience scopes must be trusted by the peer (dex does not check them here).
 */

import { isTokenIdentityConnector } from '../../connectors/capabilities.js';
import type { Identity } from '../../connectors/types.js';
import { GRANT_TYPES } from '../oauth2/grant-types.js';
import { accessDenied, invalidRequest, requestNotSupported, unauthorizedClient } from '../oauth2/oauth-error.js';
import { claimsOf, type TokenContext } from '../tokens/claims.js';
import { authenticatedClient, type Grant } from './grant.js';

export const TOKEN_TYPES = {
  idToken: 'urn:ietf:params:oauth:token-type:id_token',
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
} as const;

const SUPPORTED: ReadonlySet<string> = new Set(Object.values(TOKEN_TYPES));

export const tokenExchangeGrant: Grant<string[]> = {
  grantType: GRANT_TYPES.tokenExchange,
  requiresClientAuth: true,
  parameters: ['connector_id', 'subject_token', 'subject_token_type', 'requested_token_type', 'scope'],
  // Unknown scopes pass through (dex); cross-client ones still need the peer's trust.
  scopePolicy: { standard: null, requireOpenId: false, rejected: {}, errorCode: 'invalid_scope' },
  async resolve(req) {
    const connectorId = req.form.get('connector_id');
    if (connectorId === '') throw invalidRequest('Requested connector does not exist.', { detail: 'no connector_id' });
    return { connectorId, state: req.scopes };
  },
  async authorize(req, deps, conn, scopes) {
    const client = authenticatedClient(req);
    const subjectType = req.form.get('subject_token_type');
    if (!SUPPORTED.has(subjectType)) throw requestNotSupported('Invalid subject_token_type.');
    const subjectToken = req.form.get('subject_token');
    if (subjectToken === '') throw invalidRequest('Missing subject_token.');
    const requested = req.form.get('requested_token_type') || TOKEN_TYPES.accessToken;
    if (!SUPPORTED.has(requested)) throw requestNotSupported('Invalid requested_token_type.');
    if (client.public && subjectType === TOKEN_TYPES.accessToken) {
      // Anyone can present a public client's id: an access token stolen from another app must not become a Ferry token.
      throw unauthorizedClient('Public clients may not exchange access tokens.');
    }
    if (conn === null || !isTokenIdentityConnector(conn.connector)) {
      throw invalidRequest('Requested connector does not support token exchange.', { detail: `connector ${conn?.id ?? ''}` });
    }
    let identity: Identity;
    try {
      identity = await conn.connector.tokenIdentity(subjectType, subjectToken);
    } catch (err) {
      req.logger.info({ reqId: req.requestId, connector_id: conn.id, err: (err as Error).message }, 'token exchange: subject token rejected');
      throw accessDenied('The subject token could not be verified.', { status: 401 });
    }
    if (!identity.userId) throw accessDenied('The subject token could not be verified.', { status: 401, detail: 'no user id' });
    const ctx: TokenContext = {
      clientId: client.id,
      scopes,
      claims: claimsOf(identity),
      connectorId: conn.id,
      nonce: '',
      authTime: null,
      sessionId: '',
    };
    const issued = requested === TOKEN_TYPES.idToken ? await deps.tokens.idToken(ctx) : await deps.tokens.accessToken(ctx);
    req.logger.info({ reqId: req.requestId, connector_id: conn.id, client_id: client.id, user_id: identity.userId }, 'token exchange successful');
    const expiresIn = Math.max(0, Math.floor((issued.expiry.getTime() - deps.now().getTime()) / 1000));
    return { accessToken: issued.token, expiresIn, issuedTokenType: requested };
  },
};
