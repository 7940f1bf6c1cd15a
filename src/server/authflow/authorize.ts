/**
 * GET|POST /auth — the authorization endpoint's entry (dex v2.45.1 `server/handlers.go` `handleAuthorization`; OIDC Core §3.1.2.1).
 * Validates the whole request first (so a bad request never shows a login page), then starts the login with the
 * connector named by `connector_id` or the only usable one (dex redirects to `/auth/{connector}` first; Ferry
 * saves that hop: a password connector redirects straight to its form at `/auth/{connector}/login`, as dex ends
 * up), or shows the connector list.
 * Without sessions there is never a signed-in user, so `prompt=none` answers `login_required`. With sessions,
 * `/auth?req&hmac` is the flow's dispatcher (dispatch.ts), and the browser's session picks the connector when the
 * request names none (unless `prompt=select_account` or `alwaysShowLoginScreen`); session-login.ts decides whether
 * the session signs the user in.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError, pageError } from '../oauth2/oauth-error.js';
import { toQuery, type RawParams } from '../http/params.js';
import { usableConnectors } from './flow-connector.js';
import type { ServerContext } from '../context.js';
import type { RedirectTarget } from '../responses/client-response.js';
import { sendFlowError } from '../responses/flow-errors.js';
import { validateAuthRequest } from './validate-auth-request.js';
import { startLogin } from './connector-login.js';
import { dispatch } from './dispatch.js';
import { usableSession } from './session-login.js';

export async function authorize(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const holder: { target?: RedirectTarget } = {};
  const query = (req.method === 'POST' ? req.body : req.query) as RawParams;
  if (ctx.sessions.enabled && query && typeof query === 'object' && 'req' in query) return dispatch(req, reply, ctx, query);
  try {
    const valid = await validateAuthRequest(query, ctx, holder);
    const usable = usableConnectors(valid);
    if (usable.length === 0) throw pageError(400, 'No connectors available for this client.');
    if (valid.params.prompt.includes('none') && !ctx.sessions.enabled) {
      throw new OAuthError('login_required', 'The user is not signed in.');
    }
    // The connector is known (named, or the only one): start its login right here, without dex's redirect hop to
    // /auth/{connector}, whose checks startLogin runs (flow-connector.ts).
    if (valid.params.connectorId) return await startLogin(req, reply, ctx, valid, valid.params.connectorId, query);
    const session = ctx.sessions.enabled && !ctx.config.oauth2.alwaysShowLoginScreen && !valid.params.prompt.includes('select_account')
      ? await usableSession(req, reply, ctx, valid)
      : null;
    if (session && usable.some((c) => c.id === session.connectorId)) {
      return await startLogin(req, reply, ctx, valid, session.connectorId, query);
    }
    if (valid.params.prompt.includes('none')) throw new OAuthError('login_required', 'The user is not signed in.');
    const only = usable[0];
    if (usable.length === 1 && only && !ctx.config.oauth2.alwaysShowLoginScreen) {
      return await startLogin(req, reply, ctx, valid, only.id, query);
    }
    const base = `${ctx.issuerPath}/auth/`;
    const rest = toQuery(query, ['connector_id']);
    const connectors = [...usable]
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }))
      .map((c) => ({ id: c.id, name: c.name, type: c.type, url: `${base}${encodeURIComponent(c.id)}?${rest}` }));
    return reply.type('text/html; charset=utf-8').send(ctx.renderer.login({ connectors }));
  } catch (err) {
    return sendFlowError(err, req, reply, ctx, holder.target);
  }
}
