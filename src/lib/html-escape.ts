/**
 * The one escaper for the HTML and XML Ferry writes itself (the form_post and SAML POST pages, the landing, home,
 * MFA and fallback logout pages, the SAML AuthnRequest): `& < > " '` become entities, so a value is safe in text
 * and in a quoted attribute (HTML Living Standard §13.1.2.3 and §13.1.4; XML 1.0 §2.4 for the same five).
 * Operators' templates go through the template engine's contextual escapers instead (`lib/gotemplate/escape.ts`),
 * which reproduce Go `html/template`'s output byte for byte.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
