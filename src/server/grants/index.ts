/**
 * The token endpoint, `POST <issuer>/token` (dex v2.45.1 `server/handlers.go` `handleToken`). `endpoint.ts` owns the shared phases (form parsing,
 * grant dispatch, client authentication, the connector invariant, response and error writing); each grant is a
 * small plug-in (`grant.ts`) listed in `grant-table.ts`:
 *
 *   authorization-code.ts  code → tokens (PKCE, redirect_uri, single use)
 *   refresh-token.ts       refresh token → tokens (rotation, reuse window, lifetimes; rules in ../tokens/refresh-policy.ts)
 *   password.ts            username + password → tokens through `oauth2.passwordConnector`
 *   client-credentials.ts  a confidential client → tokens for itself
 *   token-exchange.ts      upstream ID/access token → one Ferry token (RFC 8693)
 *   device-code.ts         the device's polling (RFC 8628); the browser half is in `src/server/device`
 *
 * `mint.ts` signs the access and ID tokens all standard grants answer. What other endpoints share with the grants
 * lives in the shared services: the scope policy, refresh-token lookup, policy and issuance in `src/server/tokens`,
 * the form parsing and the shell of the form-in, JSON-out endpoints in `src/server/http`.
 */
export { tokenEndpoint, runGrant, tokenResponseBody, type GrantRun } from './endpoint.js';
export type { Grant, Resolution, TokenRequest, TokenResponse } from './grant.js';
export { grants, enabledGrants } from './grant-table.js';
export { mintTokens, shouldIssueRefreshToken } from './mint.js';
