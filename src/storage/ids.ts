/**
 * Random identifiers and secrets (dex v2.45.1 `storage/storage.go` `NewID`, `newSecureID`). All draw from the OS CSPRNG.
 *
 * Drawn from ../lib/random-pool.ts (the CSPRNG's bytes, fetched 4 KiB at a time): a login makes about six.
 *
 * IDs follow dex's scheme: one letter a–z, then the remaining random bytes as lower-case unpadded base32
 * (`a–z2–7`), so every ID is a valid Kubernetes object name and never starts with a digit.
 */

import { randomInt } from 'node:crypto';
import { pooledRandomBytes } from '../lib/random-pool.js';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

/** Lower-case base32 without padding (RFC 4648 bit order). */
export function base32Lower(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  return out;
}

/** `size` random bytes: the first picks the leading letter, the rest are base32-encoded. */
function secureId(size: number): string {
  return BASE32[randomInt(26)] + base32Lower(pooledRandomBytes(size - 1));
}

/** A new object ID: 16 random bytes, 25 characters (dex `storage.NewID`). */
export function newId(): string {
  return secureId(16);
}

/** A new device code: 32 random bytes, 51 characters (dex `storage.NewDeviceCode`). */
export function newDeviceCode(): string {
  return secureId(32);
}

/** A new refresh-token secret: 32 random bytes, base64url without padding. */
export function newSecret(): string {
  return pooledRandomBytes(32).toString('base64url');
}

/** A new per-request HMAC key: 32 random bytes. */
export function newHmacKey(): Uint8Array {
  return Uint8Array.from(pooledRandomBytes(32)); // a copy: the key owns its bytes
}

/** A new device-flow user code `XXXX-XXXX` over `BCDFGHJKLMNPQRSTVWXZ`, each letter drawn without modulo bias. */
export function newUserCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) {
    if (i === 4) code += '-';
    code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  }
  return code;
}
