/**
 * The one JSON error serializer: body `{error, error_description}` with a status, `Cache-Control: no-store`, and
 * as asked `WWW-Authenticate`, `Retry-After` and `Pragma: no-cache`. Every JSON error Ferry writes goes through
 * `sendJsonError`: the token-style endpoints (`/token`, `/device/code`, `/introspect`, `/revoke`) by
 * `writeJsonError`, `/userinfo` with its RFC 6750 §3 challenge, and the server's error handler for JSON paths.
 * (The MFA pages' WebAuthn calls answer `{"error": message}` to their own script: mfa/mfa-error.ts.)
 */

import type { FastifyReply } from 'fastify';
import { StorageError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { OAuthError, temporarilyUnavailable, toOAuthError } from './oauth-error.js';

export interface JsonError {
  status: number;
  error: string;
  description: string;
  /** The `WWW-Authenticate` challenge (`bearerChallenge`, `basicChallenge`). */
  challenge?: string;
  /** Seconds, sent as `Retry-After` (RFC 9110 §10.2.3). */
  retryAfter?: number;
  /** Also `Pragma: no-cache`, as the token endpoint's responses carry (RFC 6749 §5.1). */
  pragma?: boolean;
}

/**
 * Writes a JSON body that no cache may keep (`Cache-Control: no-store`, and `Pragma: no-cache` when asked, RFC 6749
 * §5.1): the token, device-code and introspection answers, and every error below.
 */
export function sendJson(reply: FastifyReply, status: number, body: unknown, pragma = false): FastifyReply {
  reply.code(status).header('cache-control', 'no-store');
  if (pragma) reply.header('pragma', 'no-cache');
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** Writes a JSON error response; logs nothing (the caller knows what to log). */
export function sendJsonError(reply: FastifyReply, e: JsonError): FastifyReply {
  if (e.challenge !== undefined) reply.header('www-authenticate', e.challenge);
  if (e.retryAfter !== undefined) reply.header('retry-after', String(e.retryAfter));
  return sendJson(reply, e.status, { error: e.error, error_description: e.description }, e.pragma);
}

/** A quoted auth-param value (RFC 9110 §11.2): quotes and backslashes are dropped, never escaped. */
const quoted = (v: string) => `"${v.replace(/["\\]/g, '')}"`;

/** RFC 6749 §5.2 (`invalid_client` after HTTP Basic): `Basic realm="<realm>"`. */
export const basicChallenge = (realm: string): string => `Basic realm=${quoted(realm)}`;

/**
 * RFC 6750 §3: `Bearer` alone when the request had no (usable) token, else with `error` and `error_description`.
 */
export function bearerChallenge(error = '', description = ''): string {
  return error ? `Bearer error=${quoted(error)}, error_description=${quoted(description)}` : 'Bearer';
}

export interface JsonErrorOptions {
  logger: Logger;
  requestId: string;
  /**
   * Set when the client authenticated (or tried to) with HTTP Basic: a 401 `invalid_client` then carries
   * `WWW-Authenticate: Basic realm="<realm>"`, as RFC 6749 §5.2 requires.
   */
  basicRealm?: string;
}

/** True when `err`, or an error it wraps, is a store failure: the client may retry later (503). */
function isStoreFailure(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof StorageError) return true;
  }
  return false;
}

/**
 * Writes `err` as the token-style endpoints' JSON error (RFC 6749 §5.2) and logs it (exposed errors at info, the
 * rest at error). A store failure (`StorageError`) goes out as 503 `temporarily_unavailable`, anything else that is
 * not an exposed `OAuthError` as a generic `server_error`; the real error is logged with the request id, never sent.
 */
export function writeJsonError(reply: FastifyReply, err: unknown, opts: JsonErrorOptions): FastifyReply {
  const exposed = err instanceof OAuthError && err.expose;
  const safe = !exposed && isStoreFailure(err) ? temporarilyUnavailable() : toOAuthError(err);
  if (exposed) {
    opts.logger.info({ reqId: opts.requestId, error: safe.code, detail: safe.detail || undefined }, safe.description);
  } else {
    opts.logger.error({ reqId: opts.requestId, err }, 'request failed');
  }
  const basic = safe.code === 'invalid_client' && safe.status === 401 && opts.basicRealm !== undefined;
  return sendJsonError(reply, {
    status: safe.status,
    error: safe.code,
    description: safe.description,
    challenge: basic ? basicChallenge(opts.basicRealm ?? '') : undefined,
    retryAfter: safe.retryAfter,
    pragma: true,
  });
}
