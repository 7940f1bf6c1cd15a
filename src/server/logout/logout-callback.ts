/**
 * GET/POST <issuer>/logout/callback: the upstream sends the browser back after its own logout (dex HEAD
 * server/logout/logout.go handleLogoutCallback). The session comes from the cookie (proof checked) and must have a
 * logout in progress (`logoutState`, written before the upstream redirect, holding the already verified
 * post-logout URI). The connector may check the upstream's answer; then the session ends as at `/logout`.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLogoutCallbackConnector } from '../../connectors/capabilities.js';
import { finishLogout, logoutError } from './finish.js';
import type { ServerContext } from '../context.js';

export async function logoutCallback(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const session = await ctx.sessions.current(req, reply);
  const ls = session?.logoutState;
  if (!session || !ls) return logoutError(ctx, reply, 'No logout in progress.');
  const resolved = await ctx.connectors.get(ls.connectorId).catch(() => null);
  if (resolved && isLogoutCallbackConnector(resolved.connector)) {
    const url = new URL(req.url, ctx.config.issuer);
    const form = req.method === 'POST' && req.body && typeof req.body === 'object' ? new URLSearchParams(req.body as Record<string, string>) : null;
    await resolved.connector.handleLogoutCallback({ method: req.method, url, headers: req.headers as Record<string, string | undefined>, form }).catch((err: unknown) => {
      ctx.logger.error({ connector_id: ls.connectorId, err: (err as Error).message }, 'logout: upstream logout answer not accepted');
    });
  }
  const ended = await ctx.sessionEnder.endSession(session, 'upstream-logout');
  ctx.sessions.clearCookie(reply);
  return finishLogout(ctx, reply, ls.postLogoutRedirectURI, ls.state, ended);
}
