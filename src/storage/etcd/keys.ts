/**
 * Where each kind lives in etcd: dex's key layout (dex v2.45.1 storage/etcd/etcd.go; HEAD for user identities and
 * auth sessions) under the configured namespace, so dex and Ferry read one another's keys:
 *
 *   client/<id>  auth_req/<id>  auth_code/<id>  refresh_token/<id>  password/<lower-cased email>
 *   offline_session/<lower-cased userID|connID>  user_identity/<lower-cased userID|connID>  connector/<id>
 *   openid-connect-keys  device_req/<user code>  device_token/<device code>  auth_session/<id>
 *
 * and Ferry's own kinds under `ferry/` (`ferry/revoked_token/<jti>`, `ferry/throttle/<key>`,
 * `ferry/logout_delivery/<id>`), a prefix dex never reads.
 *
 * Like dex, the `userID|connID` pair is lower-cased, so two pairs can share a key (ids differing in case, or an id
 * containing `|`). Reads compare the stored value's own ids with the ones asked for (etcd-backend.ts), so such a
 * pair reads as "not found" rather than as another user's record.
 */

import type { DocumentKind } from '../document/backend.js';

const PREFIXES: Readonly<Record<DocumentKind, string>> = Object.freeze({
  client: 'client/',
  auth_request: 'auth_req/',
  auth_code: 'auth_code/',
  refresh_token: 'refresh_token/',
  password: 'password/',
  offline_session: 'offline_session/',
  connector: 'connector/',
  keys: 'openid-connect-keys',
  device_request: 'device_req/',
  device_token: 'device_token/',
  user_identity: 'user_identity/',
  auth_session: 'auth_session/',
  revoked_token: 'ferry/revoked_token/', // Ferry only (token revocation)
  throttle: 'ferry/throttle/', // Ferry only (brute-force throttle)
  logout_delivery: 'ferry/logout_delivery/', // Ferry only (back-channel logout outbox)
  access_token: 'ferry/access_token/', // Ferry only (opaque access tokens, by hash)
});

/** Kinds whose Ferry key is the JSON pair `[userId, connectorId]`. */
const PAIR_KINDS: ReadonlySet<DocumentKind> = new Set<DocumentKind>(['offline_session', 'user_identity']);

/** The key prefix every document of `kind` shares (for range scans). */
export function kindPrefix(kind: DocumentKind): string {
  return PREFIXES[kind] ?? `${kind}/`; // a kind added later still gets its own range
}

/** The etcd key (without the namespace) of the document `(kind, key)`. */
export function etcdKey(kind: DocumentKind, key: string): string {
  if (kind === 'keys') return PREFIXES.keys;
  if (PAIR_KINDS.has(kind)) {
    const pair = parsePair(key);
    if (pair) return kindPrefix(kind) + `${pair[0]}|${pair[1]}`.toLowerCase();
  }
  return kindPrefix(kind) + key;
}

/** True when two Ferry keys may map to one etcd key, so deletes must check the stored key first. */
export function mayCollide(kind: DocumentKind): boolean {
  return PAIR_KINDS.has(kind);
}

function parsePair(key: string): [string, string] | null {
  try {
    const v: unknown = JSON.parse(key);
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // not a pair: stored under the raw key
  }
  return null;
}

/** The end of the key range that holds every key starting with `prefix` (etcd's "prefix + 1"). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // all keys
}
