/**
 * Audience binding for token exchange of upstream access tokens (issue 12 item 7; RFC 8693 §2.1, RFC 9068 §4). A
 * userinfo call proves only that the upstream accepts the token, not that it was meant for Ferry: an access token
 * any other application received would do. So access-token exchange is off unless the connector lists the audiences
 * it accepts (`accessTokenExchangeAudiences`, Ferry-only), and the token must then be a JWT whose `aud` names one of
 * them. The JWT's signature is not checked here: the upstream's userinfo endpoint accepting the token is the proof
 * that the upstream issued it unchanged.
 */

import { decodeJwt } from 'jose';

/** True when `token` is a JWT whose `aud` (string or array) contains one of `audiences`. */
export function accessTokenHasAudience(token: string, audiences: readonly string[]): boolean {
  if (audiences.length === 0) return false;
  let aud: unknown;
  try {
    aud = decodeJwt(token).aud;
  } catch {
    return false;
  }
  const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  return list.some((a) => typeof a === 'string' && audiences.includes(a));
}
