/**
 * The CSRF value of Ferry's password form: a JWS signed with the server's stored signing key (so every replica
 * verifies it, key rotation keeps old tokens valid through the verification keys, and nobody without the key can
 * mint one, even for a cookie value they planted), bound to the browser's flow cookie and the connector, and
 * expiring with the login flow (`expiry.authRequests`). A bare hash of the cookie would let anyone who chose the
 * cookie compute the token.
 */

import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../../lib/constant-time.js';
import type { ServerContext } from '../context.js';

const AUDIENCE = 'ferry:password-form';

const bindingOf = (cookie: string, connectorId: string) =>
  createHash('sha256').update(`password-form\0${connectorId}\0${cookie}`).digest('base64url');

/** A token for this browser's cookie and this connector's form ('' when the browser has no cookie). */
export async function signFormToken(ctx: ServerContext, cookie: string, connectorId: string): Promise<string> {
  if (!cookie) return '';
  const now = Math.floor(ctx.now().getTime() / 1000);
  const exp = now + Math.max(60, Math.floor(ctx.config.expiry.authRequests / 1000));
  return ctx.signer.sign({ aud: AUDIENCE, fcb: bindingOf(cookie, connectorId), iat: now, exp });
}

/** True when `token` was signed by this server for this cookie and connector and has not expired. */
export async function isValidFormToken(ctx: ServerContext, cookie: string, connectorId: string, token: string): Promise<boolean> {
  if (!cookie || !token || token.length > 4096) return false;
  try {
    const claims = await ctx.signer.verify(token);
    return claims.aud === AUDIENCE && typeof claims.fcb === 'string' && constantTimeEqual(claims.fcb, bindingOf(cookie, connectorId));
  } catch {
    return false;
  }
}
