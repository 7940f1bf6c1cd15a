/**
 * Which grant a browser login implies, and whether a connector may serve it (dex v2.45.1 `server/handlers.go` `handleAuthorization`):
 * device flow when the redirect URI is the device callback, implicit when tokens come back from /auth,
 * otherwise the authorization code grant. A connector's `grantTypes` (empty = all) restricts it.
 */

import type { ResolvedConnector } from '../context.js';
import { DEVICE_CALLBACK_PATH } from './redirect-uri.js';

export function impliedGrant(redirectURI: string, responseTypes: string[]): string {
  if (redirectURI.endsWith(DEVICE_CALLBACK_PATH)) return 'urn:ietf:params:oauth:grant-type:device_code';
  if (responseTypes.includes('token') || responseTypes.includes('id_token')) return 'implicit';
  return 'authorization_code';
}

export function connectorAllowsGrant(c: ResolvedConnector, grant: string): boolean {
  return c.grantTypes.length === 0 || c.grantTypes.includes(grant);
}
