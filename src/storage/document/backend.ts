/**
 * The generic document backend every storage implementation provides. A backend stores opaque JSON documents
 * by `(kind, key)` with an optional expiry; `createDocumentStorage` (./storage.ts) turns one into the typed
 * `Storage` contract, so a new backend is ~100 lines and cannot get entity encoding wrong.
 *
 * Rules (checked by `src/storage/conformance` through the facade):
 * - `create` throws `AlreadyExistsError` when the key is taken; `get`, `update` and `delete` throw `NotFoundError`
 *   when it is not;
 * - `update` is an atomic read-modify-write: `fn` receives the stored document and returns the replacement. `fn` is
 *   synchronous, may run more than once (compare-and-swap retries) and may throw to abort: then nothing is written
 *   and that error propagates unchanged;
 * - `delete` is atomic: of two concurrent deletes of one key exactly one succeeds;
 * - `deleteExpired(kind, now)` removes the documents of that kind whose expiry is strictly before `now` and
 *   returns how many; documents stored with a null expiry are never removed;
 * - driver failures surface as `StorageError` with the driver error as `cause` (never in the message).
 */

/** Entity kinds; also the key prefixes / row discriminators backends use. */
export type DocumentKind =
  | 'client'
  | 'auth_request'
  | 'auth_code'
  | 'refresh_token'
  | 'password'
  | 'offline_session'
  | 'connector'
  | 'keys'
  | 'device_request'
  | 'device_token'
  | 'user_identity'
  | 'auth_session'
  | 'revoked_token'
  | 'throttle';

/** Every kind, in a fixed order (for backends that prepare per-kind resources). */
export const DOCUMENT_KINDS: readonly DocumentKind[] = Object.freeze([
  'client',
  'auth_request',
  'auth_code',
  'refresh_token',
  'password',
  'offline_session',
  'connector',
  'keys',
  'device_request',
  'device_token',
  'user_identity',
  'auth_session',
  'revoked_token',
  'throttle',
]);

/** What an update function returns: the new JSON document and its expiry (null = never collected). */
export interface DocumentWrite {
  doc: string;
  expiry: Date | null;
}

export interface DocumentBackend {
  /** Stores a new document. Throws `AlreadyExistsError` if `(kind, key)` is taken. */
  create(kind: DocumentKind, key: string, doc: string, expiry: Date | null): Promise<void>;
  /** The stored JSON text. Throws `NotFoundError`. */
  get(kind: DocumentKind, key: string): Promise<string>;
  /**
   * Atomic read-modify-write; returns the written document. Throws `NotFoundError`, or whatever `fn` throws.
   * `hint` is the document as the caller last read it: a backend whose reads cost a round trip may first try
   * `fn(hint)` as a compare-and-swap against it, and fall back to reading when the stored document differs.
   */
  update(kind: DocumentKind, key: string, fn: (old: string) => DocumentWrite, hint?: string): Promise<string>;
  /** Atomic delete. Throws `NotFoundError` when nothing is stored. */
  delete(kind: DocumentKind, key: string): Promise<void>;
  /** Every document of a kind, in no particular order. */
  list(kind: DocumentKind): Promise<string[]>;
  /** Deletes documents with `expiry < now`; returns the count. */
  deleteExpired(kind: DocumentKind, now: Date): Promise<number>;
  /** A cheap round trip; throws `StorageError` when the store is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
