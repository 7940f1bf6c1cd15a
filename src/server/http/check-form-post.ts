/**
 * Every form POST of the browser flow (password form, approval, device user code) must come from a page of this
 * issuer, in the browser that holds the flow's cookie (the checks: ./same-origin.ts). The form's own
 * CSRF field, when present, is checked by the caller.
 */

import type { FastifyRequest } from 'fastify';
import { pageError } from '../oauth2/oauth-error.js';
import { crossSiteRefusal } from './same-origin.js';

export const FORM_REFUSED = 'The form expired or was not sent by this browser. Please try again.';

/** Throws a 403 page error unless the POST comes from this issuer's own page in a browser holding `cookie`. */
export function checkFormPost(req: FastifyRequest, issuer: string, cookie: string): void {
  const refusal = crossSiteRefusal(req, issuer, cookie);
  if (refusal !== null) throw pageError(403, FORM_REFUSED, refusal.replace('post', 'form post'));
}
