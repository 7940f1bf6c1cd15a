/**
 * GET/POST /mfa/totp (dex HEAD server/mfa/totp.go). GET shows the code form, with the QR code and the secret in
 * text while the secret is not confirmed (a new secret is made on the first visit). POST checks the code through
 * the attempt throttle (scope `totp`, per account and address: dex leaves this to an external rate limiter); the
 * accepted time step is stored inside the storage updater, which refuses a step not above the last one used, so a
 * code passes once even when two requests race. The first success confirms the secret.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { own } from '../../lib/own.js';
import type { MFASecret } from '../../storage/types.js';
import { csrfToken } from '../http/browser-binding.js';
import { checkPost, sendAfterFactor } from './after-factor.js';
import type { TOTPAuthenticator } from './authenticators.js';
import { completeFactor, factorURL } from './complete-step.js';
import type { MfaContext } from './mfa-context.js';
import { MfaError, throttled } from './mfa-error.js';
import { type FactorRequest, loadFactor } from './mfa-request.js';
import { totpPage } from './pages.js';
import { secretContext } from './secret-box.js';
import { matchTOTP, newTOTPKey, totpSecretOf } from './totp.js';

class CodeRefused extends Error {}

/** The QR code library is loaded at the first enrolment, not at start (issue 13 item 6, idle memory). */
const qrSvg = async (uri: string): Promise<string> =>
  (await import('qrcode')).default.toString(uri, { type: 'svg', margin: 1, width: 220 });

const ctxOf = (f: FactorRequest) => secretContext(f.identity.userId, f.identity.connectorId, f.authenticator.id);

/** The stored secret of this authenticator, made (and stored, sealed) on the first visit. */
async function ensureSecret(ctx: MfaContext, f: FactorRequest): Promise<MFASecret> {
  const a = f.authenticator as TOTPAuthenticator;
  const existing = own(f.identity.mfaSecrets, a.id);
  if (existing) return existing;
  const { uri } = newTOTPKey(a.issuer, f.authReq.connectorId, f.authReq.claims.email);
  const fresh: MFASecret = { type: 'TOTP', secret: ctx.box.seal(uri, ctxOf(f)), confirmed: false, createdAt: ctx.now(), lastUsedCounter: 0 };
  const updated = await ctx.storage.updateUserIdentity(f.identity.userId, f.identity.connectorId, (old) =>
    own(old.mfaSecrets, a.id) ? old : { ...old, mfaSecrets: { ...old.mfaSecrets, [a.id]: fresh } },
  );
  return own(updated.mfaSecrets, a.id) ?? fresh;
}

async function render(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext, f: FactorRequest, secret: MFASecret, invalid: boolean) {
  const uri = ctx.box.open(secret.secret, ctxOf(f));
  const enrol = secret.confirmed
    ? undefined
    : { qrSvg: await qrSvg(uri), secret: totpSecretOf(uri), issuer: (f.authenticator as TOTPAuthenticator).issuer };
  const hasCodes = (f.identity.backupCodes?.hashes.length ?? 0) > 0;
  const page = totpPage(ctx.frame, {
    postURL: factorURL(ctx.issuerPath, f.authReq, f.authenticator),
    csrf: csrfToken(req, f.authReq, ctx.cookies),
    enrol,
    invalid,
    backupURL: hasCodes ? factorURL(ctx.issuerPath, f.authReq, f.authenticator, '/mfa/backup') : undefined,
  });
  return reply.code(200).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
}

/** Checks `code` and burns its time step; returns whether the secret was confirmed by this code. Null = refused. */
async function useCode(ctx: MfaContext, f: FactorRequest, secret: MFASecret, code: string): Promise<{ enrolled: boolean } | null> {
  const step = matchTOTP(totpSecretOf(ctx.box.open(secret.secret, ctxOf(f))), code, ctx.now(), secret.lastUsedCounter);
  if (step === null) return null;
  const id = f.authenticator.id;
  try {
    await ctx.storage.updateUserIdentity(f.identity.userId, f.identity.connectorId, (old) => {
      const cur = own(old.mfaSecrets, id);
      if (!cur || cur.lastUsedCounter >= step) throw new CodeRefused();
      const sealed = ctx.box.encrypting ? ctx.box.seal(ctx.box.open(cur.secret, ctxOf(f)), ctxOf(f)) : cur.secret;
      return { ...old, mfaSecrets: { ...old.mfaSecrets, [id]: { ...cur, secret: sealed, confirmed: true, lastUsedCounter: step } } };
    });
  } catch (err) {
    if (err instanceof CodeRefused) return null;
    throw err;
  }
  return { enrolled: !secret.confirmed };
}

export async function totpGet(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext): Promise<FastifyReply> {
  const f = await loadFactor(req, ctx, req.query as Record<string, unknown>, 'TOTP');
  if ('done' in f) return reply.redirect(f.done, 303);
  return render(req, reply, ctx, f, await ensureSecret(ctx, f), false);
}

export async function totpPost(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext): Promise<FastifyReply> {
  const q = req.query as Record<string, unknown>;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const f = await loadFactor(req, ctx, q, 'TOTP');
  if ('done' in f) throw new MfaError(400, 'This sign-in step is already complete.', 'TOTP post after MFA passed');
  checkPost(req, ctx, f, body.csrf_token);
  const secret = own(f.identity.mfaSecrets, f.authenticator.id);
  if (!secret) throw new MfaError(400, 'MFA not enrolled.', 'TOTP post without a secret');
  const attempt = { scope: 'totp', address: ctx.guard.addressOf(req), account: `${f.authReq.connectorId}\0${f.authReq.claims.userId}`, requestId: String(req.id) };
  const outcome = await ctx.guard.run(attempt, () => useCode(ctx, f, secret, typeof body.totp === 'string' ? body.totp : ''));
  if (outcome.refused) throw throttled(outcome.retryAfter);
  if (outcome.value === null) return render(req, reply, ctx, f, secret, true);
  const next = await completeFactor(ctx, f, 'otp');
  return sendAfterFactor(reply, ctx, f, next, { regenerate: body.regenerate_backup_codes !== undefined, enrolled: outcome.value.enrolled });
}
