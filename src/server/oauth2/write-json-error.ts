/**
 * The one JSON error serializer (RFC 6749 §5.2) for `/token`, `/device/code`, `/introspect` and `/userinfo`:
 * body `{error, error_description}`, the error's status, and `Cache-Control: no-store` / `Pragma: no-cache`.
 * A store failure (`StorageError`) goes out as 503 `temporarily_unavailable`, anything else that is not an exposed
 * `OAuthError` as a generic `server_error`; the real error is logged with the request id and never sent.
 */

import type { FastifyReply } from 'fastify';
import { StorageError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { OAuthError, temporarilyUnavailable, toOAuthError } from './oauth-error.js';

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

/** Writes `err` as a JSON OAuth error response and logs it (exposed errors at info, the rest at error). */
export function writeJsonError(reply: FastifyReply, err: unknown, opts: JsonErrorOptions): FastifyReply {
  const exposed = err instanceof OAuthError && err.expose;
  const safe = !exposed && isStoreFailure(err) ? temporarilyUnavailable() : toOAuthError(err);
  if (err instanceof OAuthError && err.expose) {
    opts.logger.info({ reqId: opts.requestId, error: safe.code, detail: safe.detail || undefined }, safe.description);
  } else {
    opts.logger.error({ reqId: opts.requestId, err }, 'request failed');
  }
  if (safe.code === 'invalid_client' && safe.status === 401 && opts.basicRealm !== undefined) {
    reply.header('www-authenticate', `Basic realm="${opts.basicRealm.replace(/["\\]/g, '')}"`);
  }
  if (safe.retryAfter !== undefined) reply.header('retry-after', String(safe.retryAfter));
  return reply
    .code(safe.status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: safe.code, error_description: safe.description }));
}
