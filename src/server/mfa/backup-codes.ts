/**
 * Backup codes (Ferry only; dex has none): ten single-use codes, shown once when generated, stored as keyed hashes.
 *
 * Each code is 12 characters from a 32-letter alphabet without look-alikes (60 random bits), shown as
 * `xxxx-xxxx-xxxx`; case, spaces and dashes are ignored when typed. The stored hash is HMAC-SHA256 keyed by
 * (the MFA encryption key, when configured) and a random salt per generation. A fast keyed hash is enough here,
 * unlike for passwords: the codes are random with 60 bits each, so there is no dictionary to try and a stolen table
 * costs ~2^59 HMACs per code (more than any offline attacker's budget, and with the encryption key configured it is
 * out of reach without that key); a slow hash would only make each login slower. Online guessing is limited by the
 * attempt throttle. A used code's hash is removed inside the storage updater, so two requests with one code cannot
 * both pass.
 */

import { createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import type { BackupCodes } from '../../storage/types.js';
import { constantTimeEqual } from '../../lib/constant-time.js';

export const BACKUP_CODE_COUNT = 10;
/** 32 symbols: no `i`, `l`, `o` or `1`; a typed `o` is read as `0`. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz023456789';
const LENGTH = 12;

/** Normalized form of a typed code: lower case, no spaces or dashes, `o` read as `0`. */
export const normalizeCode = (typed: string): string => typed.toLowerCase().replace(/[\s-]+/g, '').replaceAll('o', '0');

const pretty = (code: string): string => code.match(/.{4}/g)?.join('-') ?? code;

export class BackupCodeHasher {
  private readonly pepper: Buffer;

  constructor(encryptionKey: Uint8Array | null) {
    this.pepper = encryptionKey
      ? Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'ferry mfa backup codes', 32))
      : Buffer.alloc(0);
  }

  hash(salt: string, code: string): string {
    return createHmac('sha256', Buffer.concat([this.pepper, Buffer.from(salt, 'base64url')]))
      .update(normalizeCode(code))
      .digest('base64url');
  }

  /** Ten fresh codes (to show once) and what to store. */
  generate(now: Date): { codes: string[]; stored: BackupCodes } {
    const salt = randomBytes(16).toString('base64url');
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, () =>
      Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    );
    return { codes: codes.map(pretty), stored: { salt, hashes: codes.map((c) => this.hash(salt, c)), createdAt: now } };
  }

  /** `stored` without the hash of `typed`, or null when `typed` is none of its unused codes. */
  consume(stored: BackupCodes | null, typed: string): BackupCodes | null {
    const code = normalizeCode(typed);
    if (!stored || code.length !== LENGTH) return null;
    const wanted = this.hash(stored.salt, code);
    const hit = stored.hashes.findIndex((h) => constantTimeEqual(h, wanted));
    if (hit < 0) return null;
    return { ...stored, hashes: stored.hashes.filter((_, i) => i !== hit) };
  }
}
