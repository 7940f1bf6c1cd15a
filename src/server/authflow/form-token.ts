/**
 * The CSRF value of Ferry's password form: bound to the browser's flow cookie and the connector, expiring with the
 * login flow (`expiry.authRequests`), and impossible to compute without a server secret every replica shares, so
 * someone who planted the cookie still cannot mint one (a bare hash of the cookie would allow that).
 *
 * The token is `m.<kid>.<exp>.<mac>`: an HMAC-SHA256 over (connector, cookie, exp) under a secret the signer derives
 * from its current private key (`Signer.sharedSecret`), so no stored field is added and an RSA signature is saved on
 * every form. A key rotation takes the private key away, so a form opened before it is `stale`: the handler shows
 * the form again (a fresh token) with a notice, like an expired one. A signer that cannot derive secrets mints a
 * JWS instead, as Ferry did before; a JWS is still accepted, so forms served by an older replica keep working.
 */

import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../lib/constant-time.js';
import type { ServerContext } from '../context.js';

const AUDIENCE = 'ferry:password-form';
const PURPOSE = 'password-form';

/** What the token needs of the server context (a unit test passes just these). */
export type FormTokenContext = Pick<ServerContext, 'signer' | 'now'> & { config: { expiry: { authRequests: number } } };

/** What a posted token is: this browser's and current, or well-formed but expired / from a rotated key, or neither. */
export type FormTokenCheck = 'valid' | 'stale' | 'invalid';

const bindingOf = (cookie: string, connectorId: string) =>
  createHash('sha256').update(`password-form\0${connectorId}\0${cookie}`).digest('base64url');

/** JSON keeps the fields apart whatever characters they hold. */
const macOf = (secret: Buffer, cookie: string, connectorId: string, exp: number) =>
  createHmac('sha256', secret).update(JSON.stringify([AUDIENCE, connectorId, cookie, exp])).digest('base64url');

const expiryOf = (ctx: FormTokenContext, now: number) => now + Math.max(60, Math.floor(ctx.config.expiry.authRequests / 1000));

/** A token for this browser's cookie and this connector's form ('' when the browser has no cookie). */
export async function signFormToken(ctx: FormTokenContext, cookie: string, connectorId: string): Promise<string> {
  if (!cookie) return '';
  const now = Math.floor(ctx.now().getTime() / 1000);
  const exp = expiryOf(ctx, now);
  const shared = await ctx.signer.sharedSecret?.(PURPOSE);
  if (shared) return `m.${Buffer.from(shared.kid).toString('base64url')}.${exp}.${macOf(shared.secret, cookie, connectorId, exp)}`;
  return ctx.signer.sign({ aud: AUDIENCE, fcb: bindingOf(cookie, connectorId), iat: now, exp });
}

async function checkMacToken(ctx: FormTokenContext, cookie: string, connectorId: string, parts: string[]): Promise<FormTokenCheck> {
  const [, kidPart = '', expPart = '', mac = ''] = parts;
  if (!/^[0-9]{1,12}$/.test(expPart) || !/^[A-Za-z0-9_-]{1,200}$/.test(kidPart)) return 'invalid';
  const shared = await ctx.signer.sharedSecret?.(PURPOSE, Buffer.from(kidPart, 'base64url').toString());
  if (!shared) return 'stale';
  const exp = Number(expPart);
  if (!constantTimeEqual(mac, macOf(shared.secret, cookie, connectorId, exp))) return 'invalid';
  return exp * 1000 >= ctx.now().getTime() ? 'valid' : 'stale';
}

/** Checks `token` against this cookie and connector (see `FormTokenCheck`). */
export async function checkFormToken(ctx: FormTokenContext, cookie: string, connectorId: string, token: string): Promise<FormTokenCheck> {
  if (!cookie || !token || token.length > 4096) return 'invalid';
  const parts = token.split('.');
  if (parts.length === 4 && parts[0] === 'm') return checkMacToken(ctx, cookie, connectorId, parts);
  try {
    const claims = await ctx.signer.verify(token);
    return claims.aud === AUDIENCE && typeof claims.fcb === 'string' && constantTimeEqual(claims.fcb, bindingOf(cookie, connectorId)) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}
