/**
 * GET|POST /callback and /callback/{connector} — where upstream identity providers return the browser
 * (dex v2.45.1 `server/server.go` routes, `server/handlers.go` `handleConnectorCallback`). GET carries `state` (the AuthRequest id) for redirect-based connectors; POST carries
 * `RelayState` and `SAMLResponse` for SAML. A connector that trusts request headers (authproxy, with any header
 * names) completes only on its own `/callback/{connector}` route, the one its proxy protects; the bare `/callback`
 * refuses it and also drops `X-Remote-*` headers for every other connector. A request that already logged in takes
 * no second response (`finalize.ts`).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { isCallbackConnector, isSAMLConnector } from '../../connectors/capabilities.js';
import type { CallbackRequest } from '../../connectors/types.js';
import { param, type RawParams } from '../http/params.js';
import { connectorScopes } from '../oauth2/scopes.js';
import { finalizeLogin, refuseIfLoggedIn } from './finalize.js';
import type { ServerContext } from '../context.js';
import { pageError } from '../oauth2/oauth-error.js';
import { sendFlowError } from '../responses/flow-errors.js';
import { loadFlow } from './load-flow.js';

type Req = FastifyRequest<{ Params: { connector?: string } }>;

/** Largest SAMLResponse accepted (base64), checked before any XML parsing. */
const SAML_RESPONSE_MAX = 512 * 1024;

function callbackRequest(req: Req, ctx: ServerContext, stripRemote: boolean): CallbackRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (stripRemote && k.startsWith('x-remote-')) continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  const body = req.body;
  const form = req.method === 'POST' && body && typeof body === 'object'
    ? new URLSearchParams(Object.entries(body as Record<string, unknown>).filter(([, v]) => typeof v === 'string') as [string, string][])
    : null;
  return { method: req.method, url: new URL(req.url, new URL(ctx.issuer).origin), headers, form };
}

export async function callback(req: Req, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  try {
    const isPost = req.method === 'POST';
    const fields = (isPost ? req.body : req.query) as RawParams;
    const state = param(fields, isPost ? 'RelayState' : 'state', { allowRedirect: false });
    // A cross-site POST (SAML) carries no SameSite=Lax cookie; its browser is checked at the approval step.
    const authReq = await loadFlow(req, ctx, state, { checkBrowser: !isPost });
    refuseIfLoggedIn(authReq);
    const pathConnector = req.params.connector;
    if (pathConnector !== undefined && pathConnector !== authReq.connectorId) {
      throw pageError(400, 'Requested connector does not match the login in progress.');
    }
    const resolved = await ctx.connectors.get(authReq.connectorId);
    const conn = resolved.connector;
    const scopes = connectorScopes(authReq.scopes);
    let identity;
    if (isPost) {
      if (!isSAMLConnector(conn)) throw pageError(400, 'This login method does not accept a POST callback.');
      identity = await conn.handlePost(scopes, param(fields, 'SAMLResponse', { allowRedirect: false, maxLength: SAML_RESPONSE_MAX }), authReq.id);
    } else {
      if (!isCallbackConnector(conn)) throw pageError(400, 'This login method does not use a callback.');
      if (conn.trustsRequestHeaders === true && pathConnector === undefined) {
        throw pageError(400, 'This login method completes only on its own callback path.');
      }
      identity = await conn.handleCallback(scopes, authReq.connectorData, callbackRequest(req, ctx, pathConnector === undefined));
    }
    return await finalizeLogin(req, reply, ctx, authReq, resolved, identity);
  } catch (err) {
    return sendFlowError(err, req, reply, ctx);
  }
}
