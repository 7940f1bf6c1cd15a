/**
 * Storage: everything Ferry persists, behind one typed contract (re-exports only; no logic here).
 *
 * Flow: callers use `Storage` (./storage.ts) with the entities of ./types.ts. Every backend implements the small
 * generic `DocumentBackend` (./document/backend.ts: JSON documents by kind and key, with an expiry), and
 * `createDocumentStorage` (./document/storage.ts) turns it into `Storage`: entity codecs and keys, the keys
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
export { DOCUMENT_KINDS, type DocumentBackend, type DocumentKind, type DocumentWrite } from './document/backend.js';
