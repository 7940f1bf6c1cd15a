/**
 * The response to the client's verified redirect URI (RFC 6749 §4.1.2, §4.1.2.1; OIDC Core §3.1.2.5, §3.1.2.6):
 * codes, tokens and protocol errors with `state`, in the response mode of the request: query for the code flow,
 * fragment when tokens are returned, or an auto-submitting `form_post` page (OAuth 2.0 Form Post Response Mode),
 * 303 for redirects. response.ts delivers results through it and flow-errors.ts errors, so both share one
 * serializer per mode.
 */

import type { FastifyReply } from 'fastify';
import { pageError } from '../oauth2/oauth-error.js';
import { isTokenBearing } from '../oauth2/response-types.js';
import { autoSubmitCSP, autoSubmitPage } from '../templates/auto-submit-page.js';
import { isDeliverableRedirectURI } from './redirect-uri.js';

/** Where a response may be sent back to. */
export interface RedirectTarget {
  redirectURI: string;
  state: string;
  responseTypes: string[];
  /** `query`, `fragment` or `form_post`; empty or absent = the response types' default. */
  responseMode?: string;
}

/**
 * Builds the URL of a response to the client: query for code-only flows, fragment otherwise (or as requested). The
 * fields are appended to the raw registered string, never to a WHATWG-reparsed URL (issue 12 item 5). A fragment of
 * the redirect URI is dropped for a fragment response and kept after the query otherwise.
 */
export function clientResponseURL(target: RedirectTarget, fields: Record<string, string>): string {
  const mode = target.responseMode || (isTokenBearing(target.responseTypes) ? 'fragment' : 'query');
  const extra = new URLSearchParams(Object.entries(fields).filter(([, v]) => v !== '')).toString();
  const hash = target.redirectURI.indexOf('#');
  const base = hash < 0 ? target.redirectURI : target.redirectURI.slice(0, hash);
  const fragment = hash < 0 ? '' : target.redirectURI.slice(hash);
  if (mode === 'fragment') return extra === '' ? base : `${base}#${extra}`;
  if (extra === '') return base + fragment;
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return base + sep + extra + fragment;
}

/** OAuth 2.0 Form Post Response Mode §2: the non-empty fields, posted to the redirect URI as the page loads. */
function formPostPage(redirectURI: string, fields: Record<string, string>): string {
  return autoSubmitPage({
    action: redirectURI,
    fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== '')),
    title: 'Submit this form',
    noscript: 'JavaScript is off: press the button to continue.',
  });
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
      .header('content-security-policy', autoSubmitCSP(target.redirectURI))
      .send(formPostPage(target.redirectURI, fields));
  }
  return reply.redirect(clientResponseURL(target, fields), 303);
}
