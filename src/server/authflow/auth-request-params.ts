/**
 * The authorization request as Ferry reads it (dex v2.45.1 `server/oauth2.go` `parseAuthorizationRequest`; OIDC Core §3.1.2.1), before validation.
 * Ignored as dex ignores them: `login_hint`, `display`, `ui_locales`, `claims`, `acr_values`. `response_mode` (which
 * dex ignores) is read and checked in `validate-auth-request.ts`.
 */

import { param, spaceList, type RawParams } from '../http/params.js';

export interface AuthParams {
  clientId: string;
  redirectURI: string;
  responseTypes: string[];
  scopes: string[];
  state: string;
  nonce: string;
  connectorId: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  prompt: string[];
  /** Raw `max_age`; validated later. */
  maxAge: string;
  idTokenHint: string;
  approvalPrompt: string;
  /** Presence of `request` / `request_uri` (not supported). */
  request: string;
  requestURI: string;
}

/** Reads every parameter once; a repeated parameter is an error (redirected only once client and URI are known). */
export function readAuthParams(q: RawParams): AuthParams {
  const p = (name: string) => param(q, name, { allowRedirect: false });
  return {
    clientId: p('client_id'),
    redirectURI: p('redirect_uri'),
    responseTypes: spaceList(p('response_type')),
    scopes: spaceList(p('scope')),
    state: p('state'),
    nonce: p('nonce'),
    connectorId: p('connector_id'),
    codeChallenge: p('code_challenge'),
    codeChallengeMethod: p('code_challenge_method'),
    prompt: spaceList(p('prompt')),
    maxAge: p('max_age'),
    idTokenHint: p('id_token_hint'),
    approvalPrompt: p('approval_prompt'),
    request: p('request'),
    requestURI: p('request_uri'),
  };
}
