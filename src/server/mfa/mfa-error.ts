/**
 * Errors of the MFA pages: a status and a safe message for the user, a detail for the log. Pages get the flow's
 * error page; the WebAuthn JSON calls get `{"error": message}` (dex HEAD's writeJSONError shape). Anything else is
 * logged with the request id and answered with a generic 500 (an undecryptable secret says so in the log).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MfaContext } from './mfa-context.js';
import { SecretUnavailableError } from './secret-box.js';

export class MfaError extends Error {
  readonly status: number;
  readonly userMessage: string;
  readonly detail: string;
  readonly retryAfter: number;
  constructor(status: number, userMessage: string, detail = userMessage, retryAfter = 0) {
    super(detail);
    this.status = status;
    this.userMessage = userMessage;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

export const EXPIRED = 'This login session has expired or is invalid. Please go back to the application and sign in again.';

/** The throttle refused the attempt: the user waits `retryAfter` seconds (as the password form's 429). */
export const throttled = (retryAfter: number): MfaError =>
  new MfaError(429, 'Too many failed attempts. Please wait a while and try again.', 'throttled MFA attempt', retryAfter);

export function sendMfaError(err: unknown, req: FastifyRequest, reply: FastifyReply, ctx: MfaContext, json = false): FastifyReply {
  let e: MfaError;
  if (err instanceof MfaError) {
    e = err;
    ctx.logger.info({ request_id: req.id, status: e.status }, `mfa: ${e.detail}`);
  } else {
    const why = err instanceof SecretUnavailableError ? err.message : 'internal error';
    ctx.logger.error({ request_id: req.id, err: err instanceof SecretUnavailableError ? undefined : err }, `mfa: ${why}`);
    e = new MfaError(500, 'Internal server error.');
  }
  if (e.retryAfter > 0) reply.header('retry-after', String(e.retryAfter));
  reply.code(e.status).header('cache-control', 'no-store');
  if (json) return reply.type('application/json').send({ error: e.userMessage });
  return reply.type('text/html; charset=utf-8').send(ctx.renderer.error({ status: e.status, message: e.userMessage }));
}
