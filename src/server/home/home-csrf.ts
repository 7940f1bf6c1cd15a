/**
 * CSRF protection of the home page's actions (RFC 6749 §10.12's reasoning applied to account actions; W3C Fetch
 * Metadata). An action is a form POST that must:
 * - come from this issuer's own page (the flow's same-origin rule, ../http/same-origin.ts);
 * - carry the browser's session cookie (SameSite=Lax: a cross-site POST never has it), checked by the caller;
 * - carry the page's token: an HMAC of the session id under the session's secret, so it is bound to this browser's
 *   session, unguessable without the cookie, and dies with the session.
 */

import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../lib/constant-time.js';
import type { AuthSession } from '../../storage/types.js';
import { crossSiteRefusal } from '../http/same-origin.js';

/** The token the home page's forms carry for `session`. */
export const homeCsrfToken = (session: Pick<AuthSession, 'id' | 'secret'>): string =>
  createHmac('sha256', session.secret).update(`ferry-home:${session.id}`).digest('base64url');

/** Why the POST is refused ('' when it is acceptable). */
export function refuseHomePost(req: FastifyRequest, issuer: string, session: Pick<AuthSession, 'id' | 'secret'>, token: string): string {
  // The caller has found the session from its cookie, so the cookie check of the shared rule passes by construction.
  const crossSite = crossSiteRefusal(req, issuer, session.id);
  if (crossSite) return crossSite;
  if (token === '' || !constantTimeEqual(homeCsrfToken(session), token)) return 'missing or wrong csrf token';
  return '';
}
