/**
 * In-memory view of the stored keys, so signing does no storage I/O and no key import per token.
 *
 * - The `Keys` record is served until `validUntil` (normally its `nextRotation`: no replica may rotate before
 *   then, so the stored record cannot change underneath us).
 * - The imported private key is cached per `kid`; the verifier (jose `createLocalJWKSet`, which caches its own
 *   imports) per set of valid key ids.
 */

import { createLocalJWKSet, importJWK, type JWK, type JWTVerifyGetKey } from 'jose';
import type { Keys } from '../storage/types.js';

type SigningCryptoKey = Awaited<ReturnType<typeof importJWK>>;

export class KeyCache {
  #keys: Keys | null = null;
  #validUntil = 0;
  #privateKeys = new Map<string, Promise<SigningCryptoKey>>();
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
    this.#keys = keys;
    this.#validUntil = validUntil.getTime();
    const kid = keys.signingKey?.kid;
    for (const k of this.#privateKeys.keys()) if (k !== kid) this.#privateKeys.delete(k);
    return keys;
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

  /** A jose key resolver over exactly `jwks`, rebuilt only when the set of key ids changes. */
  verifier(jwks: JWK[]): JWTVerifyGetKey {
    const id = jwks.map((k) => k.kid ?? '').join(',');
    if (this.#verifier?.id !== id) this.#verifier = { id, getKey: createLocalJWKSet({ keys: jwks }) };
    return this.#verifier.getKey;
  }
}
