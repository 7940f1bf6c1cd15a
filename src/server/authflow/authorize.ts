/**
 * GET|POST /auth — the authorization endpoint's entry (dex reference §4.2; OIDC Core §3.1.2.1).
 * Validates the whole request first (so a bad request never shows a login page), then sends the browser to the
 * one usable connector, to the connector named by `connector_id`, or shows the connector list.
 * Without sessions there is never a signed-in user, so `prompt=none` answers `login_required`.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../oauth2/oauth-error.js';
import { toQuery, type RawParams } from '../http/params.js';
import { connectorAllowsGrant, impliedGrant } from './connector-grants.js';
import type { FlowContext } from './flow-context.js';
import { pageError, sendFlowError, type RedirectTarget } from './flow-errors.js';
import { validateAuthRequest } from './validate-auth-request.js';

export async function authorize(req: FastifyRequest, reply: FastifyReply, ctx: FlowContext): Promise<FastifyReply> {
  const holder: { target?: RedirectTarget } = {};
  const query = (req.method === 'POST' ? req.body : req.query) as RawParams;
  try {
    const valid = await validateAuthRequest(query, ctx, holder);
    const grant = impliedGrant(valid.redirectURI, valid.params.responseTypes);
    const usable = (await ctx.connectorsFor(valid.client)).filter((c) => connectorAllowsGrant(c, grant));
    if (usable.length === 0) throw pageError(400, 'No connectors available for this client.');
    if (valid.params.prompt.includes('none')) {
      throw new OAuthError('login_required', 'The user is not signed in.');
    }
    const base = `${ctx.issuerPath}/auth/`;
    if (valid.params.connectorId) {
      if (!usable.some((c) => c.id === valid.params.connectorId)) throw pageError(400, 'Connector ID does not match a valid connector.');
      return reply.redirect(`${base}${encodeURIComponent(valid.params.connectorId)}?${toQuery(query)}`, 302);
    }
    const rest = toQuery(query, ['connector_id']);
    const only = usable[0];
    if (usable.length === 1 && only && !ctx.config.oauth2.alwaysShowLoginScreen) {
      return reply.redirect(`${base}${encodeURIComponent(only.id)}?${rest}`, 302);
    }
    const connectors = [...usable]
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }))
      .map((c) => ({ id: c.id, name: c.name, type: c.type, url: `${base}${encodeURIComponent(c.id)}?${rest}` }));
    return reply.type('text/html; charset=utf-8').send(ctx.renderer.login({ connectors }));
  } catch (err) {
    return sendFlowError(err, req, reply, ctx, holder.target);
  }
}
