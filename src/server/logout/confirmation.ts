/**
 * The confirmation step (RP-Initiated Logout 1.0 §2: ask the user when there is no `id_token_hint` or it names
 * another session). Showing the page sets a short-lived cookie (SameSite=Strict, HttpOnly, path `/logout`) holding a
 * JWS signed with Ferry's stored key (any replica verifies it) that binds the shown request (client, post-logout
 * URI, state) to this browser's session (its id and a hash of its secret). The page's form POSTs back with no
 * fields, so themes written for dex HEAD's `logout.html` work. A cross-site POST carries no Strict cookie, fails
 * the Fetch Metadata / Origin check, and cannot mint the token: CSRF on the confirmation gets nothing.
 */

import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../lib/constant-time.js';
import type { AuthSession } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import type { LogoutParams } from './logout-context.js';
import { issuerPathOf } from '../http/issuer-path.js';

const AUDIENCE = 'ferry:logout-confirm';
const LIFETIME_S = 600;

const binding = (s: AuthSession) => createHash('sha256').update(`logout-confirm\0${s.id}\0${s.secret}`).digest('base64url');
const cookiePath = (ctx: ServerContext) => `${issuerPathOf(ctx.config.issuer)}/logout`;

export async function setConfirmation(ctx: ServerContext, reply: FastifyReply, session: AuthSession, p: LogoutParams): Promise<void> {
  const iat = Math.floor(ctx.now().getTime() / 1000);
  const token = await ctx.signer.sign({ aud: AUDIENCE, bnd: binding(session), cid: p.clientId, plr: p.postLogoutRedirectURI, st: p.state, iat, exp: iat + LIFETIME_S });
  reply.setCookie(ctx.cookies.logoutConfirm, token, { path: cookiePath(ctx), httpOnly: true, secure: ctx.cookies.secure, sameSite: 'strict', maxAge: LIFETIME_S });
}

export function clearConfirmation(ctx: ServerContext, reply: FastifyReply): void {
  reply.setCookie(ctx.cookies.logoutConfirm, '', { path: cookiePath(ctx), httpOnly: true, secure: ctx.cookies.secure, sameSite: 'strict', maxAge: 0, expires: new Date(0) });
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/** W3C Fetch Metadata and Origin: the POST comes from a page of this issuer (or the user typed it). */
export function isSameOriginPost(req: FastifyRequest, issuer: string): boolean {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = header(req, 'origin');
  return origin === undefined || origin === 'null' || origin === new URL(issuer).origin;
}

/** The confirmed request when this POST answers a confirmation shown for `session`; otherwise null. */
export async function readConfirmation(ctx: ServerContext, req: FastifyRequest, session: AuthSession): Promise<LogoutParams | null> {
  const token = req.cookies[ctx.cookies.logoutConfirm];
  if (req.method !== 'POST' || !token || token.length > 4096 || !isSameOriginPost(req, ctx.config.issuer)) return null;
  try {
    const c = await ctx.signer.verify(token);
    if (c.aud !== AUDIENCE || typeof c.bnd !== 'string' || !constantTimeEqual(c.bnd, binding(session))) return null;
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    return { clientId: str(c.cid), postLogoutRedirectURI: str(c.plr), state: str(c.st) };
  } catch {
    return null;
  }
}
