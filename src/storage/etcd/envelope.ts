/**
 * The value stored under each etcd key: the document with its key and its garbage-collection expiry,
 * `{"key":"…","expiry":<ms since epoch>|null,"doc":{…}}`. Keeping the expiry inside the value (rather than using
 * etcd leases) lets garbage collection honour the injected clock and report exact counts, as the storage contract
 * requires; leases would delete on etcd's clock with no count and cost a lease per auth request.
 */

import { StorageError } from '../../lib/errors.js';

export interface Envelope {
  key: string;
  /** ms since epoch; null = never collected */
  expiry: number | null;
  doc: string;
}

/** The stored text; `doc` is already JSON and is embedded as is. */
export function encodeEnvelope(key: string, doc: string, expiry: Date | null): string {
  return `{"key":${JSON.stringify(key)},"expiry":${expiry ? expiry.getTime() : 'null'},"doc":${doc}}`;
}

export function decodeEnvelope(text: string): Envelope {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new StorageError('etcd storage: a stored value is not JSON', { cause: err });
  }
  const o = v as { key?: unknown; expiry?: unknown; doc?: unknown } | null;
  if (!o || typeof o.key !== 'string' || (o.expiry !== null && typeof o.expiry !== 'number') || typeof o.doc !== 'object' || o.doc === null) {
    throw new StorageError('etcd storage: a stored value is not a Ferry document');
  }
  return { key: o.key, expiry: o.expiry as number | null, doc: JSON.stringify(o.doc) };
}
