/**
 * How a document is wrapped in a custom object:
 * `{apiVersion, kind, metadata: {name, namespace, resourceVersion}, key, expiry, document}` where `key` is the Ferry
 * key (checked on every read, since hashed names can collide), `expiry` the garbage-collection instant (RFC 3339,
 * or null) and `document` the entity. dex's CRDs preserve unknown fields, so this shape needs no schema change.
 */

import { StorageError } from '../../lib/errors.js';
import type { DocumentKind } from '../document/backend.js';
import { API_VERSION, resourceFor } from './resources.js';

export interface StoredObject {
  name: string;
  resourceVersion: string;
  key: string;
  /** ms since epoch; null = never collected */
  expiry: number | null;
  doc: string;
}

type Obj = Record<string, unknown>;

export function toObject(kind: DocumentKind, namespace: string, name: string, key: string, doc: string, expiry: Date | null, resourceVersion?: string): Obj {
  const metadata: Obj = { name, namespace };
  if (resourceVersion) metadata.resourceVersion = resourceVersion;
  return {
    apiVersion: API_VERSION,
    kind: resourceFor(kind).kind,
    metadata,
    key,
    expiry: expiry ? expiry.toISOString() : null,
    document: JSON.parse(doc) as unknown,
  };
}

export function fromObject(v: unknown): StoredObject {
  const o = (v ?? {}) as { metadata?: { name?: unknown; resourceVersion?: unknown }; key?: unknown; expiry?: unknown; document?: unknown };
  const m = o.metadata ?? {};
  const expiry = typeof o.expiry === 'string' ? Date.parse(o.expiry) : null;
  if (typeof m.name !== 'string' || typeof o.key !== 'string' || typeof o.document !== 'object' || o.document === null || Number.isNaN(expiry)) {
    throw new StorageError('kubernetes storage: a stored object is not a Ferry document');
  }
  return {
    name: m.name,
    resourceVersion: typeof m.resourceVersion === 'string' ? m.resourceVersion : '',
    key: o.key,
    expiry,
    doc: JSON.stringify(o.document),
  };
}
