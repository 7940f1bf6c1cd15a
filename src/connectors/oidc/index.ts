/**
 * The `oidc` connector: log in through an upstream OpenID Connect provider (dex `connector/oidc`).
 *
 * Flow: `loginURL` (discovery, state + nonce + PKCE) → provider login → `/callback` → `handleCallback` (code
 * grant, ID token validation, optional userinfo, claim mapping in `mapping.ts`) → Identity with the upstream
 * refresh token as connector data → `refresh` (refresh_token grant) / `tokenIdentity` (token exchange).
 * Files: `config.ts` (keys, defaults), `upstream.ts` (provider calls), `mapping.ts` (claims → Identity),
 * `connector-data.ts`, `connector.ts`, `factory.ts` (its HTTP client, with rootCAs / insecureSkipVerify, is `../http/`).
 */
export { oidc } from './factory.js';
export { OidcConnector, ID_TOKEN_TYPE, ACCESS_TOKEN_TYPE } from './connector.js';
export { parseOidcConfig, type OidcConfig } from './config.js';
