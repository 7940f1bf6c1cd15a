/**
 * The stored DeviceToken of the device flow (RFC 8628; dex v2.45.1 `storage/storage.go` `DeviceToken`), shared by
 * the browser half (`src/server/device`) and the polling grant (`src/server/grants/device-code.ts`): its states,
 * the polling interval, and which client and connector the token response stored on it was minted for.
 */

import { decodeJwt } from 'jose';
import { clientOfToken } from './access-tokens.js';
import { decodeSubject } from './subject.js';

/** DeviceToken `status` values. */
export const DEVICE_STATUS = {
  pending: 'authorization_pending',
  complete: 'complete',
  denied: 'access_denied',
} as const;

/** RFC 8628 §3.2 default `interval`, and the step `slow_down` adds (§3.5). */
export const POLL_INTERVAL_SECONDS = 5;

/**
 * The client (`azp`, else the single `aud`) and connector (from `sub`) of an access token Ferry minted and stored
 * on a DeviceToken; null when the token names no single client or no subject. The token is read, not verified: it
 * comes from storage, never from the request.
 */
export function deviceTokenBinding(accessToken: string): { clientId: string; connectorId: string } | null {
  const claims = decodeJwt(accessToken);
  const clientId = clientOfToken(claims);
  if (clientId === null || typeof claims.sub !== 'string') return null;
  return { clientId, connectorId: decodeSubject(claims.sub).connectorId };
}
