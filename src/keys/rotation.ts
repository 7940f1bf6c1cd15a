/**
 * Signing-key rotation, as dex v2.45.1 `server/signer/rotation.go` does it:
 *
 *   getKeys → reason? (missing / expired) → generate a key OUTSIDE the update → updateKeys(updater):
 *     re-check the reason (another replica may have rotated: abort with AlreadyRotatedError, logged at info)
 *     → drop expired verification keys → demote the old public key (kept for idTokensValidFor)
 *     → install the new pair → nextRotation = now + rotationPeriod.
 *
 * Every replica runs this on the same store; the compare-and-swap in `updateKeys` lets exactly one win.
 */

import type { SigningAlgorithm } from '../config/types.js';
import { AlreadyRotatedError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { Storage } from '../storage/storage.js';
import type { Keys } from '../storage/types.js';
import { generateSigningKey, type SigningKeyPair } from './generate-key.js';

export type RotationReason = 'missing' | 'expired';

/** Why `keys` must be rotated at `now`, or null when they are still good. */
export function rotationReason(keys: Keys, now: Date): RotationReason | null {
  if (keys.signingKey === null) return 'missing';
  return now.getTime() < keys.nextRotation.getTime() ? null : 'expired';
}

export interface RotationOptions {
  storage: Pick<Storage, 'getKeys' | 'updateKeys'>;
  /** Algorithm of newly generated keys; a change takes effect at the next rotation. */
  algorithm: SigningAlgorithm;
  /** ms between rotations. */
  rotationPeriod: number;
  /** ms a demoted key keeps verifying tokens (the ID-token lifetime). */
  idTokensValidFor: number;
  logger: Logger;
  now: () => Date;
  /** Key generator; tests may inject a counting one. */
  generate?: (algorithm: SigningAlgorithm) => Promise<SigningKeyPair>;
}

export interface RotationResult {
  /** The keys now in storage (rotated by us, by another replica, or unchanged). */
  keys: Keys;
  /** True when this call installed a new signing key. */
  rotated: boolean;
}

/** The updater's pure core: the rotated record, or AlreadyRotatedError when `old` needs no rotation at `now`. */
export function applyRotation(old: Keys, pair: SigningKeyPair, now: Date, opts: RotationOptions): Keys {
  if (rotationReason(old, now) === null) {
    throw new AlreadyRotatedError('keys already rotated by another server instance');
  }
  const t = now.getTime();
  const verificationKeys = old.verificationKeys.filter((k) => k.expiry.getTime() >= t);
  if (old.signingKeyPub !== null) {
    verificationKeys.push({ publicKey: old.signingKeyPub, expiry: new Date(t + opts.idTokensValidFor) });
  }
  return {
    ...old,
    signingKey: pair.signingKey,
    signingKeyPub: pair.signingKeyPub,
    verificationKeys,
    nextRotation: new Date(t + opts.rotationPeriod),
  };
}

/** Runs one rotation check. Throws only on storage or key-generation failure. */
export async function rotateKeys(opts: RotationOptions): Promise<RotationResult> {
  const { storage, logger, now } = opts;
  const current = await storage.getKeys();
  const reason = rotationReason(current, now());
  if (reason === null) return { keys: current, rotated: false };

  logger.info({ reason }, 'rotating signing keys');
  const pair = await (opts.generate ?? generateSigningKey)(opts.algorithm);
  const tNow = now();
  try {
    const keys = await storage.updateKeys((old) => applyRotation(old, pair, tNow, opts));
    logger.info({ reason, next_rotation: keys.nextRotation.toISOString() }, 'keys rotated');
    return { keys, rotated: true };
  } catch (err) {
    if (!(err instanceof AlreadyRotatedError)) throw err;
    logger.info('key rotation not needed: keys already rotated by another server instance');
    return { keys: await storage.getKeys(), rotated: false };
  }
}
