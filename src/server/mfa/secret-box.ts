/**
 * MFA secrets at rest (docs/mfa.md). With a key (`mfa.encryptionKey` / `FERRY_MFA_ENCRYPTION_KEY`) a TOTP secret is
 * stored as `ferry-aes256gcm:v1:` + base64url(12-byte nonce ‖ ciphertext ‖ 16-byte tag), AES-256-GCM, the identity's
 * `userId\0connectorId\0authenticatorId` as additional data so a ciphertext copied to another identity or
 * authenticator does not open. Without a key the secret is stored in clear, as dex HEAD stores it (the otpauth URI).
 * A clear value is still read when a key is set (secrets dex or an older Ferry wrote) and is sealed on its next write.
 * A sealed value that does not open (no key, another key, tampered) is `SecretUnavailableError`, never a crash.
 */

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'ferry-aes256gcm:v1:';
const NONCE = 12;
const TAG = 16;

/** A stored secret that cannot be opened: the message says why, for the log (never the secret). */
export class SecretUnavailableError extends Error {}

export interface SecretBox {
  readonly encrypting: boolean;
  seal(plain: string, context: string): string;
  /** The clear secret; throws `SecretUnavailableError` when a sealed value does not open. */
  open(stored: string, context: string): string;
}

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

export function createSecretBox(key: Uint8Array | null): SecretBox {
  if (key !== null && key.length !== 32) throw new Error('the MFA encryption key must be 32 bytes');
  return {
    encrypting: key !== null,
    seal(plain, context) {
      if (key === null) return plain;
      const nonce = randomBytes(NONCE);
      const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(stored, context) {
      if (!isSealed(stored)) return stored;
      if (key === null) throw new SecretUnavailableError('MFA secret is encrypted but no mfa.encryptionKey is configured');
      const data = Buffer.from(stored.slice(PREFIX.length), 'base64url');
      if (data.length < NONCE + TAG) throw new SecretUnavailableError('MFA secret ciphertext is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE)).setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(data.subarray(data.length - TAG));
        return Buffer.concat([decipher.update(data.subarray(NONCE, data.length - TAG)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretUnavailableError('MFA secret does not decrypt: wrong mfa.encryptionKey, or the value was altered');
      }
    },
  };
}

/** The additional data binding a sealed secret to one identity and authenticator. */
export const secretContext = (userId: string, connectorId: string, authenticatorId: string): string =>
  `${userId}\0${connectorId}\0${authenticatorId}`;
