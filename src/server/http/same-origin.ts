/**
 * Whether a state-changing request of the browser flow (a form post, or the MFA pages' JSON calls) comes from a
 * page of this issuer, in the browser that holds the flow's cookie (login CSRF, RFC 6749 §10.12; W3C Fetch
 * Metadata):
 * - `Sec-Fetch-Site`, which browsers set and pages cannot forge, is `same-origin` (or `none`, typed by the user);
 * - `Origin`, when sent with a value, is the issuer's origin (`null` is what our own pages send under
 *   `Referrer-Policy: no-referrer`, so it proves nothing either way and is left to the other checks);
 * - the flow's cookie is present: it is SameSite=Lax, so a cross-site POST never carries it.
 * A non-browser client (a script with a cookie jar) sends neither header and passes on its cookie.
 */

import type { FastifyRequest } from 'fastify';

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/** Why the request is refused (for the log), or null when it passes. */
export function crossSiteRefusal(req: FastifyRequest, issuer: string, cookie: string): string | null {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site post (sec-fetch-site ${site.slice(0, 20)})`;
  const origin = header(req, 'origin');
  if (origin !== undefined && origin !== 'null' && origin !== new URL(issuer).origin) return 'post from a foreign origin';
  if (!cookie) return 'post without the flow cookie';
  return null;
}
