/**
 * The MFA routes (dex HEAD server/mfa/handler.go Mount), mounted only when authenticators are configured:
 * `/mfa` (entry from the dispatcher), `/mfa/totp`, `/mfa/webauthn` (+ `register|login/begin|finish`, JSON), and
 * Ferry's `/mfa/backup` (a backup code in place of a factor) and `/mfa/webauthn.js` (the WebAuthn page's script).
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { backupGet, backupPost } from './backup-routes.js';
import { factorURL, markValidated } from './complete-step.js';
import { createMfaContext, type FlowDeps, type MfaContext } from './mfa-context.js';
import { sendMfaError } from './mfa-error.js';
import { loadEntry } from './mfa-request.js';
import { totpGet, totpPost } from './totp-routes.js';
import { webauthnBegin, webauthnFinish, webauthnGet } from './webauthn-routes.js';
import { WEBAUTHN_SCRIPT } from './webauthn-script.js';

type Handler = (req: FastifyRequest, reply: FastifyReply, ctx: MfaContext) => Promise<FastifyReply>;

/** GET /mfa: resolve the chain; nothing applies → MFA is satisfied; else the first factor's page. */
async function entry(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext): Promise<FastifyReply> {
  const m = await loadEntry(req, ctx, req.query as Record<string, unknown>);
  if ('done' in m) return reply.redirect(m.done, 303);
  const first = m.chain[0];
  if (first === undefined) return reply.redirect(await markValidated(ctx, m.authReq), 303);
  return reply.redirect(factorURL(ctx.issuerPath, m.authReq, first), 303);
}

const PAGES: Array<[string, 'GET' | 'POST', Handler]> = [
  ['/mfa', 'GET', entry],
  ['/mfa/totp', 'GET', totpGet],
  ['/mfa/totp', 'POST', totpPost],
  ['/mfa/backup', 'GET', backupGet],
  ['/mfa/backup', 'POST', backupPost],
  ['/mfa/webauthn', 'GET', webauthnGet],
];

const JSON_CALLS: Array<[string, Handler]> = [
  ['/mfa/webauthn/register/begin', (req, reply, ctx) => webauthnBegin(req, reply, ctx, 'register')],
  ['/mfa/webauthn/register/finish', (req, reply, ctx) => webauthnFinish(req, reply, ctx, 'register')],
  ['/mfa/webauthn/login/begin', (req, reply, ctx) => webauthnBegin(req, reply, ctx, 'login')],
  ['/mfa/webauthn/login/finish', (req, reply, ctx) => webauthnFinish(req, reply, ctx, 'login')],
];

/** Registers the MFA routes on `app` (the flow's scope). Throws `ConfigError` for a bad authenticator config. */
export function registerMfaRoutes(app: FastifyInstance, deps: FlowDeps): void {
  const ctx = createMfaContext(deps);
  if (ctx.authenticators.size === 0) return;
  for (const [url, method, handler] of PAGES) {
    app.route({ url, method, handler: (req, reply) => handler(req, reply, ctx).catch((err: unknown) => sendMfaError(err, req, reply, ctx)) });
  }
  for (const [url, handler] of JSON_CALLS) {
    app.post(url, (req, reply) => handler(req, reply, ctx).catch((err: unknown) => sendMfaError(err, req, reply, ctx, true)));
  }
  app.get('/mfa/webauthn.js', (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(WEBAUTHN_SCRIPT),
  );
}
