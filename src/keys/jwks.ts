/**
 * The public key set published at `/keys` (dex v2.45.1 `server/handlers.go` `handlePublicKeys`) and used to verify Ferry's own tokens: the current
 * signing public key first, then the verification keys that have not expired yet.
 */

import type { JWK } from 'jose';
import type { Keys } from '../storage/types.js';

/** Public keys valid at `now`, current signing key first. Empty when no key was ever generated. */
export function validationJwks(keys: Keys, now: Date): JWK[] {
  const t = now.getTime();
  const out: JWK[] = keys.signingKeyPub ? [keys.signingKeyPub] : [];
  for (const v of keys.verificationKeys) {
    if (v.expiry.getTime() >= t) out.push(v.publicKey);
  }
  return out;
}
