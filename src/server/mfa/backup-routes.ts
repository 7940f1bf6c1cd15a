/**
 * GET/POST /mfa/backup?authenticator=… (Ferry only): a backup code in place of the authenticator whose page linked
 * here (same step verifier). The code is checked through the attempt throttle (scope `backup-code`) and removed
 * inside the storage updater, so it passes once even when two requests race; the page then says how many are left.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfToken } from '../http/browser-binding.js';
import { checkPost, sendAfterFactor } from './after-factor.js';
import { completeFactor, factorURL } from './complete-step.js';
import type { MfaContext } from './mfa-context.js';
import { MfaError, throttled } from './mfa-error.js';
import { type FactorRequest, loadFactor } from './mfa-request.js';
import { backupEntryPage } from './pages.js';

class CodeRefused extends Error {}

function render(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext, f: FactorRequest, invalid: boolean): FastifyReply {
  const postURL = factorURL(ctx.issuerPath, f.authReq, f.authenticator, '/mfa/backup');
  const page = backupEntryPage(ctx.frame, { postURL, csrf: csrfToken(req, f.authReq, ctx.cookies), invalid });
  return reply.code(200).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
}

/** Removes the code from the stored set; returns how many are left, or null when it is not an unused code. */
async function useCode(ctx: MfaContext, f: FactorRequest, typed: string): Promise<number | null> {
  let left = 0;
  try {
    await ctx.storage.updateUserIdentity(f.identity.userId, f.identity.connectorId, (old) => {
      const rest = ctx.hasher.consume(old.backupCodes, typed);
      if (rest === null) throw new CodeRefused();
      left = rest.hashes.length;
      return { ...old, backupCodes: rest };
    });
  } catch (err) {
    if (err instanceof CodeRefused) return null;
    throw err;
  }
  return left;
}

export async function backupGet(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext): Promise<FastifyReply> {
  const f = await loadFactor(req, ctx, req.query as Record<string, unknown>, 'any');
  if ('done' in f) return reply.redirect(f.done, 303);
  return render(req, reply, ctx, f, false);
}

export async function backupPost(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext): Promise<FastifyReply> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const f = await loadFactor(req, ctx, req.query as Record<string, unknown>, 'any');
  if ('done' in f) throw new MfaError(400, 'This sign-in step is already complete.', 'backup code after MFA passed');
  checkPost(req, ctx, f, body.csrf_token);
  const attempt = { scope: 'backup-code', address: ctx.guard.addressOf(req), account: `${f.authReq.connectorId}\0${f.authReq.claims.userId}`, requestId: String(req.id) };
  const typed = typeof body.backup_code === 'string' ? body.backup_code : '';
  const outcome = await ctx.guard.run(attempt, () => useCode(ctx, f, typed));
  if (outcome.refused) throw throttled(outcome.retryAfter);
  if (outcome.value === null) return render(req, reply, ctx, f, true);
  ctx.logger.info({ connector_id: f.authReq.connectorId, backup_codes_left: outcome.value }, 'mfa: backup code used');
  const next = await completeFactor(ctx, f, 'otp');
  return sendAfterFactor(reply, ctx, f, next, { regenerate: body.regenerate_backup_codes !== undefined, enrolled: false, codesLeft: outcome.value });
}
