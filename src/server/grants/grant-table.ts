/**
 * Every grant Ferry can serve at `/token`, by `grant_type`. A later grant (password, device_code, token exchange,
 * client_credentials) plugs in with one import and one line here; the endpoint serves the ones both listed here
 * and enabled by `oauth2.grantTypes` (dex v2.45.1 `server/server.go` `newServer`, `allSupportedGrants`).
 */

import type { Config } from '../../config/types.js';
import { GRANT_TYPES, offeredTokenGrantTypes, type TokenGrantType } from '../oauth2/grant-types.js';
import { authorizationCodeGrant } from './authorization-code.js';
import { clientCredentialsGrant } from './client-credentials.js';
import { deviceCodeGrant } from './device-code.js';
import type { Grant } from './grant.js';
import { passwordGrant } from './password.js';
import { refreshTokenGrant } from './refresh-token.js';
import { tokenExchangeGrant } from './token-exchange.js';

export const grants: Partial<Record<TokenGrantType, Grant>> = {
  [GRANT_TYPES.authorizationCode]: authorizationCodeGrant,
  [GRANT_TYPES.refreshToken]: refreshTokenGrant,
  [GRANT_TYPES.password]: passwordGrant,
  [GRANT_TYPES.clientCredentials]: clientCredentialsGrant,
  [GRANT_TYPES.deviceCode]: deviceCodeGrant,
  [GRANT_TYPES.tokenExchange]: tokenExchangeGrant,
};

/** The enabled set: the grants of the grant types the server offers under `config` (`oauth2/grant-types.ts`). */
export function enabledGrants(config: Config, table: Partial<Record<string, Grant>> = grants): Map<string, Grant> {
  const enabled = new Map<string, Grant>();
  for (const type of offeredTokenGrantTypes(config.oauth2)) {
    const grant = table[type];
    if (grant) enabled.set(type, grant);
  }
  return enabled;
}
