/**
 * The MFA handlers (dex HEAD server/mfa/handler.go Mount), served only when authenticators are configured (the
 * route table, ../routes.ts, wires them): `/mfa` (entry from the dispatcher), `/mfa/totp`, `/mfa/webauthn`
 * (+ `register|login/begin|finish`, JSON), and Ferry's `/mfa/backup` (a backup code in place of a factor) and
 * `/mfa/webauthn.js` (the WebAuthn page's script). Pages answer errors as pages, the JSON calls as JSON.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { factorURL, markValidated } from './complete-step.js';
import type { MfaContext } from './mfa-context.js';
import { sendMfaError } from './mfa-error.js';
import { loadEntry } from './mfa-request.js';
import { WEBAUTHN_SCRIPT } from './webauthn-script.js';

export type MfaHandler = (req: FastifyRequest, reply: FastifyReply, ctx: MfaContext) => Promise<FastifyReply>;

/** GET /mfa: resolve the chain; nothing applies → MFA is satisfied; else the first factor's page. */
export async function mfaEntry(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext): Promise<FastifyReply> {
  const m = await loadEntry(req, ctx, req.query as Record<string, unknown>);
  if ('done' in m) return reply.redirect(m.done, 303);
  const first = m.chain[0];
  if (first === undefined) return reply.redirect(await markValidated(ctx, m.authReq), 303);
  return reply.redirect(factorURL(ctx.issuerPath, m.authReq, first), 303);
}

/** `handler` as a page route of `ctx`: errors become an error page. */
export const mfaPage = (ctx: MfaContext, handler: MfaHandler) => (req: FastifyRequest, reply: FastifyReply) =>
  handler(req, reply, ctx).catch((err: unknown) => sendMfaError(err, req, reply, ctx));

/** `handler` as a JSON call of `ctx` (the WebAuthn ceremonies): errors become JSON. */
export const mfaCall = (ctx: MfaContext, handler: MfaHandler) => (req: FastifyRequest, reply: FastifyReply) =>
  handler(req, reply, ctx).catch((err: unknown) => sendMfaError(err, req, reply, ctx, true));

/** GET /mfa/webauthn.js */
export const webauthnScript = (_req: FastifyRequest, reply: FastifyReply): FastifyReply =>
  reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(WEBAUTHN_SCRIPT);
