/**
 * Headers on every response: the operator's `web.headers` (dex's keys), plus Ferry's defaults.
 * - HTML pages are never framed: `frame-ancestors 'none'` is merged into the page's Content-Security-Policy (the
 *   operator's, or the route's own) unless that policy already says where it may be framed; `X-Frame-Options:
 *   DENY` unless the operator set it; `Referrer-Policy: no-referrer`.
 * - With an https issuer, `Strict-Transport-Security` (one year) unless the operator set their own.
 * - `X-Content-Type-Options: nosniff` everywhere.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/types.js';

const CSP = 'content-security-policy';
const NO_FRAMING = "frame-ancestors 'none'";
export const DEFAULT_HSTS = 'max-age=31536000';

/** `policy` with `frame-ancestors 'none'` added when it has no frame-ancestors directive of its own. */
export function withFrameAncestors(policy: string): string {
  const directives = policy.split(';').map((d) => d.trim()).filter(Boolean);
  if (directives.some((d) => d.toLowerCase().split(/\s+/)[0] === 'frame-ancestors')) return directives.join('; ');
  return [...directives, NO_FRAMING].join('; ');
}

export function securityHeaders(config: Config) {
  const configured = Object.entries(config.web.headers).filter((e): e is [string, string] => !!e[1]);
  const has = (name: string) => configured.some(([k]) => k.toLowerCase() === name);
  const operatorCSP = configured.find(([k]) => k.toLowerCase() === CSP)?.[1] ?? '';
  const others = configured.filter(([k]) => k.toLowerCase() !== CSP);
  const hsts = config.issuer.startsWith('https:') && !has('strict-transport-security');
  return async (_req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    for (const [k, v] of others) reply.header(k, v);
    if (hsts) reply.header('strict-transport-security', DEFAULT_HSTS);
    if (!reply.hasHeader('x-content-type-options')) reply.header('x-content-type-options', 'nosniff');
    const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    const own = reply.getHeader(CSP);
    // A route's own policy (e.g. the form_post page) and the operator's are both enforced by the browser.
    const policies = [...(own === undefined ? [] : [String(own)]), ...(operatorCSP ? [operatorCSP] : [])];
    if (html) {
      if (policies.length === 0) policies.push(NO_FRAMING);
      else policies[policies.length - 1] = withFrameAncestors(policies[policies.length - 1] ?? '');
      if (!has('x-frame-options')) reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
    }
    if (policies.length > 0) reply.header(CSP, policies.length === 1 ? policies[0] : policies);
    return payload;
  };
}
