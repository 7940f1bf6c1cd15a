/**
 * The end of a logout (RP-Initiated Logout 1.0 §3-4): to the verified `post_logout_redirect_uri` with `state`
 * added, or Ferry's "signed out" page. Callers verify the URI against the client's registration first; nothing else
 * ever reaches this redirect.
 */

import type { FastifyReply } from 'fastify';
import type { ServerContext } from '../context.js';
import { issuerPathOf } from '../http/issuer-path.js';

export function sendPage(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

export function logoutError(ctx: ServerContext, reply: FastifyReply, message: string): FastifyReply {
  return sendPage(reply, ctx.renderer.error({ status: 400, message }), 400);
}

export function finishLogout(ctx: ServerContext, reply: FastifyReply, verifiedURI: string, state: string, loggedOut: boolean): FastifyReply {
  if (verifiedURI) {
    const url = new URL(verifiedURI);
    if (state) url.searchParams.set('state', state);
    return reply.code(302).header('cache-control', 'no-store').redirect(url.toString(), 302);
  }
  const postURL = `${issuerPathOf(ctx.config.issuer)}/logout`;
  return sendPage(reply, ctx.renderer.logout({ showConfirmation: false, loggedOut, backURL: '', postURL }));
}
