/**
 * The end-session request's parameters (RP-Initiated Logout 1.0 §2), from the query of a GET or the form of a POST:
 * `id_token_hint`, `client_id`, `post_logout_redirect_uri`, `state`. `logout_hint` and `ui_locales` are accepted
 * and not used (§2 makes both optional hints). A repeated or oversized parameter is refused.
 */

import type { FastifyRequest } from 'fastify';
import { param, type RawParams } from '../http/params.js';

export interface EndSessionRequest {
  idTokenHint: string;
  clientId: string;
  postLogoutRedirectURI: string;
  state: string;
}

/** Throws an `OAuthError` (invalid_request) on a malformed parameter. */
export function readEndSessionRequest(req: FastifyRequest): EndSessionRequest {
  const source = (req.method === 'POST' ? req.body : req.query) as RawParams;
  return {
    idTokenHint: param(source, 'id_token_hint', { maxLength: 16_384 }),
    clientId: param(source, 'client_id'),
    postLogoutRedirectURI: param(source, 'post_logout_redirect_uri'),
    state: param(source, 'state'),
  };
}
