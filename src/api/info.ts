/** GetVersion and GetDiscovery (dex master (ab64ed77) `server/apiserver/api.go`). */

import type { ServiceImpl } from '@connectrpc/connect';
import type { ApiDeps } from './deps.js';
import type { Dex } from './gen/api_pb.js';

type InfoRpcs = Pick<ServiceImpl<typeof Dex>, 'getVersion' | 'getDiscovery'>;

/** Grows by one whenever an RPC is added; 4 matches dex HEAD (the sessions, identities and MFA RPCs). */
export const API_VERSION = 4;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function infoRpcs(deps: ApiDeps): InfoRpcs {
  return {
    async getVersion() {
      return { server: deps.version, api: API_VERSION };
    },

    /** The HTTP document mapped field by field; fields the message lacks (end_session, ...) are dropped, as dex does. */
    async getDiscovery() {
      const d = await deps.discovery();
      return {
        issuer: str(d.issuer),
        authorizationEndpoint: str(d.authorization_endpoint),
        tokenEndpoint: str(d.token_endpoint),
        jwksUri: str(d.jwks_uri),
        userinfoEndpoint: str(d.userinfo_endpoint),
        deviceAuthorizationEndpoint: str(d.device_authorization_endpoint),
        introspectionEndpoint: str(d.introspection_endpoint),
        grantTypesSupported: list(d.grant_types_supported),
        responseTypesSupported: list(d.response_types_supported),
        subjectTypesSupported: list(d.subject_types_supported),
        idTokenSigningAlgValuesSupported: list(d.id_token_signing_alg_values_supported),
        codeChallengeMethodsSupported: list(d.code_challenge_methods_supported),
        scopesSupported: list(d.scopes_supported),
        tokenEndpointAuthMethodsSupported: list(d.token_endpoint_auth_methods_supported),
        claimsSupported: list(d.claims_supported),
      };
    },
  };
}
