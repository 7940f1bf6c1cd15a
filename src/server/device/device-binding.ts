/**
 * How the browser half of the device flow is tied to its device request:
 * - the redirect URI the `/auth` request uses: `<issuer-path>/device/callback` when the client registered it, or
 *   dex's `/device/callback` shorthand when the client registered that (dex's documented device client) or is a
 *   public client without redirect URIs; `/auth` rewrites the shorthand to the issuer path (dex v2.45.1
 *   server/oauth2.go parseAuthorizationRequest and validateRedirectURI);
 * - a PKCE pair derived from the secret device code: `/auth` gets the challenge, and only the callback that knows
 *   the device code can redeem the resulting authorization code, so a code minted for one device request (or any
 *   other login of the same client) cannot complete another (dex binds by client and redirect path only).
 */

import { createHash } from 'node:crypto';
import type { Client } from '../../storage/types.js';
import { computeCodeChallenge, PKCE_METHODS, type PkceMethod } from '../oauth2/pkce.js';
import { DEVICE_CALLBACK_PATH } from '../oauth2/redirect-uris.js';

/** The `redirect_uri` this client's device logins use at `/auth`, or null when it cannot use the device flow. */
export function deviceRedirectURI(client: Client, issuerPath: string): string | null {
  const full = issuerPath + DEVICE_CALLBACK_PATH;
  if (client.redirectURIs.includes(full)) return full;
  if (client.redirectURIs.includes(DEVICE_CALLBACK_PATH)) return DEVICE_CALLBACK_PATH;
  if (client.public && client.redirectURIs.length === 0) return DEVICE_CALLBACK_PATH;
  return null;
}

/** Where `/auth` sends the browser back to: always the issuer-path form. */
export const deviceCallbackURI = (issuerPath: string): string => issuerPath + DEVICE_CALLBACK_PATH;

export interface DevicePkce {
  verifier: string;
  challenge: string;
  method: PkceMethod;
}

/** The PKCE pair of a device request, or null when the server supports no PKCE method. */
export function devicePkce(deviceCode: string, supported: readonly string[]): DevicePkce | null {
  const method = supported.includes(PKCE_METHODS.s256) ? PKCE_METHODS.s256 : supported.includes(PKCE_METHODS.plain) ? PKCE_METHODS.plain : null;
  if (method === null) return null;
  const verifier = createHash('sha256').update(`ferry-device-pkce:${deviceCode}`).digest('base64url');
  return { verifier, challenge: computeCodeChallenge(verifier, method), method };
}

const USER_CODE_LETTERS = /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/;

/** Accepts what users type: any case, spaces, with or without the dash. Anything else is returned upper-cased. */
export function normalizeUserCode(input: string): string {
  const upper = input.trim().toUpperCase();
  const letters = upper.replace(/[\s-]/g, '');
  return USER_CODE_LETTERS.test(letters) ? `${letters.slice(0, 4)}-${letters.slice(4)}` : upper;
}
