/**
 * The signer contract (dex v2.45.1 `server/signer/signer.go`): signs every JWT Ferry issues and publishes the keys
 * relying parties verify them with. `local.ts` keeps keys in storage and rotates them; a Vault signer can
 * implement the same interface later.
 */

import type { JWK, JWTPayload } from 'jose';

export interface Signer {
  /**
   * Signs `payload` as a compact JWS with the current key; the header carries `alg`, `kid` and `typ` (`JWT`
   * unless `opts.typ` names another, e.g. `logout+jwt` for back-channel logout tokens).
   */
  sign(payload: JWTPayload, opts?: { typ?: string }): Promise<string>;
  /** Public keys for `/keys`: the current signing key first, then unexpired verification keys. */
  validationKeys(): Promise<JWK[]>;
  /** The algorithm new tokens are signed with (e.g. `RS256`); decides the `at_hash`/`c_hash` hash. */
  algorithm(): Promise<string>;
  /**
   * Verifies a JWT Ferry signed (signature against `validationKeys()`, plus `exp`/`nbf`; the issuer and
   * audience are the caller's to check). Throws on any failure.
   */
  verify(jwt: string): Promise<JWTPayload>;
  /**
   * A 32-byte secret every replica derives alike, for `purpose`, from the current private signing key (HKDF-SHA256;
   * the key itself never leaves the signer), with the `kid` it came from. With `kid`, the secret of that key, or
   * null when it is no longer the signing key (rotated away: its private half is gone from storage). Optional: a
   * signer whose private key cannot be read (a KMS, Vault transit) leaves it out and callers sign a JWS instead.
   */
  sharedSecret?(purpose: string, kid?: string): Promise<{ kid: string; secret: Buffer } | null>;
  /** Starts background rotation (first check runs before it resolves); stops when `signal` aborts. */
  start(signal: AbortSignal): Promise<void>;
}
