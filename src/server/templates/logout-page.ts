/**
 * The logout page's data, and the page used when a frontend dir predates logout (no `logout.html`: dex v2.45.1
 * themes): a minimal self-contained page, every value escaped, so a theme written for dex keeps working.
 */

import { escapeHtml } from '../../lib/html-escape.js';

export interface LogoutPage {
  /** Ask "sign out?" with a form POSTing to `postURL`. */
  showConfirmation: boolean;
  /** A session was ended (else: there was none). */
  loggedOut: boolean;
  /** A link back to the application ('' = none). */
  backURL: string;
  postURL: string;
}

export function fallbackLogoutPage(d: LogoutPage): string {
  const body = d.showConfirmation
    ? `<h1>Sign out?</h1><form method="post" action="${escapeHtml(d.postURL)}"><button type="submit" name="logout" value="confirm">Sign out</button></form>`
    : d.loggedOut
      ? '<h1>Signed out</h1><p>You have been signed out.</p>'
      : '<h1>Not signed in</h1><p>There is no active session in this browser.</p>';
  const back = d.backURL ? `<p><a href="${escapeHtml(d.backURL)}">Back to the application</a></p>` : '';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title></head><body>${body}${back}</body></html>`;
}
