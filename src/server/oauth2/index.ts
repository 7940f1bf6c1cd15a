/**
 * The OAuth 2.0 / OpenID Connect vocabulary every endpoint shares, with no knowledge of routes or storage layout:
 * grant types (grant-types.ts) and response types (response-types.ts) as dex names and enables them (dex v2.45.1
 * `server/server.go` `newServer`, `server/oauth2.go`); scopes, dex's cross-client `audience:server:client_id:`
 * scope and the connector scopes they imply (scopes.ts); PKCE (pkce.ts, RFC 7636); client authentication at the
 * token endpoint (client-auth.ts, RFC 6749 §2.3.1); and the error model: `OAuthError` with RFC 6749 §5.2 codes
 * (oauth-error.ts) written as JSON with the right status and `WWW-Authenticate` (write-json-error.ts).
 */
export { authenticateClient, readClientCredentials, type ClientCredentials } from './client-auth.js';
export { GRANT_TYPES, isGrantTypeAllowed, type GrantType, type TokenGrantType } from './grant-types.js';
export { OAuthError, toOAuthError, type OAuthErrorCode } from './oauth-error.js';
export { computeCodeChallenge, PKCE_METHODS, verifyPkce, type PkceMethod } from './pkce.js';
export { RESPONSE_TYPES, type ResponseType } from './response-types.js';
export { connectorScopes, crossClientPeer, parseScopeParam, SCOPES } from './scopes.js';
export { writeJsonError } from './write-json-error.js';
