/**
 * Every grant Ferry can serve at `/token`, by `grant_type`. A later grant (password, device_code, token exchange,
 * client_credentials) plugs in with one import and one line here; the endpoint serves the ones both listed here
 * and enabled by `oauth2.grantTypes` (dex v2.45.1 `server/server.go` `newServer`, `allSupportedGrants`).
 */

import type { Config } from '../../config/types.js';
import type { TokenGrantType } from '../oauth2/grant-types.js';
import { authorizationCodeGrant } from './authorization-code.js';
import { clientCredentialsGrant } from './client-credentials.js';
import { deviceCodeGrant } from './device-code.js';
import type { Grant } from './grant.js';
import { passwordGrant } from './password.js';
import { refreshTokenGrant } from './refresh-token.js';
import { tokenExchangeGrant } from './token-exchange.js';

export const grants: Partial<Record<TokenGrantType, Grant>> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  password: passwordGrant,
  client_credentials: clientCredentialsGrant,
  'urn:ietf:params:oauth:grant-type:device_code': deviceCodeGrant,
  'urn:ietf:params:oauth:grant-type:token-exchange': tokenExchangeGrant,
};

/** The enabled set: `oauth2.grantTypes` ∩ grants this server can offer under `config`. */
export function enabledGrants(config: Config, table: Partial<Record<string, Grant>> = grants): Map<string, Grant> {
  const enabled = new Map<string, Grant>();
  for (const type of config.oauth2.grantTypes) {
    const grant = table[type];
    if (grant && (grant.isOfferable?.(config) ?? true)) enabled.set(type, grant);
  }
  return enabled;
}
