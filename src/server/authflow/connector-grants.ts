/**
 * Which grant a browser login implies, and whether a connector may serve it (dex v2.45.1 `server/handlers.go` `handleAuthorization`):
 * device flow when the redirect URI is the device callback, implicit when tokens come back from /auth,
 * otherwise the authorization code grant. A connector's `grantTypes` (empty = all) restricts it.
 */

import type { ResolvedConnector } from '../context.js';
import { GRANT_TYPES, type GrantType } from '../oauth2/grant-types.js';
import { DEVICE_CALLBACK_PATH } from '../oauth2/redirect-uris.js';
import { isTokenBearing } from '../oauth2/response-types.js';

export function impliedGrant(redirectURI: string, responseTypes: string[]): GrantType {
  if (redirectURI.endsWith(DEVICE_CALLBACK_PATH)) return GRANT_TYPES.deviceCode;
  if (isTokenBearing(responseTypes)) return GRANT_TYPES.implicit;
  return GRANT_TYPES.authorizationCode;
}

export function connectorAllowsGrant(c: ResolvedConnector, grant: string): boolean {
  return c.grantTypes.length === 0 || c.grantTypes.includes(grant);
}
