/**
 * In-memory view of the stored keys, so signing does no storage I/O and no key import per token.
 *
 * - The `Keys` record is served until `validUntil` (normally its `nextRotation`: no replica may rotate before
 *   then, so the stored record cannot change underneath us).
 * - The imported private key is cached per `kid`; secrets derived from a private key (`secret`) per `kid` and
 *   purpose, for the signing key and the one it replaced (`signingJwk`), which this process still holds, so a
 *   secret minted just before a rotation still checks here; the verifier (jose `createLocalJWKSet`, which caches its own
 *   imports) per set of valid key ids.
 */

import { hkdfSync } from 'node:crypto';
import { createLocalJWKSet, importJWK, type JWK, type JWTVerifyGetKey } from 'jose';
import type { Keys } from '../storage/types.js';

type SigningCryptoKey = Awaited<ReturnType<typeof importJWK>>;

export class KeyCache {
  #keys: Keys | null = null;
  #validUntil = 0;
  #privateKeys = new Map<string, Promise<SigningCryptoKey>>();
  #secrets = new Map<string, Buffer>();
  #previous: JWK | null = null;
  #verifier: { id: string; getKey: JWTVerifyGetKey } | null = null;
  readonly #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
  }

  /** The cached record while it is still current, else null (the caller re-reads storage). */
  fresh(): Keys | null {
    return this.#keys !== null && this.#now().getTime() < this.#validUntil ? this.#keys : null;
  }

  /** The last record stored, current or not. */
  last(): Keys | null {
    return this.#keys;
  }

  /** Caches `keys` until `validUntil` (default: their `nextRotation`). */
  store(keys: Keys, validUntil: Date = keys.nextRotation): Keys {
    const before = this.#keys?.signingKey;
    if (before != null && before.kid !== keys.signingKey?.kid) this.#previous = before;
    this.#keys = keys;
    this.#validUntil = validUntil.getTime();
    const kid = keys.signingKey?.kid;
    for (const k of this.#privateKeys.keys()) if (k !== kid) this.#privateKeys.delete(k);
    const keep = [kid, this.#previous?.kid].map((k) => `${k ?? ''}\0`);
    for (const k of this.#secrets.keys()) if (!keep.some((p) => k.startsWith(p))) this.#secrets.delete(k);
    return keys;
  }

  /** The private JWK of the last record's signing key, or of the key it replaced in this process, by `kid`. */
  signingJwk(kid: string): JWK | null {
    const current = this.#keys?.signingKey;
    if (current?.kid === kid) return current;
    return this.#previous?.kid === kid ? this.#previous : null;
  }

  /** Forgets the record so the next read goes to storage. */
  invalidate(): void {
    this.#validUntil = 0;
  }

  /** The imported private key for `jwk`, imported once per `kid`. */
  privateKey(jwk: JWK): Promise<SigningCryptoKey> {
    const kid = jwk.kid ?? '';
    let key = this.#privateKeys.get(kid);
    if (!key) {
      key = importJWK(jwk, jwk.alg);
      key.catch(() => this.#privateKeys.delete(kid));
      this.#privateKeys.set(kid, key);
    }
    return key;
  }

  /**
   * HKDF-SHA256 of the private key's `d` (salt: the kid, info: `ferry shared secret\0<purpose>`), 32 bytes, or null
   * for a JWK without `d`. HKDF output reveals nothing usable about `d`, and each purpose gets an independent secret.
   */
  secret(jwk: JWK, purpose: string): Buffer | null {
    if (typeof jwk.d !== 'string' || jwk.d === '') return null;
    const id = `${jwk.kid ?? ''}\0${purpose}`;
    let secret = this.#secrets.get(id);
    if (!secret) {
      const ikm = Buffer.from(jwk.d, 'base64url');
      secret = Buffer.from(hkdfSync('sha256', ikm, jwk.kid ?? '', `ferry shared secret\0${purpose}`, 32));
      this.#secrets.set(id, secret);
    }
    return secret;
  }

  /** A jose key resolver over exactly `jwks`, rebuilt only when the set of key ids changes. */
  verifier(jwks: JWK[]): JWTVerifyGetKey {
    const id = jwks.map((k) => k.kid ?? '').join(',');
    if (this.#verifier?.id !== id) this.#verifier = { id, getKey: createLocalJWKSet({ keys: jwks }) };
    return this.#verifier.getKey;
  }
}
