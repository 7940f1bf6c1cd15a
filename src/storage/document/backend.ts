/**
 * The backend contract every storage implementation provides, and the formats that map Ferry's entities onto it.
 *
 * Two pieces, one per concern:
 * - a `DocumentBackend<R>` stores records of its own native type `R` by `(kind, key)` with an optional expiry. `R`
 *   is whatever the store holds natively: JSON text for `memory`, a row of one of dex's tables for the SQL stores,
 *   a dex-shaped JSON value for etcd or a custom resource for Kubernetes. The backend knows where each kind lives
 *   and how to read, write, lock and collect it; it knows nothing of entity fields;
 * - a `Format<R>` holds ONE `EntityFormat<T, R>` per kind (`FORMAT_KINDS`): the typed entity <-> `R`, its key and
 *   its expiry. A format is where a store's representation (dex's columns, field names, encodings) lives.
 * `createDocumentStorage(backend, format)` (./storage.ts) joins the two into the typed `Storage`, so keys,
 * encoding, the keys singleton and garbage collection are written once for every backend, and one conformance
 * suite (`src/storage/conformance`) checks them all.
 *
 * Ferry-only kinds (dex has no place for them: `FERRY_ONLY_KINDS`, and any kind added later) need no
 * per-backend work: `sidecarFormat(codec, wrap, unwrap)` (./json-format.ts) turns the kind's JSON codec into an
 * `EntityFormat` whose record is the JSON text wrapped as the backend likes, and the backend stores it under a name
 * dex never reads (SQL: the table `ferry_document(kind, id, doc, expiry)`). Ferry-only FIELDS of dex's kinds are
 * the format's business: it keeps them beside dex's data (SQL: a `ferry_ext` column dex never selects), never in a
 * shape dex cannot read.
 *
 * Rules for a backend (checked by `src/storage/conformance` through the facade):
 * - `create` throws `AlreadyExistsError` when the key is taken; `get`, `update` and `delete` throw `NotFoundError`
 *   when it is not; `find` answers null instead (no error built on a miss: the hot revocation checks miss);
 * - `update` is an atomic read-modify-write: `fn` receives the stored record and returns the replacement. `fn` is
 *   synchronous, may run more than once (compare-and-swap retries) and may throw to abort: then nothing is written
 *   and that error propagates unchanged. Mixed fleets (dex and Ferry on one store) rely on the backend using the
 *   same locking discipline as dex's own backend for that store;
 * - `delete` is atomic: of two concurrent deletes of one key exactly one succeeds;
 * - `deleteExpired(kind, now)` removes the records of that kind whose expiry is strictly before `now` and returns
 *   how many; records stored with a null expiry are never removed;
 * - records handed out are the backend's own copies: mutating one changes nothing stored;
 * - driver failures surface as `StorageError` with the driver error as `cause` (never in the message).
 */

import type {
  AuthCode,
  AuthRequest,
  AuthSession,
  Client,
  Connector,
  DeviceRequest,
  DeviceToken,
  Keys,
  LogoutDelivery,
  OfflineSessions,
  OpaqueAccessToken,
  Password,
  RefreshToken,
  RevokedToken,
  ThrottleState,
  UserIdentity,
} from '../types.js';

/** The entity type stored under each kind. */
export interface EntityTypes {
  client: Client;
  auth_request: AuthRequest;
  auth_code: AuthCode;
  refresh_token: RefreshToken;
  password: Password;
  offline_session: OfflineSessions;
  connector: Connector;
  keys: Keys;
  device_request: DeviceRequest;
  device_token: DeviceToken;
  user_identity: UserIdentity;
  auth_session: AuthSession;
  revoked_token: RevokedToken;
  throttle: ThrottleState;
  logout_delivery: LogoutDelivery;
  access_token: OpaqueAccessToken;
}

/** Entity kinds; also the key prefixes / row discriminators backends use. */
export type DocumentKind = keyof EntityTypes;

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
  'logout_delivery',
  'access_token',
]);

