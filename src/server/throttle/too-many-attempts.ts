/**
 * The answer to a throttled browser form (password form, device user code, device callback): a 429 error page with
 * `Retry-After`, never redirected to the client (the user, not the client, must wait).
 */

import { OAuthError } from '../oauth2/oauth-error.js';

export function tooManyAttemptsPage(retryAfter: number): OAuthError {
  const message = 'Too many failed attempts. Please wait a while and try again.';
  return new OAuthError('invalid_request', message, { status: 429, allowRedirect: false, retryAfter });
}
