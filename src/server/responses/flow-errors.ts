/**
 * The errors of the browser flow (OIDC Core §3.1.2.6, RFC 6749 §4.1.2.1), in one of two channels:
 * - sent to the client's verified redirect URI with `error`, `error_description` and `state` (client-response.ts);
 * - an HTML error page, when the redirect URI is not verified (or is out-of-band) or the error is ours.
 * Internal errors become a generic page (status and message: error-page.ts); the real error is logged with the
 * request id and never shown.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../oauth2/oauth-error.js';
import { sendToClient, type RedirectTarget } from './client-response.js';
import { connectorIdOf, errorPage } from './error-page.js';
import type { ServerContext } from '../context.js';
import { OOB_REDIRECT_URI } from '../oauth2/redirect-uris.js';
import { isDeliverableRedirectURI } from './redirect-uri.js';

/** The display name of the connector an upstream error came from (never the upstream's own words). */
async function connectorNameOf(err: unknown, ctx: ServerContext): Promise<string> {
  const id = connectorIdOf(err);
  const resolved = id ? await ctx.connectors.get(id).catch(() => null) : null;
  return resolved?.name || 'your identity provider';
}

/** Sends `err` to the client by redirect when allowed, else renders the error page. */
export async function sendFlowError(
  err: unknown,
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  target?: RedirectTarget,
): Promise<FastifyReply> {
  const exposed = err instanceof OAuthError && err.expose;
  if (!exposed || (err instanceof OAuthError && err.detail)) {
    ctx.logger.warn({ request_id: req.id, err: describe(err) }, 'login flow failed');
  }
  if (exposed && err.allowRedirect && target && target.redirectURI !== OOB_REDIRECT_URI && isDeliverableRedirectURI(target.redirectURI)) {
    return sendToClient(reply, target, { error: err.code, error_description: err.description, state: target.state });
  }
  if (err instanceof OAuthError && err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
  const { status, message } = errorPage(err, await connectorNameOf(err, ctx));
  return reply.code(status).type('text/html; charset=utf-8').send(ctx.renderer.error({ status, message }));
}

/** A log-safe summary of an error: class, code and message, plus the cause's. Never sent to a client. */
export function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { value: String(err) };
  const out: Record<string, unknown> = { type: err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (err.cause !== undefined) out.cause = describe(err.cause);
  return out;
}
