/**
 * CSRF protection of the home page's actions (RFC 6749 §10.12's reasoning applied to account actions; W3C Fetch
 * Metadata). An action is a form POST that must:
 * - come from this issuer's own page: `Sec-Fetch-Site`, when sent, is `same-origin`; `Origin`, when sent with a
 *   value other than `null` (what our pages send under `Referrer-Policy: no-referrer`), is the issuer's origin;
 * - carry the browser's session cookie (SameSite=Lax: a cross-site POST never has it), checked by the caller;
 * - carry the page's token: an HMAC of the session id under the session's secret, so it is bound to this browser's
 *   session, unguessable without the cookie, and dies with the session.
 */

import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../lib/constant-time.js';
import type { AuthSession } from '../../storage/types.js';

/** The token the home page's forms carry for `session`. */
export const homeCsrfToken = (session: Pick<AuthSession, 'id' | 'secret'>): string =>
  createHmac('sha256', session.secret).update(`ferry-home:${session.id}`).digest('base64url');

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/** Why the POST is refused ('' when it is acceptable). */
export function refuseHomePost(req: FastifyRequest, issuer: string, session: Pick<AuthSession, 'id' | 'secret'>, token: string): string {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return `cross-site post (sec-fetch-site ${site.slice(0, 20)})`;
  const origin = header(req, 'origin');
  if (origin !== undefined && origin !== 'null' && origin !== new URL(issuer).origin) return 'post from a foreign origin';
  if (token === '' || !constantTimeEqual(homeCsrfToken(session), token)) return 'missing or wrong csrf token';
  return '';
}
