/**
 * `at_hash` / `c_hash` (OIDC Core §3.1.3.6, §3.3.2.11; dex v2.45.1 `server/oauth2.go` `accessTokenHash`): the left half of the hash of the ASCII
 * value, base64url without padding. The hash follows the signing algorithm's: SHA-256 for *256, SHA-384 for *384,
 * SHA-512 for *512. For EdDSA (Ed25519) we use SHA-512, as the OIDC Core errata set 2 specifies; dex has no entry
 * for EdDSA at all and fails there.
 */

import { createHash } from 'node:crypto';

const HASH_BY_ALG: Readonly<Record<string, string>> = Object.freeze({
  RS256: 'sha256',
  ES256: 'sha256',
  PS256: 'sha256',
  RS384: 'sha384',
  ES384: 'sha384',
  PS384: 'sha384',
  RS512: 'sha512',
  ES512: 'sha512',
  PS512: 'sha512',
  EdDSA: 'sha512',
  Ed25519: 'sha512',
});

/** Throws `TypeError` for an algorithm without a defined hash. */
export function tokenHash(value: string, alg: string): string {
  const hash = Object.hasOwn(HASH_BY_ALG, alg) ? HASH_BY_ALG[alg] : undefined;
  if (hash === undefined) throw new TypeError(`token hash: unsupported signing algorithm "${alg}"`);
  const sum = createHash(hash).update(value, 'utf8').digest();
  return sum.subarray(0, sum.length / 2).toString('base64url');
}
