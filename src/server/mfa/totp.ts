/**
 * TOTP (RFC 6238) as dex HEAD uses it (server/mfa/totp.go): SHA-1, 6 digits, 30-second steps, one step of clock
 * tolerance either side. Each code is usable once: the highest step accepted so far is stored (`lastUsedCounter`)
 * and a code of that step or an older one is refused. The stored secret is the otpauth URI, as dex stores it.
 */

import { generateSecret, generateSync, generateURI } from 'otplib';
import { constantTimeEqual } from '../../lib/constant-time.js';

export const TOTP_PERIOD = 30;
export const TOTP_SKEW = 1;

/** A new secret and its otpauth URI: issuer from the authenticator config, account `(<connectorID>) <email>`. */
export function newTOTPKey(issuer: string, connectorId: string, email: string): { secret: string; uri: string } {
  const secret = generateSecret({ length: 20 });
  return { secret, uri: generateURI({ issuer, label: `(${connectorId}) ${email}`, secret, period: TOTP_PERIOD, digits: 6 }) };
}

/** The base32 secret of a stored value: an otpauth URI (dex's form) or a bare base32 secret. */
export function totpSecretOf(stored: string): string {
  if (!stored.startsWith('otpauth://')) return stored.replace(/\s+/g, '').toUpperCase();
  return (new URL(stored).searchParams.get('secret') ?? '').toUpperCase();
}

export const totpCode = (secret: string, counter: number): string =>
  generateSync({ strategy: 'hotp', secret, counter, digits: 6, algorithm: 'sha1' });

/**
 * The time step `code` belongs to (newest first within the tolerance), or null when it matches none or only steps
 * at or below `lastCounter` (already used).
 */
export function matchTOTP(secret: string, code: string, now: Date, lastCounter: number): number | null {
  const typed = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(typed) || secret === '') return null;
  const base = Math.floor(now.getTime() / 1000 / TOTP_PERIOD);
  for (let c = base + TOTP_SKEW; c >= base - TOTP_SKEW; c--) {
    if (c < 0 || !constantTimeEqual(totpCode(secret, c), typed)) continue;
    return c > lastCounter ? c : null;
  }
  return null;
}
