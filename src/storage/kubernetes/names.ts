/**
 * Object names (dex v2.45.1 `storage/kubernetes/client.go` `idToName`). Kubernetes names must be DNS subdomains (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`
 * labels joined by dots, at most 253 characters), so documents are named as dex names them:
 * - ids that already are valid names (Ferry's ids, like dex's, are lower-case base32) are used as they are;
 * - clients and passwords (lower-cased email) use dex's mapping: lower-case unpadded base32 of the id's bytes
 *   followed by the 8-byte FNV-64 hash of the EMPTY input (dex calls Go's `Sum(b)`, which appends) — not a hash of
 *   the id, kept for name compatibility with dex;
 * - offline sessions and user identities use base32 of FNV-64(userID ‖ connectorID);
 * - device requests use the lower-cased user code;
 * - any other key that is not a valid name is encoded like a client id;
 * - a name that would exceed 253 characters becomes base32 of the key's SHA-256 (dex would fail there).
 * Hashed names can collide, so every object carries its Ferry key and reads compare it (kube-backend.ts).
 */

import { createHash } from 'node:crypto';
import { base32Lower } from '../ids.js';
import type { DocumentKind } from '../document/backend.js';

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/** FNV-1 64-bit (Go `hash/fnv.New64`), big-endian bytes as Go's `Sum` returns them. */
export function fnv64(data: Uint8Array): Uint8Array {
  let h = FNV64_OFFSET;
  for (const b of data) h = ((h * FNV64_PRIME) & MASK) ^ BigInt(b);
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(h & 0xffn);
    h >>= 8n;
  }
  return out;
}

const EMPTY_SUM = fnv64(new Uint8Array(0));
const VALID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when `s` may be used as an object name unchanged. */
export const isValidName = (s: string): boolean => s.length <= 253 && VALID.test(s);

/** dex's `idToName`: base32 of the id bytes followed by FNV-64 of nothing (SHA-256 based when too long). */
export function idToName(id: string): string {
  const bytes = Buffer.from(id, 'utf8');
  const name = base32Lower(Buffer.concat([bytes, EMPTY_SUM]));
  return name.length <= 253 ? name : base32Lower(createHash('sha256').update(bytes).digest());
}

/** dex's `offlineTokenName`: base32 of FNV-64(userID ‖ connectorID). */
export function pairName(userId: string, connectorId: string): string {
  return base32Lower(fnv64(Buffer.from(userId + connectorId, 'utf8')));
}

function parsePair(key: string): [string, string] | null {
  try {
    const v: unknown = JSON.parse(key);
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // not a pair
  }
  return null;
}

/** The object name of the document `(kind, key)`. */
export function objectName(kind: DocumentKind, key: string): string {
  switch (kind) {
    case 'keys':
      return 'openid-connect-keys';
    case 'client':
    case 'password':
      return idToName(key);
    case 'offline_session':
    case 'user_identity': {
      const pair = parsePair(key);
      return pair ? pairName(pair[0], pair[1]) : idToName(key);
    }
    case 'device_request':
      return isValidName(key.toLowerCase()) ? key.toLowerCase() : idToName(key);
    default:
      return isValidName(key) ? key : idToName(key);
  }
}
