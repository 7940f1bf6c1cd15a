/**
 * The two error channels of the browser flow (OIDC Core §3.1.2.6, RFC 6749 §4.1.2.1):
 * - a response to the client's verified redirect URI with `error`, `error_description` and `state`, in the
 *   response mode of the request (query for the code flow, fragment when tokens are returned, or an
 *   auto-submitting `form_post` page), 303 for redirects;
 * - an HTML error page, when the redirect URI is not verified (or is out-of-band) or the error is ours.
 * Internal errors become a generic page (status and message: error-page.ts); the real error is logged with the
 * request id and never shown.
 * `sendToClient` is also how response.ts delivers codes and tokens, so both share one serializer per mode.
 */

import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseRawURI } from '../../lib/redirect-uri-policy.js';
import { OAuthError, pageError } from '../oauth2/oauth-error.js';
import { connectorIdOf, errorPage } from './error-page.js';
import type { ServerContext } from '../context.js';
import { isDeliverableRedirectURI, OOB_REDIRECT_URI } from './redirect-uri.js';

/** Where a protocol error may be sent back to. */
export interface RedirectTarget {
  redirectURI: string;
  state: string;
  responseTypes: string[];
  /** `query`, `fragment` or `form_post`; empty or absent = the response types' default. */
  responseMode?: string;
}

const carriesTokens = (types: string[]) => types.some((t) => t === 'token' || t === 'id_token');

/**
 * Builds the URL of a response to the client: query for code-only flows, fragment otherwise (or as requested). The
 * fields are appended to the raw registered string, never to a WHATWG-reparsed URL (issue 12 item 5). A fragment of
 * the redirect URI is dropped for a fragment response and kept after the query otherwise.
 */
export function clientResponseURL(target: RedirectTarget, fields: Record<string, string>): string {
  const mode = target.responseMode || (carriesTokens(target.responseTypes) ? 'fragment' : 'query');
  const extra = new URLSearchParams(Object.entries(fields).filter(([, v]) => v !== '')).toString();
  const hash = target.redirectURI.indexOf('#');
  const base = hash < 0 ? target.redirectURI : target.redirectURI.slice(0, hash);
  const fragment = hash < 0 ? '' : target.redirectURI.slice(hash);
  if (mode === 'fragment') return extra === '' ? base : `${base}#${extra}`;
  if (extra === '') return base + fragment;
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return base + sep + extra + fragment;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** The only script of the form_post page, allowed by its hash in the page's CSP. */
const AUTO_SUBMIT = 'document.forms[0].submit();';
const AUTO_SUBMIT_HASH = `'sha256-${createHash('sha256').update(AUTO_SUBMIT).digest('base64')}'`;

/** `scheme://authority` of an absolute redirect URI, `scheme:` without an authority, `'self'` for a path. */
function formActionSource(action: string): string {
  if (action.startsWith('/')) return "'self'";
  const u = parseRawURI(action);
  if (u === null) return "'none'";
  return u.authority === null ? `${u.scheme}:` : `${u.scheme}://${u.authority}`;
}

/**
 * The form_post page's CSP: nothing loads, only the auto-submit script runs (by hash), the form may only post to
 * the redirect URI's origin, and the page cannot be framed.
 */
export function formPostCSP(action: string): string {
  return `default-src 'none'; script-src ${AUTO_SUBMIT_HASH}; form-action ${formActionSource(action)}; frame-ancestors 'none'; base-uri 'none'`;
}

/**
 * OAuth 2.0 Form Post Response Mode §2: an HTML page whose form posts the response fields to the redirect URI
 * as soon as it loads (and through a visible button without JavaScript).
 */
export function formPostPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Submit this form</title></head>
<body>
<form method="post" action="${esc(action)}">
${inputs}
<noscript><p>JavaScript is off: press the button to continue.</p></noscript>
<button type="submit">Continue</button>
</form>
<script>${AUTO_SUBMIT}</script>
</body></html>`;
}

/**
 * Delivers `fields` to the client's verified redirect URI in the target's response mode. A URI the shared policy
 * refuses (e.g. `javascript:` stored before the policy existed) gets an error page instead: never a form or a
 * redirect to it.
 */
export function sendToClient(reply: FastifyReply, target: RedirectTarget, fields: Record<string, string>): FastifyReply {
  if (!isDeliverableRedirectURI(target.redirectURI)) throw pageError(400, 'The redirect URI of this client is not allowed.');
  if (target.responseMode === 'form_post') {
    return reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-store')
      .header('content-security-policy', formPostCSP(target.redirectURI))
      .send(formPostPage(target.redirectURI, fields));
  }
  return reply.redirect(clientResponseURL(target, fields), 303);
}

/** Re-exported for the flow's handlers, which build their error pages with it. */
export { pageError };

/** The display name of the connector an upstream error came from (never the upstream's own words). */
async function connectorNameOf(err: unknown, ctx: ServerContext): Promise<string> {
  const id = connectorIdOf(err);
  const resolved = id ? await ctx.connectors.get(id).catch(() => null) : null;
  return resolved?.name || 'your identity provider';
}

/** Sends `err` to the client by redirect when allowed, else renders the error page. */
export async function sendFlowError(
  err: unknown,
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  target?: RedirectTarget,
): Promise<FastifyReply> {
  const exposed = err instanceof OAuthError && err.expose;
  if (!exposed || (err instanceof OAuthError && err.detail)) {
    ctx.logger.warn({ request_id: req.id, err: describe(err) }, 'login flow failed');
  }
  if (exposed && err.allowRedirect && target && target.redirectURI !== OOB_REDIRECT_URI && isDeliverableRedirectURI(target.redirectURI)) {
    return sendToClient(reply, target, { error: err.code, error_description: err.description, state: target.state });
  }
  if (err instanceof OAuthError && err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
  const { status, message } = errorPage(err, await connectorNameOf(err, ctx));
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
