/**
 * Which redirect URIs a client may use (dex v2.45.1 `server/oauth2.go` `validateRedirectURI`; RFC 8252 §7.3 for native apps).
 * - Any client: exact string match against its registered `redirectURIs` (no normalisation, no wildcards).
 * - A public client with no registered URIs (dex): the out-of-band URN, `/device/callback`, and any `http` URL
 *   whose host is `localhost` or a loopback IP, on any port and path.
 * - A public client whose registered URI is a loopback IP literal (Ferry, RFC 8252 §7.3): any port.
 * - dex's device shorthand `/device/callback` (registered, or allowed as above) always means the issuer's own
 *   device callback: it is rewritten to `<issuer-path>/device/callback` (dex v2.45.1 server/oauth2.go rewrites it
 *   for public clients; for a confidential client dex keeps the bare path, which only works at an issuer path of
 *   `/`, so Ferry rewrites it for every client).
 * URIs are compared as the raw strings sent, never WHATWG-normalised (issue 12 item 5).
 */

import { isLoopbackHttp, parseRawURI, registeredRedirectURIProblem } from '../../lib/redirect-uri-policy.js';
import type { Client } from '../../storage/types.js';
import { DEVICE_CALLBACK_PATH, OOB_REDIRECT_URI } from '../oauth2/redirect-uris.js';

/** The same loopback IP URI with the port ignored, compared as raw strings (RFC 8252 §7.3 excludes `localhost`). */
function sameLoopbackIgnoringPort(registered: string, requested: string): boolean {
  const a = parseRawURI(registered);
  const b = parseRawURI(requested);
  if (!isLoopbackHttp(a) || !isLoopbackHttp(b) || a.host === 'localhost') return false;
  return a.host === b.host && a.rest === b.rest && a.fragment === null && b.fragment === null;
}

/**
 * Returns the redirect URI to use (dex rewrites `/device/callback` to the issuer path) or null when the client
 * may not use it. Every URI but the two special values must also pass the shared policy
 * (src/lib/redirect-uri-policy.ts), so a script URL stored before it existed is still refused.
 */
export function checkRedirectURI(client: Client, requested: string, issuerPath: string): string | null {
  if (!requested) return null;
  if (requested === DEVICE_CALLBACK_PATH && client.redirectURIs.includes(requested)) return issuerPath + DEVICE_CALLBACK_PATH;
  const special = requested === OOB_REDIRECT_URI || requested === DEVICE_CALLBACK_PATH;
  if (!special && registeredRedirectURIProblem(requested) !== null) return null;
  if (client.redirectURIs.includes(requested)) return requested;
  if (!client.public) return null;
  if (client.redirectURIs.some((r) => sameLoopbackIgnoringPort(r, requested))) return requested;
  if (client.redirectURIs.length > 0) return null;
  if (requested === OOB_REDIRECT_URI) return requested;
  if (requested === DEVICE_CALLBACK_PATH) return issuerPath + DEVICE_CALLBACK_PATH;
  return isLoopbackHttp(parseRawURI(requested)) ? requested : null;
}

/** True when a stored auth request's redirect URI may receive a response (OOB, a path on Ferry, or policy-clean). */
export function isDeliverableRedirectURI(uri: string): boolean {
  return uri === OOB_REDIRECT_URI || registeredRedirectURIProblem(uri) === null;
}
