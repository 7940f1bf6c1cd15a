/**
 * The local signer (dex `signer.type: local`, dex v2.45.1 `server/signer/local.go`): keys live in storage, every replica runs the same
 * rotation check (`rotation.ts`) and signs with whatever key storage holds, so replicas converge on one key.
 *
 * Hot path: `sign()` serves keys from the in-memory cache (`key-cache.ts`) until `nextRotation`, with the private
 * key imported once per `kid`. When the cache passes `nextRotation`, `sign()` keeps using the previous key while a
 * single rotation check runs in the background (the previous key stays published as a verification key, so its
 * tokens keep verifying); `verify()` and `validationKeys()` wait for that check so they see the newest key.
 * `sharedSecret()` derives per-purpose secrets from the private key (key-cache.ts), e.g. for the password form's
 * CSRF token: a MAC instead of a signature, still checkable on every replica.
 */

import { CompactSign, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { SigningAlgorithm } from '../config/types.js';
import type { Logger } from '../lib/logger.js';
import type { Storage } from '../storage/storage.js';
import type { Keys } from '../storage/types.js';
import { validationJwks } from './jwks.js';
import { KeyCache } from './key-cache.js';
import { rotateKeys, type RotationOptions, type RotationResult } from './rotation.js';
import type { Signer } from './signer.js';

const utf8 = new TextEncoder();

export interface LocalSignerOptions {
  storage: Pick<Storage, 'getKeys' | 'updateKeys'>;
  /** Algorithm of newly generated keys (default key type per §8); a change applies at the next rotation. */
  algorithm: SigningAlgorithm;
  /** ms between rotations (`signer.config.keysRotationPeriod`, default 6h). */
  rotationPeriod: number;
  /** ms an ID token is valid (`expiry.idTokens`); also how long a demoted key keeps verifying. */
  idTokensValidFor: number;
  logger: Logger;
  now: () => Date;
  /** ms between background rotation checks; default 30 s as in dex. */
  checkInterval?: number;
  /** Key generator override for tests. */
  generate?: RotationOptions['generate'];
}

/** A `Signer` plus the rotation check itself, which `start()` runs on a timer (exposed for tests and tools). */
export interface LocalSigner extends Signer {
  /** Runs one rotation check now (single-flight: concurrent callers share it) and refreshes the cache. */
  rotate(): Promise<RotationResult>;
}

/**
 * Creates the local signer.
 *
 * @example
 * const signer = createLocalSigner({ storage, algorithm: 'RS256', rotationPeriod: 6 * 3600e3,
 *   idTokensValidFor: 24 * 3600e3, logger, now: () => new Date() });
 * await signer.start(abort.signal);
 * const jwt = await signer.sign({ iss, sub, aud, exp, iat });
 */
export function createLocalSigner(opts: LocalSignerOptions): LocalSigner {
  const { logger, now } = opts;
  const checkInterval = opts.checkInterval ?? 30_000;
  const cache = new KeyCache(now);
  let rotating: Promise<RotationResult> | null = null;

  const later = () => new Date(now().getTime() + checkInterval);

  function rotate(): Promise<RotationResult> {
    rotating ??= rotateKeys(opts)
      .then((r) => {
        // A record that is somehow still due (clock skew between replicas) is held briefly, not re-read per call.
        const t = r.keys.nextRotation.getTime() > now().getTime() ? r.keys.nextRotation : later();
        cache.store(r.keys, t);
        return r;
      })
      .finally(() => {
        rotating = null;
      });
    return rotating;
  }

  /** On failure keep serving the last good record for one check interval, so a storage outage is not hammered. */
  function holdLast(err: unknown): Keys {
    logger.error({ err }, 'failed to rotate keys');
    const fresh = cache.fresh();
    if (fresh) return fresh;
    const last = cache.last();
    if (last?.signingKey == null) throw err;
    return cache.store(last, later());
  }

  /** Keys to sign with: cached, or the previous ones while a background check runs, or (cold) await the check. */
  async function signingKeys(): Promise<Keys> {
    const fresh = cache.fresh();
    if (fresh) return fresh;
    const last = cache.last();
    if (last?.signingKey != null) {
      if (!rotating) rotate().catch(holdLastQuietly);
      return last;
    }
    return (await rotate()).keys;
  }

  /** Keys to verify with / publish: cached, else wait for the check so the newest key is included. */
  async function currentKeys(): Promise<Keys> {
    const fresh = cache.fresh();
    if (fresh) return fresh;
    try {
      return (await rotate()).keys;
    } catch (err) {
      return holdLast(err);
    }
  }

  function requireSigningKey(keys: Keys): JWK {
    if (keys.signingKey == null) throw new Error('sign: no signing key in storage');
    return keys.signingKey;
  }

  return {
    rotate,

    async sign(payload: JWTPayload, signOpts?: { typ?: string }): Promise<string> {
      const jwk = requireSigningKey(await signingKeys());
      const key = await cache.privateKey(jwk);
      const typ = signOpts?.typ ?? 'JWT';
      // The JWS of the claims' JSON, as `SignJWT` makes it, without its defensive deep copy of the claims (a
      // `structuredClone` per token: two per refresh); the claims are ours and not touched while signing.
      const claims = utf8.encode(JSON.stringify(payload));
      return new CompactSign(claims).setProtectedHeader({ alg: jwk.alg ?? opts.algorithm, kid: jwk.kid, typ }).sign(key);
    },

    async sharedSecret(purpose: string, kid?: string) {
      let jwk: JWK | null;
      if (kid === undefined) jwk = (await signingKeys()).signingKey;
      else {
        // A kid this process does not hold may be another replica's newer key: re-read unless the record is current.
        jwk = cache.signingJwk(kid);
        if (jwk === null && !cache.fresh()) await currentKeys();
        jwk ??= cache.signingJwk(kid);
      }
      if (jwk?.kid == null) return null;
      const secret = cache.secret(jwk, purpose);
      return secret === null ? null : { kid: jwk.kid, secret };
    },

    async algorithm(): Promise<string> {
      return requireSigningKey(await signingKeys()).alg ?? opts.algorithm;
    },

    async validationKeys(): Promise<JWK[]> {
      const jwks = validationJwks(await currentKeys(), now());
      if (jwks.length === 0) throw new Error('validation keys: no public keys found');
      return jwks;
    },

    async verify(jwt: string): Promise<JWTPayload> {
      const jwks = validationJwks(await currentKeys(), now());
      const algorithms = [...new Set(jwks.map((k) => k.alg).filter((a): a is string => !!a))];
      const { payload } = await jwtVerify(jwt, cache.verifier(jwks), { currentDate: now(), algorithms });
      return payload;
    },

    async start(signal: AbortSignal): Promise<void> {
      // The first check completes before start() resolves, so a healthy store has a key when serving begins.
      await rotate().catch(holdLastQuietly);
      if (signal.aborted) return;
      const timer = setInterval(() => void rotate().catch(holdLastQuietly), checkInterval);
      timer.unref();
      signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    },
  };

  /** Background checks log and carry on (dex logs rotation errors; it does not stop serving). */
  function holdLastQuietly(err: unknown): void {
    try {
      holdLast(err);
    } catch {
      // no key at all yet: already logged; the next check retries.
    }
  }
}
