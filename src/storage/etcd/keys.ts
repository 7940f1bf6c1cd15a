/**
 * Where each document lives in etcd: dex's key layout (reference §12.3) under the configured namespace, so an
 * operator's etcd RBAC roles and `etcdctl get --prefix` habits carry over.
 *
 *   client/<id>  auth_req/<id>  auth_code/<id>  refresh_token/<id>  password/<lower-cased email>
 *   offline_session/<userID>|<connID>  user_identity/<userID>|<connID>  connector/<id>  openid-connect-keys
 *   device_req/<user code>  device_token/<device code>  auth_session/<id>
 *
 * dex lower-cases the `<userID>|<connID>` pair; Ferry keeps its case (user ids are case-sensitive upstream),
 * and because the pair can be ambiguous when an id contains `|`, every stored value carries its full key and
 * reads check it (see envelope.ts).
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
  revoked_token: 'revoked_token/', // Ferry only (token revocation)
  throttle: 'throttle/', // Ferry only (brute-force throttle)
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
    if (pair) return `${kindPrefix(kind)}${pair[0]}|${pair[1]}`;
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
