/**
 * The storage contract (dex v2.45.1 `storage/storage.go` `Storage`), one method per entity and operation.
 *
 * Semantics every implementation keeps (checked by `src/storage/conformance`):
 * - all methods are async;
 * - `get*`, `update*` and `delete*` throw `NotFoundError` when nothing is stored under the key; `find*` answer null
 *   (the lookups whose miss is the common case: the revocation denylist, opaque access tokens);
 * - `create*` throws `AlreadyExistsError` when something is; backend failures throw `StorageError`;
 * - deletes are atomic: of two concurrent deletes of one key exactly one succeeds (the single-use gate for codes);
 * - `update*(key, updater)` reads the current value, calls `updater(old)` and writes the result atomically
 *   (transaction or compare-and-swap, retried on conflict). Therefore:
 *     - the updater may run more than once, so it must be pure and synchronous;
 *     - it must spread `old` and change fields (`{ ...old, lastUsed: now }`), never build a fresh object, so that
 *       fields added later survive;
 *     - throwing inside it aborts the update with that error and writes nothing.
 * - `getKeys`/`updateKeys` treat the keys as a singleton; `getKeys` returns an empty record (no signing key,
 *   `nextRotation` at epoch 0) when none was ever stored, and `updateKeys` passes that record to the updater.
 * - `garbageCollect(now)` deletes expired auth requests, auth codes, device requests, device tokens, auth
 *   sessions (absolute or idle expiry passed), revoked-token entries, opaque access tokens and throttle records, and returns the counts. Nothing else is
 *   ever collected.
 */

import type {
  AuthCode,
  AuthRequest,
  AuthSession,
  Client,
  Connector,
  DeviceRequest,
  DeviceToken,
  GCResult,
  Keys,
  LogoutDelivery,
  OfflineSessions,
  OpaqueAccessToken,
  Password,
  RefreshToken,
  RevokedToken,
  ThrottleState,
  UserIdentity,
} from './types.js';

/** A pure, synchronous function of the old value (see the contract above). */
export type Updater<T> = (old: T) => T;

export interface Storage {
  createAuthRequest(a: AuthRequest): Promise<void>;
  getAuthRequest(id: string): Promise<AuthRequest>;
  updateAuthRequest(id: string, updater: Updater<AuthRequest>): Promise<AuthRequest>;
  deleteAuthRequest(id: string): Promise<void>;

  createAuthCode(c: AuthCode): Promise<void>;
  getAuthCode(id: string): Promise<AuthCode>;
  deleteAuthCode(id: string): Promise<void>;

  createClient(c: Client): Promise<void>;
  getClient(id: string): Promise<Client>;
  updateClient(id: string, updater: Updater<Client>): Promise<Client>;
  deleteClient(id: string): Promise<void>;
  listClients(): Promise<Client[]>;

  createRefresh(r: RefreshToken): Promise<void>;
  getRefresh(id: string): Promise<RefreshToken>;
  /**
   * `expected`, when given, is the token as the caller last read it (from `getRefresh`): a backend may first try a
   * compare-and-swap against it and save a read. The updater still sees the current value in every case.
   */
  updateRefreshToken(id: string, updater: Updater<RefreshToken>, expected?: RefreshToken): Promise<RefreshToken>;
  /**
   * `getRefresh` and, read with it where the store can do both in one round trip (SQL), the OfflineSessions of the
   * token's user and connector (null: there is none). `sessions` is undefined when the store did not read them:
   * call `getOfflineConnectorData` or `getOfflineSessions` if they are needed.
   */
  getRefreshWithSessions(id: string): Promise<{ token: RefreshToken; sessions?: OfflineSessions | null }>;
  deleteRefresh(id: string): Promise<void>;
  listRefreshTokens(): Promise<RefreshToken[]>;

  /** Keyed by lower-cased email: `getPassword('JANE@x')` finds `jane@x`. */
  createPassword(p: Password): Promise<void>;
  getPassword(email: string): Promise<Password>;
  updatePassword(email: string, updater: Updater<Password>): Promise<Password>;
  deletePassword(email: string): Promise<void>;
  listPasswords(): Promise<Password[]>;

