/**
 * The client_credentials grant (RFC 6749 §4.4; dex HEAD `server/grants/clientcredentials.go`): a confidential client
 * gets tokens for itself. No user and no connector: the subject is the client (`sub` encodes the client id with an
 * empty connector id), `profile` adds the client name, `groups` its `clientCredentialsClaims.groups`. Never a
 * refresh token. Public clients are refused (`unauthorized_client`).
 */

import type { Claims, Client } from '../../storage/types.js';
import { GRANT_TYPES } from '../oauth2/grant-types.js';
import { unauthorizedClient } from '../oauth2/oauth-error.js';
import { SCOPES } from '../oauth2/scopes.js';
import type { ScopePolicy } from '../tokens/check-scopes.js';
import type { TokenContext } from '../tokens/claims.js';
import { authenticatedClient, type Grant } from './grant.js';
import { mintTokens } from './mint.js';

const POLICY: ScopePolicy = {
  standard: new Set([SCOPES.openid, SCOPES.email, SCOPES.profile, SCOPES.groups]),
  requireOpenId: false,
  rejected: {
    [SCOPES.offlineAccess]: 'client_credentials grant does not support offline_access scope.',
    [SCOPES.federatedId]: 'client_credentials grant does not support federated:id scope.',
  },
  errorCode: 'invalid_scope',
};

/** The claims of a client acting for itself. */
function clientClaims(client: Client, scopes: string[]): Claims {
  const named = scopes.includes(SCOPES.profile);
  return {
    userId: client.id,
    username: named ? client.name : '',
    preferredUsername: named ? client.name : '',
    email: '',
    emailVerified: false,
    groups: scopes.includes(SCOPES.groups) ? [...(client.clientCredentialsClaims?.groups ?? [])] : [],
  };
}

export const clientCredentialsGrant: Grant<string[]> = {
  grantType: GRANT_TYPES.clientCredentials,
  requiresClientAuth: true,
  parameters: ['scope', 'nonce'],
  scopePolicy: POLICY,
  async resolve(req) {
    if (authenticatedClient(req).public) throw unauthorizedClient('Public clients cannot use client_credentials grant.');
    return { connectorId: '', state: req.scopes };
  },
  async authorize(req, deps, _conn, scopes) {
    const client = authenticatedClient(req);
    const ctx: TokenContext = {
      clientId: client.id,
      scopes,
      claims: clientClaims(client, scopes),
      connectorId: '',
      nonce: req.form.get('nonce'),
      authTime: null,
      sessionId: '',
    };
    return mintTokens(deps, ctx);
  },
};
