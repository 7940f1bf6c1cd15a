/**
 * Every form POST of the browser flow (password form, approval, device user code) must come from a page of this
 * issuer, in the browser that holds the flow's cookie (login CSRF, RFC 6749 §10.12; W3C Fetch Metadata):
 * - `Sec-Fetch-Site`, which browsers set and pages cannot forge, is `same-origin` (or `none`, typed by the user);
 * - `Origin`, when sent with a value, is the issuer's origin (`null` is what our own pages send under
 *   `Referrer-Policy: no-referrer`, so it proves nothing either way and is left to the other checks);
 * - the flow's cookie is present: it is SameSite=Lax, so a cross-site POST never carries it.
 * A non-browser client (a script with a cookie jar) sends neither header and passes on its cookie. The form's own
 * CSRF field, when present, is checked by the caller.
 */

import type { FastifyRequest } from 'fastify';
import { pageError } from './flow-errors.js';

export const FORM_REFUSED = 'The form expired or was not sent by this browser. Please try again.';

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/** Throws a 403 page error unless the POST comes from this issuer's own page in a browser holding `cookie`. */
export function checkFormPost(req: FastifyRequest, issuer: string, cookie: string): void {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw pageError(403, FORM_REFUSED, `cross-site form post (sec-fetch-site ${site.slice(0, 20)})`);
  }
  const origin = header(req, 'origin');
  if (origin !== undefined && origin !== 'null' && origin !== new URL(issuer).origin) {
    throw pageError(403, FORM_REFUSED, 'form post from a foreign origin');
  }
  if (!cookie) throw pageError(403, FORM_REFUSED, 'form post without the flow cookie');
}