  createOfflineSessions(s: OfflineSessions): Promise<void>;
  getOfflineSessions(userId: string, connId: string): Promise<OfflineSessions>;
  /**
   * `getOfflineSessions(userId, connId).connectorData` alone, read without the record's refresh-token references
   * where the store can read one column (SQL): what the refresh grant needs. Throws `NotFoundError`.
   */
  getOfflineConnectorData(userId: string, connId: string): Promise<Uint8Array | null>;
  /** `expected`: as for `updateRefreshToken` (the copy `getRefreshWithSessions` handed out). */
  updateOfflineSessions(userId: string, connId: string, updater: Updater<OfflineSessions>, expected?: OfflineSessions): Promise<OfflineSessions>;
  deleteOfflineSessions(userId: string, connId: string): Promise<void>;

  createConnector(c: Connector): Promise<void>;
  getConnector(id: string): Promise<Connector>;
  updateConnector(id: string, updater: Updater<Connector>): Promise<Connector>;
  deleteConnector(id: string): Promise<void>;
  listConnectors(): Promise<Connector[]>;

  getKeys(): Promise<Keys>;
  updateKeys(updater: Updater<Keys>): Promise<Keys>;

  createDeviceRequest(d: DeviceRequest): Promise<void>;
  getDeviceRequest(userCode: string): Promise<DeviceRequest>;

  createDeviceToken(t: DeviceToken): Promise<void>;
  getDeviceToken(deviceCode: string): Promise<DeviceToken>;
  updateDeviceToken(deviceCode: string, updater: Updater<DeviceToken>): Promise<DeviceToken>;

  /** Revoked access tokens by `jti` (RFC 7009); `create` throws `AlreadyExistsError` when already revoked. */
  createRevokedToken(t: RevokedToken): Promise<void>;
  /**
   * The entries stored under any of `jtis` (each once, in no order; missing ones are left out). A token check asks
   * for two keys, its `jti` and its grant: one read on the SQL stores.
   */
  findRevokedTokens(jtis: readonly string[]): Promise<RevokedToken[]>;

  /** Ferry only: opaque access tokens by the hash of their value; `create` throws `AlreadyExistsError` on a clash. */
  createAccessToken(t: OpaqueAccessToken): Promise<void>;
  findAccessToken(id: string): Promise<OpaqueAccessToken | null>;
  deleteAccessToken(id: string): Promise<void>;
  /** Ferry only: failed-attempt records of the throttle (`src/server/throttle`), by opaque key. */
  createThrottle(t: ThrottleState): Promise<void>;
  getThrottle(key: string): Promise<ThrottleState>;
  updateThrottle(key: string, updater: Updater<ThrottleState>): Promise<ThrottleState>;
  deleteThrottle(key: string): Promise<void>;

  /** Ferry only: the back-channel logout outbox (`src/server/backchannel`), by random id. */
  createLogoutDelivery(d: LogoutDelivery): Promise<void>;
  getLogoutDelivery(id: string): Promise<LogoutDelivery>;
  updateLogoutDelivery(id: string, updater: Updater<LogoutDelivery>): Promise<LogoutDelivery>;
  deleteLogoutDelivery(id: string): Promise<void>;
  listLogoutDeliveries(): Promise<LogoutDelivery[]>;

  createUserIdentity(u: UserIdentity): Promise<void>;
  getUserIdentity(userId: string, connectorId: string): Promise<UserIdentity>;
  updateUserIdentity(userId: string, connectorId: string, updater: Updater<UserIdentity>): Promise<UserIdentity>;
  deleteUserIdentity(userId: string, connectorId: string): Promise<void>;
  listUserIdentities(): Promise<UserIdentity[]>;

  createAuthSession(s: AuthSession): Promise<void>;
  getAuthSession(id: string): Promise<AuthSession>;
  updateAuthSession(id: string, updater: Updater<AuthSession>): Promise<AuthSession>;
  deleteAuthSession(id: string): Promise<void>;
  listAuthSessions(): Promise<AuthSession[]>;

  garbageCollect(now: Date): Promise<GCResult>;
  /** Cheap round trip used by health checks; throws `StorageError` when the store is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Dependencies a storage backend may use. */
export interface StorageDeps {
  logger: import('../lib/logger.js').Logger;
  now: () => Date;
}

/**
 * One per backend type (`memory`, `sqlite3`, ...), registered in `src/config/registry.ts`.
 * `parseConfig` validates the raw (env-expanded) `storage.config` and throws `ConfigError` naming the key path
 * under `path` (e.g. `storage.config.file`); `strict` (dex `DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS`) makes unknown keys
 * errors too. Drivers are imported lazily inside `open`.
 */
export interface StorageFactory<C = unknown> {
  type: string;
  parseConfig(raw: unknown, path: string, strict?: boolean): C;
  open(config: C, deps: StorageDeps): Promise<Storage>;
}
