/**
 * Signing keys (dex v2.45.1 `server/signer/`). `signer.ts` is the contract every signer meets; `local.ts` is dex's
 * `signer.type: local`:
 *
 *   start() → rotation check now and every 30 s (rotation.ts: reason → generate outside the update →
 *   updateKeys compare-and-swap; "already rotated" by another replica is normal) → key-cache.ts serves the
 *   stored record until nextRotation → sign() / verify() / validationKeys() (jwks.ts) from memory.
 */
export type { Signer } from './signer.js';
export { createLocalSigner, type LocalSigner, type LocalSignerOptions } from './local.js';
export { rotateKeys, rotationReason, type RotationOptions, type RotationReason, type RotationResult } from './rotation.js';
export { generateSigningKey, LOCAL_SIGNING_ALGORITHMS, type SigningKeyPair } from './generate-key.js';
export { validationJwks } from './jwks.js';
