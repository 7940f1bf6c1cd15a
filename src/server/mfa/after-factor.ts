/**
 * What follows a passed factor: new backup codes when this was the user's first enrolment and they have none, or
 * when they asked for new ones (the "Make new backup codes" box); the count left after a backup code was used.
 * With something to show, a page says it and links on; otherwise the browser goes straight on (303).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { browserCookie, isValidCsrf } from '../http/browser-binding.js';
import { crossSiteRefusal } from '../http/same-origin.js';
import type { MfaContext } from './mfa-context.js';
import { MfaError } from './mfa-error.js';
import type { FactorRequest } from './mfa-request.js';
import { afterFactorPage } from './pages.js';

export const FORM_REFUSED = 'The form expired or was not sent by this browser. Please try again.';

/** The MFA forms and JSON calls: same origin, this browser's flow cookie, and the page's CSRF token. */
export function checkPost(req: FastifyRequest, ctx: MfaContext, f: FactorRequest, token: unknown): void {
  const refusal = crossSiteRefusal(req, ctx.issuer, browserCookie(req, ctx.cookies));
  if (refusal !== null) throw new MfaError(403, FORM_REFUSED, refusal);
  if (typeof token !== 'string' || !isValidCsrf(req, f.authReq, ctx.cookies, token)) throw new MfaError(403, FORM_REFUSED, 'bad MFA csrf token');
}

/** Generates and stores ten new backup codes for the identity (replacing any old ones); returns them to show once. */
export async function issueBackupCodes(ctx: MfaContext, f: FactorRequest): Promise<string[]> {
  const { codes, stored } = ctx.hasher.generate(ctx.now());
  await ctx.storage.updateUserIdentity(f.identity.userId, f.identity.connectorId, (old) => ({ ...old, backupCodes: stored }));
  ctx.logger.info({ connector_id: f.identity.connectorId }, 'mfa: new backup codes issued');
  return codes;
}

export interface AfterFactor {
  /** The user asked for new backup codes. */
  regenerate: boolean;
  /** The factor was just enrolled (TOTP confirmed, a WebAuthn credential registered). */
  enrolled: boolean;
  /** Codes left, after a backup code was used. */
  codesLeft?: number;
}

/** New codes to show after this factor, if any. */
export async function codesToShow(ctx: MfaContext, f: FactorRequest, a: AfterFactor): Promise<string[] | undefined> {
  const firstEnrolment = a.enrolled && (f.identity.backupCodes?.hashes.length ?? 0) === 0;
  return a.regenerate || firstEnrolment ? issueBackupCodes(ctx, f) : undefined;
}

export async function sendAfterFactor(
  reply: FastifyReply,
  ctx: MfaContext,
  f: FactorRequest,
  next: string,
  a: AfterFactor,
): Promise<FastifyReply> {
  const newCodes = await codesToShow(ctx, f, a);
  if (newCodes === undefined && a.codesLeft === undefined) return reply.redirect(next, 303);
  const page = afterFactorPage(ctx.frame, { continueURL: next, codesLeft: a.codesLeft, newCodes });
  return reply.code(200).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
}
