/**
 * Upstream endpoints must be `https` (issue 12 item 9): a plain-`http` token or userinfo endpoint sends client
 * secrets, codes and tokens in the clear. dex has no such check and no flag for it (`insecureSkipVerify` is about
 * TLS certificates), so the opt-out is Ferry's own `insecureAllowHTTP: true` in the connector's config. Loopback
 * hosts (`localhost`, 127.0.0.0/8, `::1`) are allowed without it: the traffic never leaves the machine.
 * Also the check that a connector's `redirectURI` is Ferry's own callback URL (oidc, oauth).
 */

import { isIP } from 'node:net';
import { ConfigError } from '../lib/errors.js';

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** True when `url` may be used as an upstream endpoint without `insecureAllowHTTP`. */
export function isSecureUpstreamURL(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname));
}

/** Throws a `ConfigError` naming every `http` endpoint among `urls` (key → value; '' = unset) unless allowed. */
export function refuseInsecureUpstreams(urls: Record<string, string>, path: string, allowHTTP: boolean): void {
  if (allowHTTP) return;
  const issues = Object.entries(urls)
    .filter(([, v]) => v !== '' && !isSecureUpstreamURL(v))
    .map(([k]) => ({ path: `${path}.${k}`, message: 'must be an https URL (set insecureAllowHTTP: true to allow plain http)' }));
  if (issues.length) throw new ConfigError(issues);
}

/** `redirectURI` must be `<issuer>/callback` exactly (dex fails at login otherwise; Ferry refuses at startup). */
export function checkRedirectURI(redirectURI: string, issuer: string): void {
  const expected = `${issuer}/callback`;
  if (redirectURI !== expected) {
    throw new ConfigError(`must be "${expected}" (the issuer followed by /callback), got "${redirectURI}"`, 'redirectURI');
  }
}
