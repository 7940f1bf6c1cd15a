/**
 * GET <issuer>/.well-known/openid-configuration (OIDC Discovery 1.0 §3; dex v2.45.1 `server/handlers.go` `constructDiscovery`).
 * Same fields and order as dex, built once per process, plus what Ferry adds: `revocation_endpoint` (RFC 7009)
 * and `response_modes_supported` (form_post). Endpoints Ferry does not serve are not advertised. With sessions on
 * (dex HEAD server/discovery/discovery.go adds `sid`), also `prompt_values_supported` (OpenID Connect Prompt
 * Create 1.0 §4.2 defines the field) and the session claims.
 */

import type { Config } from '../../config/types.js';
import { GRANT_TYPES, offeredTokenGrantTypes } from '../oauth2/grant-types.js';
import { isTokenBearing, RESPONSE_MODES } from '../oauth2/response-types.js';

/**
 * dex §5.2: the configured grants the server can run at /token, plus `implicit` when it is configured and a
 * token-bearing response type is enabled (implicit is never a /token grant).
 */
export function enabledGrantTypes(config: Config): string[] {
  const types: string[] = offeredTokenGrantTypes(config.oauth2);
  const tokenResponse = config.oauth2.responseTypes.some((t) => isTokenBearing(t.split(' ')));
  if (tokenResponse && config.oauth2.grantTypes.includes(GRANT_TYPES.implicit)) types.push(GRANT_TYPES.implicit);
  return types.sort();
}

export interface DiscoveryDocument {
  issuer: string;
  [field: string]: unknown;
}

export function buildDiscovery(config: Config, signingAlg: string): DiscoveryDocument {
  const iss = config.issuer;
  return {
    issuer: iss,
    authorization_endpoint: `${iss}/auth`,
    token_endpoint: `${iss}/token`,
    jwks_uri: `${iss}/keys`,
    userinfo_endpoint: `${iss}/userinfo`,
    ...(offeredTokenGrantTypes(config.oauth2).includes(GRANT_TYPES.deviceCode) ? { device_authorization_endpoint: `${iss}/device/code` } : {}),
    introspection_endpoint: `${iss}/token/introspect`,
    revocation_endpoint: `${iss}/token/revoke`,
    ...logoutMetadata(config),
    grant_types_supported: enabledGrantTypes(config),
    response_types_supported: [...config.oauth2.responseTypes].sort(),
    response_modes_supported: Object.values(RESPONSE_MODES),
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [signingAlg],
    code_challenge_methods_supported: config.oauth2.pkce.codeChallengeMethodsSupported,
    scopes_supported: ['openid', 'email', 'groups', 'profile', 'offline_access'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    claims_supported: [
      'iss', 'sub', 'aud', 'iat', 'exp', 'email', 'email_verified', 'locale', 'name', 'preferred_username',
      'at_hash', 'groups', 'federated_claims',
      ...(config.sessions ? SESSION_CLAIMS : []),
    ],
    ...(config.sessions ? { prompt_values_supported: ['none', 'login', 'consent', 'select_account'] } : {}),
  };
}

/**
 * With sessions on (dex HEAD server/discovery/discovery.go): `/logout` (RP-Initiated Logout 1.0 §2.1) and
 * Back-Channel Logout 1.0 §2.1 with `sid` in every logout token. Ferry states `frontchannel_logout_supported:
 * false` outright (Front-Channel Logout 1.0 §3) because it has no front-channel logout; dex leaves it out.
 */
function logoutMetadata(config: Config): Record<string, unknown> {
  if (!config.sessions) return {};
  return {
    end_session_endpoint: `${config.issuer}/logout`,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: false,
  };
}

/** Claims tokens carry when sessions are on (the session's id, the login's time and methods; OIDC Core §2). */
const SESSION_CLAIMS = ['sid', 'auth_time', 'amr', 'acr'];
