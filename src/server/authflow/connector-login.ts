/**
 * GET /auth/{connector} — starts a login with one connector (dex reference §4.5).
 * Validates the request, checks the connector is usable by this client for this grant, stores the AuthRequest
 * (bound to this browser), and hands over to the connector: upstream redirect (callback connectors), the
 * password form, or an auto-submitted SAML POST.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { isCallbackConnector, isPasswordConnector, isSAMLConnector } from '../../connectors/capabilities.js';
import { NotFoundError } from '../../lib/errors.js';
import { newHmacKey, newId } from '../../storage/ids.js';
import type { AuthRequest } from '../../storage/types.js';
import { OAuthError } from '../oauth2/oauth-error.js';
import { connectorScopes } from '../oauth2/scopes.js';
import { toQuery, type RawParams } from '../http/params.js';
import { bindBrowser } from './browser-binding.js';
import { connectorAllowsGrant, impliedGrant } from './connector-grants.js';
import type { FlowContext } from './flow-context.js';
import { pageError, sendFlowError, type RedirectTarget } from './flow-errors.js';
import { samlPostPage } from './saml-post-page.js';
import { validateAuthRequest, type ValidAuthRequest } from './validate-auth-request.js';

export const EMPTY_CLAIMS = { userId: '', username: '', preferredUsername: '', email: '', emailVerified: false, groups: [] };

function newAuthRequest(v: ValidAuthRequest, connectorId: string, binding: string, ctx: FlowContext): AuthRequest {
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
    expiry: new Date(ctx.now().getTime() + ctx.config.expiry.authRequests),
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
    const resolved = await ctx.connectors.get(connectorId).catch((err: unknown) => {
      if (err instanceof NotFoundError) throw pageError(404, 'Connector not found.');
      throw err;
    });
    const allowed = await ctx.connectorsFor(valid.client);
    if (!allowed.some((c) => c.id === connectorId)) throw pageError(403, 'This application may not use this login method.');
    if (!connectorAllowsGrant(resolved, impliedGrant(valid.redirectURI, valid.params.responseTypes))) {
      throw pageError(400, 'This login method cannot be used for this kind of request.');
    }
    if (valid.params.connectorId && valid.params.connectorId !== connectorId) throw pageError(400, 'Bad connector ID.');
    if (valid.params.prompt.includes('none')) throw new OAuthError('login_required', 'The user is not signed in.');

    const binding = bindBrowser(req, reply, { path: ctx.issuerPath, secure: ctx.secureCookies });
    const authReq = newAuthRequest(valid, connectorId, binding, ctx);
    const scopes = connectorScopes(authReq.scopes);
    const conn = resolved.connector;

    if (isCallbackConnector(conn)) {
      const { url, connectorData } = await conn.loginURL(scopes, `${ctx.issuer}/callback`, authReq.id);
      await ctx.storage.createAuthRequest({ ...authReq, connectorData });
      return reply.redirect(url, 302);
    }
    if (isPasswordConnector(conn)) {
      await ctx.storage.createAuthRequest(authReq);
      const login = new URLSearchParams({ state: authReq.id });
      if (allowed.length > 1) login.set('back', `${ctx.issuerPath}/auth?${toQuery(query, ['connector_id'])}`);
      return reply.redirect(`${ctx.issuerPath}/auth/${encodeURIComponent(connectorId)}/login?${login}`, 302);
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
