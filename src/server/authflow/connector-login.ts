/**
 * GET /auth/{connector} — starts a login with one connector (dex reference §4.5).
 * Validates the request, checks the connector is usable by this client for this grant, binds the flow to this
 * browser, and hands over to the connector: the password form (nothing stored yet), or — after storing the
 * AuthRequest with a short pre-login lifetime — an upstream redirect (callback connectors) or an auto-submitted
 * SAML POST.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { isCallbackConnector, isPasswordConnector, isSAMLConnector } from '../../connectors/capabilities.js';
import { newHmacKey, newId } from '../../storage/ids.js';
import type { AuthRequest } from '../../storage/types.js';
import { connectorScopes } from '../oauth2/scopes.js';
import { toQuery, type RawParams } from '../http/params.js';
import { bindBrowser } from './browser-binding.js';
import type { FlowContext } from './flow-context.js';
import { pageError, sendFlowError, type RedirectTarget } from './flow-errors.js';
import { samlPostPage } from './saml-post-page.js';
import { usableConnector } from './flow-connector.js';
import { validateAuthRequest, type ValidAuthRequest } from './validate-auth-request.js';

export const EMPTY_CLAIMS = { userId: '', username: '', preferredUsername: '', email: '', emailVerified: false, groups: [] };

/**
 * How long a login that went to an upstream identity provider may take before its stored request expires
 * (capped by `expiry.authRequests`). Abandoned upstream logins are collected within the hour.
 */
export const PRE_LOGIN_TTL_MS = 60 * 60 * 1000;

/** A new AuthRequest for a validated request, bound to this browser. */
export function newAuthRequest(v: ValidAuthRequest, connectorId: string, binding: string, ctx: FlowContext, ttlMs = Infinity): AuthRequest {
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
    browserBinding: binding,
    responseMode: v.responseMode,
  };
}

export async function connectorLogin(
  req: FastifyRequest<{ Params: { connector: string } }>,
  reply: FastifyReply,
  ctx: FlowContext,
): Promise<FastifyReply> {
  const holder: { target?: RedirectTarget } = {};
  const query = req.query as RawParams;
  try {
    const valid = await validateAuthRequest(query, ctx, holder);
    const connectorId = req.params.connector;
    const { resolved, allowed } = await usableConnector(valid, connectorId, ctx);
    const binding = bindBrowser(req, reply, { path: ctx.issuerPath, secure: ctx.secureCookies });
    const conn = resolved.connector;

    if (isPasswordConnector(conn)) {
      // Nothing is stored before the user proves who they are: the form carries the validated request, and the
      // AuthRequest is created only after a successful login (bots hammering /auth cannot grow the store).
      const login = new URLSearchParams(toQuery(query, ['back']));
      if (allowed.length > 1) login.set('back', `${ctx.issuerPath}/auth?${toQuery(query, ['connector_id'])}`);
      return reply.redirect(`${ctx.issuerPath}/auth/${encodeURIComponent(connectorId)}/login?${login}`, 302);
    }
    const authReq = newAuthRequest(valid, connectorId, binding, ctx, PRE_LOGIN_TTL_MS);
    const scopes = connectorScopes(authReq.scopes);
    if (isCallbackConnector(conn)) {
      const { url, connectorData } = await conn.loginURL(scopes, `${ctx.issuer}/callback`, authReq.id);
      await ctx.storage.createAuthRequest({ ...authReq, connectorData });
      return reply.redirect(url, 302);
    }
    if (isSAMLConnector(conn)) {
      const { ssoURL, samlRequest } = await conn.postData(scopes, authReq.id);
      await ctx.storage.createAuthRequest(authReq);
      return reply.type('text/html; charset=utf-8').send(samlPostPage(ssoURL, samlRequest, authReq.id));
    }
    throw pageError(500, 'This login method is not available.', `connector ${connectorId} has no login capability`);
  } catch (err) {
    return sendFlowError(err, req, reply, ctx, holder.target);
  }
}
