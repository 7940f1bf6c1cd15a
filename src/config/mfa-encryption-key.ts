/**
 * The key that encrypts MFA secrets at rest (Ferry only; dex HEAD stores TOTP secrets in clear): `mfa.encryptionKey`
 * in the config, else the environment variable `FERRY_MFA_ENCRYPTION_KEY`. It is 32 random bytes written as 64 hex
 * digits or as base64/base64url (e.g. `openssl rand -base64 32`); anything else is refused, naming where it came
 * from. Absent = secrets are stored in clear, as dex does, and the server says so at startup (docs/mfa.md).
 */

import type { BuildContext } from './build-context.js';
import { type Decoded, read } from './decode.js';

export const MFA_KEY_ENV = 'FERRY_MFA_ENCRYPTION_KEY';

/** The 32 key bytes of `text`, or null when it is not 64 hex digits nor base64/base64url of 32 bytes. */
export function parseMFAKey(text: string): Uint8Array | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return new Uint8Array(Buffer.from(t, 'hex'));
  if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(t)) return null;
  const bytes = Buffer.from(t.replace(/=+$/, ''), t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
  return bytes.length === 32 ? new Uint8Array(bytes) : null;
}

export function readMFAEncryptionKey(m: Decoded | undefined, ctx: BuildContext): Uint8Array | null {
  const fromConfig = read.str(m, 'encryptionKey');
  const text = fromConfig || (ctx.env[MFA_KEY_ENV] ?? '');
  if (text === '') return null;
  const key = parseMFAKey(text);
  if (key === null) {
    const where = fromConfig ? 'mfa.encryptionKey' : MFA_KEY_ENV;
    ctx.issues.push({ path: where, message: 'must be 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)' });
  }
  return key;
}
