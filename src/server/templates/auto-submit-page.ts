/**
 * The one auto-submitting form page: an HTML form that posts hidden fields to `action` as soon as it loads, and
 * through a visible button without JavaScript. Used for the OAuth 2.0 Form Post Response Mode (§2, the client's
 * redirect URI) and the SAML HTTP-POST binding (SAML Bindings §3.5, the IdP's SSO URL).
 * Its only script is a fixed `<script>` element (never an inline event handler), so a page can allow it by hash:
 * `autoSubmitCSP` is the policy of the form_post page.
 */

import { createHash } from 'node:crypto';
import { escapeHtml } from '../../lib/html-escape.js';
import { parseRawURI } from '../../lib/redirect-uri-policy.js';

const AUTO_SUBMIT = 'document.forms[0].submit();';
const AUTO_SUBMIT_HASH = `'sha256-${createHash('sha256').update(AUTO_SUBMIT).digest('base64')}'`;

export interface AutoSubmitPage {
  /** Where the form posts. */
  action: string;
  /** The hidden fields, in order. */
  fields: Record<string, string>;
  /** The page's `<title>`. */
  title: string;
  /** What a browser without JavaScript shows above the button. */
  noscript: string;
}

export function autoSubmitPage(p: AutoSubmitPage): string {
  const inputs = Object.entries(p.fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(p.title)}</title></head>
<body>
<form method="post" action="${escapeHtml(p.action)}">
${inputs}
<noscript><p>${escapeHtml(p.noscript)}</p></noscript>
<button type="submit">Continue</button>
</form>
<script>${AUTO_SUBMIT}</script>
</body></html>`;
}

/** `scheme://authority` of an absolute URI, `scheme:` without an authority, `'self'` for a path. */
function formActionSource(action: string): string {
  if (action.startsWith('/')) return "'self'";
  const u = parseRawURI(action);
  if (u === null) return "'none'";
  return u.authority === null ? `${u.scheme}:` : `${u.scheme}://${u.authority}`;
}

/**
 * A CSP for the page: nothing loads, only the auto-submit script runs (by hash), the form may only post to the
 * action's origin, and the page cannot be framed.
 */
export function autoSubmitCSP(action: string): string {
  return `default-src 'none'; script-src ${AUTO_SUBMIT_HASH}; form-action ${formActionSource(action)}; frame-ancestors 'none'; base-uri 'none'`;
}
