/**
 * Which redirect URIs a client may use (dex reference §4.4; RFC 8252 §7.3 for native apps).
 * - Any client: exact string match against its registered `redirectURIs` (no normalisation, no wildcards).
 * - A public client with no registered URIs (dex): the out-of-band URN, `/device/callback`, and any `http` URL
 *   whose host is `localhost` or a loopback IP, on any port and path.
 * - A public client whose registered URI is a loopback IP literal (Ferry, RFC 8252 §7.3): any port.
 * - dex's device shorthand `/device/callback` (registered, or allowed as above) always means the issuer's own
 *   device callback: it is rewritten to `<issuer-path>/device/callback` (dex v2.45.1 server/oauth2.go rewrites it
 *   for public clients; for a confidential client dex keeps the bare path, which only works at an issuer path of
 *   `/`, so Ferry rewrites it for every client).
 */

import type { Client } from '../../storage/types.js';

export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';
export const DEVICE_CALLBACK_PATH = '/device/callback';

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function parseHttpURL(uri: string): URL | null {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' ? u : null;
  } catch {
    return null;
  }
}

/** The same URL with the port ignored, for loopback IP literals only (RFC 8252 §7.3 excludes `localhost`). */
function sameLoopbackIgnoringPort(registered: string, requested: string): boolean {
  const a = parseHttpURL(registered);
  const b = parseHttpURL(requested);
  if (!a || !b || a.hostname === 'localhost' || !isLoopbackHost(a.hostname)) return false;
  return a.hostname === b.hostname && a.pathname === b.pathname && a.search === b.search && b.username === '' && b.password === '';
}

/**
 * Returns the redirect URI to use (dex rewrites `/device/callback` to the issuer path) or null when the client
 * may not use it.
 */
export function checkRedirectURI(client: Client, requested: string, issuerPath: string): string | null {
  if (!requested) return null;
  if (requested === DEVICE_CALLBACK_PATH && client.redirectURIs.includes(requested)) return issuerPath + DEVICE_CALLBACK_PATH;
  if (client.redirectURIs.includes(requested)) return requested;
  if (!client.public) return null;
  if (client.redirectURIs.some((r) => sameLoopbackIgnoringPort(r, requested))) return requested;
  if (client.redirectURIs.length > 0) return null;
  if (requested === OOB_REDIRECT_URI) return requested;
  if (requested === DEVICE_CALLBACK_PATH) return issuerPath + DEVICE_CALLBACK_PATH;
  const u = parseHttpURL(requested);
  return u && isLoopbackHost(u.hostname) && !u.username && !u.password ? requested : null;
}
