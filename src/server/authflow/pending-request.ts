/**
 * One pending AuthRequest per browser and client (issue 12 item 1; docs/security.md). A callback or SAML login
 * stores its AuthRequest before the user has proved anything, so a browser starting login after login would grow
 * the store until the requests expire. The browser keeps, per client, a cookie naming its pending request; a new
 * login for the same client deletes that one first. Only a request bound to this same browser (its binding hash,
 * browser-binding.ts) and for this client is deleted, so a planted cookie cannot remove someone else's login.
 */

import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDexError } from '../../lib/errors.js';
import type { AuthRequest } from '../../storage/types.js';
import type { ServerContext } from '../context.js';

/** The cookie naming this browser's pending request for `clientId` (the client id hashed: any bytes, fixed length). */
export function pendingCookieName(flowCookie: string, clientId: string): string {
  return `${flowCookie}_req_${createHash('sha256').update(clientId).digest('hex').slice(0, 16)}`;
}

/**
 * Deletes this browser's previous pending request for `next.clientId`, then remembers `next` as the pending one.
 * Call before storing `next`.
 */
export async function replacePendingRequest(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext, next: AuthRequest): Promise<void> {
  const name = pendingCookieName(ctx.cookies.flow, next.clientId);
  const previous = req.cookies[name];
  if (typeof previous === 'string' && /^[a-z0-9]{1,64}$/.test(previous) && previous !== next.id) {
    try {
      const old = await ctx.storage.getAuthRequest(previous);
      if (old.clientId === next.clientId && old.browserBinding !== '' && old.browserBinding === next.browserBinding) {
        await ctx.storage.deleteAuthRequest(previous);
      }
    } catch (err) {
      // Already finished, expired or collected: nothing to replace.
      if (!isDexError(err) || err.code !== 'ERR_NOT_FOUND') throw err;
    }
  }
  const maxAge = Math.max(1, Math.ceil((next.expiry.getTime() - ctx.now().getTime()) / 1000));
  reply.setCookie(name, next.id, { path: ctx.cookies.path, httpOnly: true, sameSite: 'lax', secure: ctx.cookies.secure, maxAge });
}
