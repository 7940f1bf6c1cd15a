/**
 * Checks access tokens at `/userinfo` without repeating work for a token seen moments ago: the signature of a
 * token is verified once and remembered until its `exp`, and the revocation denylist in storage is consulted at most
 * every `recheckMs` per token. A revocation made through this replica takes effect at once (`forget`); one made
 * through another replica within `recheckMs` (2 s by default). The memory is bounded (oldest entries go first).
 * Opaque access tokens (src/server/tokens/opaque-access-token.ts) are looked up in storage every time, so their
 * revocation, on any replica, takes effect at once.
 */

import type { JWTPayload } from 'jose';
import type { Signer } from '../../keys/signer.js';
import type { Storage } from '../../storage/storage.js';
import { checkOpaqueAccessToken, looksOpaque } from './opaque-access-token.js';
import { isRevoked, verifyOwnJwt } from './access-tokens.js';

/** How many verified tokens the checker remembers by default (the bench's distinct-token rows exceed it). */
export const VERIFIED_TOKENS_REMEMBERED = 10_000;

export interface AccessTokenChecker {
  /** The claims of a token Ferry signed that has not expired and was not revoked; null otherwise. */
  check(token: string): Promise<JWTPayload | null>;
  /** Drops what is remembered about the token with this `jti` (after revoking it). */
  forget(jti: string): void;
}

interface Entry {
  claims: JWTPayload;
  /** ms since epoch of the last denylist lookup that found nothing. */
  notRevokedAt: number;
}

export function createAccessTokenChecker(opts: {
  signer: Signer;
  issuer: string;
  storage: Storage;
  now: () => Date;
  maxEntries?: number;
  recheckMs?: number;
}): AccessTokenChecker {
  const max = opts.maxEntries ?? VERIFIED_TOKENS_REMEMBERED;
  const recheckMs = opts.recheckMs ?? 2000;
  const seen = new Map<string, Entry>();

  const remember = (token: string, entry: Entry) => {
    seen.delete(token);
    if (seen.size >= max) {
      const oldest = seen.keys().next();
      if (!oldest.done) seen.delete(oldest.value);
    }
    seen.set(token, entry);
  };

  return {
    async check(token) {
      if (looksOpaque(token)) return checkOpaqueAccessToken(opts.storage, token, opts.now());
      const now = opts.now().getTime();
      let entry = seen.get(token);
      if (entry && typeof entry.claims.exp === 'number' && entry.claims.exp * 1000 <= now) {
        seen.delete(token);
        return null;
      }
      if (!entry) {
        const claims = await verifyOwnJwt(opts.signer, opts.issuer, token);
        if (claims === null) return null;
        entry = { claims, notRevokedAt: -Infinity };
      }
      if (now - entry.notRevokedAt >= recheckMs) {
        if (await isRevoked(opts.storage, entry.claims)) {
          seen.delete(token);
          return null;
        }
        entry = { ...entry, notRevokedAt: now };
        remember(token, entry);
      }
      return entry.claims;
    },
    forget(jti) {
      for (const [token, entry] of seen) if (entry.claims.jti === jti) seen.delete(token);
    },
  };
}
