/**
 * Where a logout token may be sent: the client's registered `backchannelLogoutURI` as an absolute `https` URL, or
 * `http` to a loopback host (a relying party on the same machine), or plain `http` anywhere when
 * `sessions.backchannelLogout.allowInsecureHTTP` says so. A logout token proves a logout to whoever receives it, so
 * it never crosses a network in clear by default. No user info in the URL, no fragment (Back-Channel Logout 1.0 §2.2).
 */

import { isLoopbackHost } from '../../lib/redirect-uri-policy.js';

/** The URL to POST to, or a short reason it is refused (for the log; never contains the token). */
export function deliveryTarget(uri: string, allowInsecureHTTP: boolean): { url: URL } | { refused: string } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { refused: 'not an absolute URL' };
  }
  if (url.username !== '' || url.password !== '') return { refused: 'user info in the URL' };
  if (url.hash !== '' || uri.includes('#')) return { refused: 'a fragment in the URL' };
  if (url.protocol === 'https:') return { url };
  if (url.protocol !== 'http:') return { refused: `scheme ${url.protocol.slice(0, 16)} is not http(s)` };
  if (isLoopbackHost(url.hostname) || allowInsecureHTTP) return { url };
  return { refused: 'plain http to a non-loopback host (set sessions.backchannelLogout.allowInsecureHTTP to allow)' };
}