/**
 * Kinds dex v2.45.1 has no storage for. Revoked tokens, opaque access tokens, throttle records and the logout outbox
 * are Ferry's alone; user identities and auth sessions exist only on dex's master branch, whose SQL migrations create their tables without `if not exists`, so a store
 * where Ferry had created them could not be upgraded to that dex later: they stay in the sidecar.
 */
export const FERRY_ONLY_KINDS = Object.freeze([
  'revoked_token',
  'throttle',
  'user_identity',
  'auth_session',
  'logout_delivery',
  'access_token',
] as const);
export type FerryOnlyKind = (typeof FERRY_ONLY_KINDS)[number];

/** Fields read alone by `DocumentBackend.getPart`: `connectorData` of OfflineSessions (the refresh grant's read). */
export type RecordPart = 'connectorData';

/** What an update function returns: the new native record and its expiry (null = never collected). */
export interface DocumentWrite<R = string> {
  doc: R;
  expiry: Date | null;
}

export interface DocumentBackend<R = string> {
  /** Stores a new record. Throws `AlreadyExistsError` if `(kind, key)` is taken. */
  create(kind: DocumentKind, key: string, doc: R, expiry: Date | null): Promise<void>;
  /** The stored record. Throws `NotFoundError`. */
  get(kind: DocumentKind, key: string): Promise<R>;
  /** The stored record, or null when there is none. */
  find(kind: DocumentKind, key: string): Promise<R | null>;
  /**
   * Optional, for backends that can read several keys in fewer operations than one `find` each: the records stored
   * under any of `keys` (distinct), in no particular order; missing keys are left out. The facade falls back to
   * one `find` per key where it is absent.
   */
  findMany?(kind: DocumentKind, keys: readonly string[]): Promise<R[]>;
  /**
   * Atomic read-modify-write; returns the written record. Throws `NotFoundError`, or whatever `fn` throws.
   * `hint` is the record as the caller last read it: a backend whose reads cost a round trip may first try
   * `fn(hint)` as a compare-and-swap against it, and fall back to reading when the stored record differs.
   */
  update(kind: DocumentKind, key: string, fn: (old: R) => DocumentWrite<R>, hint?: R): Promise<R>;
  /**
   * Optional, for backends whose reads cost a round trip: `get(kind, key)` and, in the same read, the record of
   * `linked` that the stored record points at (SQL: a join; null when there is none). Only for pairs the backend
   * declares (SQL: `TableSpec.links`); the facade falls back to separate reads where it is absent.
   */
  getLinked?(kind: DocumentKind, key: string, linked: DocumentKind): Promise<{ record: R; linked: R | null }>;
  /**
   * Optional: `get(kind, key)` reading only the fields of `part` (SQL: those columns and the key), for a hot read of
   * one field of a large record. The other fields are absent and decode as their defaults. Only for parts the
   * backend declares (SQL: `TableSpec.parts`); the facade falls back to `get` where it is absent.
   */
  getPart?(kind: DocumentKind, key: string, part: RecordPart): Promise<R>;
  /** Atomic delete. Throws `NotFoundError` when nothing is stored. */
  delete(kind: DocumentKind, key: string): Promise<void>;
  /** Every record of a kind, in no particular order. */
  list(kind: DocumentKind): Promise<R[]>;
  /** Deletes records with `expiry < now`; returns the count. */
  deleteExpired(kind: DocumentKind, now: Date): Promise<number>;
  /** A cheap round trip; throws `StorageError` when the store is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How one kind is represented in a backend's native record `R`. `decode` never throws on missing fields. */
export interface EntityFormat<T, R> {
  kind: DocumentKind;
  /** The key the entity is stored under (what `get`/`update`/`delete` are called with). */
  key(value: T): string;
  /** When garbage collection may remove it (null = never). */
  expiry(value: T): Date | null;
  encode(value: T): R;
  decode(record: R): T;
}

/** One entity format per kind: a store's whole representation. */
export type Format<R> = { readonly [K in DocumentKind]: EntityFormat<EntityTypes[K], R> };
