/**
 * Building a new AuthRequest (dex v2.45.1 `storage/storage.go` `AuthRequest`) from a validated authorization request, bound to the browser
 * that started the flow.
 */

import { newHmacKey, newId } from '../../storage/ids.js';
import type { AuthRequest } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import type { ValidAuthRequest } from './validate-auth-request.js';

export const EMPTY_CLAIMS = { userId: '', username: '', preferredUsername: '', email: '', emailVerified: false, groups: [] };

/**
 * How long a login that went to an upstream identity provider may take before its stored request expires
 * (capped by `expiry.authRequests`). Abandoned upstream logins are collected within the hour.
 */
export const PRE_LOGIN_TTL_MS = 60 * 60 * 1000;

/** A new AuthRequest for a validated request, bound to this browser. */
export function newAuthRequest(v: ValidAuthRequest, connectorId: string, binding: string, ctx: ServerContext, ttlMs = Infinity): AuthRequest {
  const p = v.params;
  return {
    id: newId(),
    clientId: v.client.id,
    responseTypes: p.responseTypes,
    scopes: p.scopes,
    redirectURI: v.redirectURI,
    nonce: p.nonce,
    state: p.state,
    forceApprovalPrompt: v.forceApproval,
    expiry: new Date(ctx.now().getTime() + Math.min(ttlMs, ctx.config.expiry.authRequests)),
    loggedIn: false,
    claims: EMPTY_CLAIMS,
    connectorId,
    connectorData: null,
    pkce: { codeChallenge: p.codeChallenge, codeChallengeMethod: v.codeChallengeMethod },
    hmacKey: newHmacKey(),
    prompt: p.prompt,
    maxAge: v.maxAge,
    authTime: null,
    mfaValidated: false,
    webauthnSessionData: null,
    mfaMethods: [],
    browserBinding: binding,
    responseMode: v.responseMode,
  };
}
