/**
 * The two error channels of the browser flow (OIDC Core §3.1.2.6, RFC 6749 §4.1.2.1):
 * - a redirect to the client's verified redirect URI with `error`, `error_description` and `state` (query for
 *   the code flow, fragment when tokens are returned in the fragment), 303;
 * - an HTML error page, when the redirect URI is not verified (or is out-of-band) or the error is ours.
 * Internal errors become a generic page; the real error is logged with the request id and never shown.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConnectorError, StorageError, UserNotInRequiredGroupsError } from '../../lib/errors.js';
import { OAuthError } from '../oauth2/oauth-error.js';
import type { FlowContext } from './flow-context.js';
import { OOB_REDIRECT_URI } from './redirect-uri.js';

/** Where a protocol error may be sent back to. */
export interface RedirectTarget {
  redirectURI: string;
  state: string;
  responseTypes: string[];
}

/** Builds the URL of a response to the client: query for code-only flows, fragment otherwise. */
export function clientResponseURL(target: RedirectTarget, fields: Record<string, string>): string {
  const url = new URL(target.redirectURI);
  const useFragment = target.responseTypes.some((t) => t === 'token' || t === 'id_token');
  const extra = new URLSearchParams(Object.entries(fields).filter(([, v]) => v !== ''));
  if (useFragment) {
    url.hash = extra.toString();
  } else {
    for (const [k, v] of extra) url.searchParams.append(k, v);
  }
  return url.toString();
}

/** An error page with a status and a message that is safe to show. */
export function pageError(status: number, message: string, detail?: string): OAuthError {
  return new OAuthError(status >= 500 ? 'server_error' : 'invalid_request', message, { status, allowRedirect: false, detail });
}

function pageFor(err: unknown): { status: number; message: string } {
  if (err instanceof OAuthError && err.expose) return { status: err.status, message: err.description };
  if (err instanceof UserNotInRequiredGroupsError) {
    return { status: 403, message: 'You are not a member of any of the groups required to log in here.' };
  }
  if (err instanceof ConnectorError) {
    return { status: 502, message: 'Login failed: the identity provider returned an error. Please try again later.' };
  }
  if (err instanceof StorageError || (err instanceof OAuthError && err.code === 'temporarily_unavailable')) {
    return { status: 503, message: 'The service is temporarily unavailable. Please try again in a moment.' };
  }
  return { status: 500, message: 'Something went wrong on our side. Please try again.' };
}

/** Sends `err` to the client by redirect when allowed, else renders the error page. */
export function sendFlowError(
  err: unknown,
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: FlowContext,
  target?: RedirectTarget,
): FastifyReply {
  const exposed = err instanceof OAuthError && err.expose;
  if (!exposed || (err instanceof OAuthError && err.detail)) {
    ctx.logger.warn({ request_id: req.id, err: describe(err) }, 'login flow failed');
  }
  if (exposed && err.allowRedirect && target && target.redirectURI !== OOB_REDIRECT_URI) {
    const url = clientResponseURL(target, { error: err.code, error_description: err.description, state: target.state });
    return reply.redirect(url, 303);
  }
  const { status, message } = pageFor(err);
  return reply.code(status).type('text/html; charset=utf-8').send(ctx.renderer.error({ status, message }));
}

/** A log-safe summary of an error: class, code and message, plus the cause's. Never sent to a client. */
export function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { value: String(err) };
  const out: Record<string, unknown> = { type: err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (err.cause !== undefined) out.cause = describe(err.cause);
  return out;
}
