/**
 * GET /auth/{connector} — starts a login with one connector (dex v2.45.1 server/handlers.go handleConnectorLogin).
 * Validates the request, checks the connector is usable by this client for this grant, binds the flow to this
 * browser, and hands over to the connector: a redirect to the password form at `/auth/{connector}/login`
 * (nothing stored yet), or — after storing the AuthRequest with a short pre-login lifetime — an upstream redirect
 * (callback connectors) or an auto-submitted SAML POST. A browser holds at most one such stored request per client
 * (pending-request.ts). With sessions on, the browser's session is tried first (session-login.ts).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { isCallbackConnector, isPasswordConnector, isSAMLConnector } from '../../connectors/capabilities.js';
import { connectorScopes } from '../oauth2/scopes.js';
import { toQuery, type RawParams } from '../http/params.js';
import { autoSubmitPage } from '../templates/auto-submit-page.js';
import { bindBrowser } from './browser-binding.js';
import type { ServerContext } from '../context.js';
import { pageError } from '../oauth2/oauth-error.js';
import type { RedirectTarget } from '../responses/client-response.js';
import { sendFlowError } from '../responses/flow-errors.js';
import { usableConnector } from './flow-connector.js';
import { validateAuthRequest, type ValidAuthRequest } from './validate-auth-request.js';
import { newAuthRequest, PRE_LOGIN_TTL_MS } from './auth-request.js';
import { passwordFormURL } from './password-form.js';
import { replacePendingRequest } from './pending-request.js';
import { trySessionLogin } from './session-login.js';

/**
 * The query of the password form's link back to the connector list. With sessions it asks for
 * `prompt=select_account` (dex HEAD server/authflow/login.go), or `/auth` would pick the session's connector again.
 */
function backQuery(ctx: ServerContext, query: RawParams): string {
  const q = new URLSearchParams(toQuery(query, ['connector_id', 'back']));
  if (ctx.sessions.enabled) {
    const words = (q.get('prompt') ?? '').split(' ').filter((w) => w !== '' && w !== 'select_account');
    q.set('prompt', [...words, 'select_account'].join(' '));
  }
  return q.toString();
}

/**
 * Hands a validated request to one connector: a redirect to the password form (nothing stored yet), or — after storing the
 * AuthRequest with a short pre-login lifetime — an upstream redirect or an auto-submitted SAML POST.
 * Shared by `/auth` (when the connector is already known) and `/auth/{connector}`.
 */
export async function startLogin(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  valid: ValidAuthRequest,
  connectorId: string,
  query: RawParams,
): Promise<FastifyReply> {
  const { resolved, allowed } = await usableConnector(valid, connectorId, ctx, { sessionFirst: ctx.sessions.enabled });
  const fromSession = await trySessionLogin(req, reply, ctx, valid, connectorId);
  if (fromSession) return fromSession;
  const binding = bindBrowser(req, reply, ctx.cookies);
  const conn = resolved.connector;
  if (isPasswordConnector(conn)) {
    // Nothing is stored before the user proves who they are: the form's URL carries the validated request, and the
    // AuthRequest is created only after a successful login (bots hammering /auth cannot grow the store).
    const back = allowed.length > 1 ? `${ctx.issuerPath}/auth?${backQuery(ctx, query)}` : '';
    return reply.redirect(passwordFormURL(ctx.issuerPath, connectorId, query, back), 302);
  }
  const authReq = newAuthRequest(valid, connectorId, binding, ctx, PRE_LOGIN_TTL_MS);
  const scopes = connectorScopes(authReq.scopes);
  if (isCallbackConnector(conn)) {
    const { url, connectorData } = await conn.loginURL(scopes, `${ctx.issuer}/callback`, authReq.id);
    await replacePendingRequest(req, reply, ctx, authReq);
    await ctx.storage.createAuthRequest({ ...authReq, connectorData });
    return reply.redirect(url, 302);
  }
  if (isSAMLConnector(conn)) {
    const { ssoURL, samlRequest } = await conn.postData(scopes, authReq.id);
    await replacePendingRequest(req, reply, ctx, authReq);
    await ctx.storage.createAuthRequest(authReq);
    // SAML Bindings §3.5.4: the AuthnRequest and RelayState (the AuthRequest id) posted to the IdP.
    const page = autoSubmitPage({
      action: ssoURL,
      fields: { SAMLRequest: samlRequest, RelayState: authReq.id },
      title: 'Signing in…',
      noscript: 'Continue to your identity provider to sign in.',
    });
    return reply.type('text/html; charset=utf-8').send(page);
  }
  throw pageError(500, 'This login method is not available.', `connector ${connectorId} has no login capability`);
}

export async function connectorLogin(
  req: FastifyRequest<{ Params: { connector: string } }>,
  reply: FastifyReply,
  ctx: ServerContext,
): Promise<FastifyReply> {
  const holder: { target?: RedirectTarget } = {};
  const query = req.query as RawParams;
  try {
    const valid = await validateAuthRequest(query, ctx, holder);
    return await startLogin(req, reply, ctx, valid, req.params.connector, query);
  } catch (err) {
    return sendFlowError(err, req, reply, ctx, holder.target);
  }
}
