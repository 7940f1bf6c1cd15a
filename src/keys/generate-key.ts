/**
 * Key generation for the local signer (dex v2.45.1 `server/signer/local.go`, `utils.go`): RS256 = RSA 2048, ES256 = P-256, EdDSA = Ed25519.
 * Keys are generated asynchronously: a synchronous RSA keygen followed by a JWK export has deadlocked Node's
 * main thread about one start in ten on Node 20 (a GC while the keygen job holds the key mutex).
 */

import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SigningAlgorithm } from '../config/types.js';

/** The algorithms the local signer can generate keys for. */
export const LOCAL_SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = Object.freeze(['RS256', 'ES256', 'EdDSA']);

export interface SigningKeyPair {
  /** Private JWK with `kid`, `alg` and `use: "sig"`. */
  signingKey: JWK;
  /** The matching public JWK (same `kid`, `alg`, `use`). */
  signingKeyPub: JWK;
}

/** Generates a fresh key pair; the key id is 20 random bytes in hex (40 characters), as dex does. */
export async function generateSigningKey(algorithm: SigningAlgorithm): Promise<SigningKeyPair> {
  if (!LOCAL_SIGNING_ALGORITHMS.includes(algorithm)) {
    throw new TypeError(`unsupported local signer algorithm "${String(algorithm)}"`);
  }
  const rsa = algorithm === 'RS256' ? { modulusLength: 2048 } : {};
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true, ...rsa });
  const [priv, pub] = await Promise.all([exportJWK(privateKey), exportJWK(publicKey)]);
  const meta = { kid: randomBytes(20).toString('hex'), alg: algorithm, use: 'sig' };
  return { signingKey: { ...priv, ...meta }, signingKeyPub: { ...pub, ...meta } };
}
