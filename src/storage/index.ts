/**
 * Storage: everything Ferry persists, behind one typed contract (re-exports only; no logic here).
 *
 * Flow: callers use `Storage` (./storage.ts) with the entities of ./types.ts. Every backend implements the small
 * generic `DocumentBackend<R>` (./document/backend.ts: native records by kind and key, with an expiry) and comes
 * with a `Format<R>` (one entity codec per kind: dex's representation on that store, JSON for `memory` and for
 * Ferry-only kinds); `createDocumentStorage` (./document/storage.ts) joins them into `Storage`: keys, the keys
 * singleton, garbage collection and the updater rules live there once, for all backends.
 *
 *   config/registry.ts ──open()──▶ memory/ | sqlite/ (| postgres/ | mysql/ …) ──▶ DocumentBackend
 *                                                                     │
 *   server ◀── withStatic{Clients,Passwords,Connectors}(static.ts) ◀── createDocumentStorage ◀┘
 *
 * - sql/ holds the kysely schema, migrations and statements shared by the SQL backends.
 * - conformance/ is the behavioural suite every backend runs (imported by tests only: it loads node:test).
 * - Backends are imported by config/registry.ts alone, from their own folders; they are not re-exported here.
 */

export type * from './types.js';
export type { Storage, StorageDeps, StorageFactory, Updater } from './storage.js';
export { AlreadyExistsError, NotFoundError, ReadOnlyError, StorageError } from '../lib/errors.js';
export { newDeviceCode, newHmacKey, newId, newSecret, newUserCode } from './ids.js';
export { withStaticClients, withStaticConnectors, withStaticPasswords } from './static.js';
export { createDocumentStorage } from './document/storage.js';
export {
  DOCUMENT_KINDS,
  FERRY_ONLY_KINDS,
  type DocumentBackend,
  type DocumentKind,
  type DocumentWrite,
  type EntityFormat,
  type FerryOnlyKind,
  type EntityTypes,
  type Format,
} from './document/backend.js';
export { JSON_CODECS, jsonFormat, sidecarFormat } from './document/json-format.js';
