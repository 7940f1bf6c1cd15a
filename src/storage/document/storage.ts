/**
 * `createDocumentStorage(backend, format)`: the typed `Storage` contract on top of a `DocumentBackend<R>` and the
 * `Format<R>` that represents each kind in it (./backend.ts). Every backend shares this one implementation of keys,
 * the keys singleton and garbage collection.
 *
 * Two rules live here rather than in each backend:
 * - each call waits one microtask before touching the backend, so a storage call made from inside an updater
 *   runs after the enclosing update has written, never nested inside it (no lost writes, transactions suite);
 * - the updater's result is validated (synchronous, same key) and encoded inside the backend's atomic
 *   read-modify-write, so throwing in the updater writes nothing.
 */

import { AlreadyExistsError, NotFoundError } from '../../lib/errors.js';
import type { GCResult, Keys } from '../types.js';
import type { Storage, Updater } from '../storage.js';
import type { DocumentBackend, EntityFormat, Format } from './backend.js';
import { compositeKey, emptyKeys, KEYS_KEY, passwordKey } from './entity-codec.js';
import { jsonFormat } from './json-format.js';

const turn = (): Promise<void> => Promise.resolve();

/**
 * Builds the typed storage over `backend`, representing each kind as `format` says (default: JSON text, for
 * backends whose record is a string). `close()` closes the backend.
 */
export function createDocumentStorage<R = string>(backend: DocumentBackend<R>, format?: Format<R>): Storage {
  const f = format ?? (jsonFormat as unknown as Format<R>);
  const {
    access_token: accessToken,
    auth_code: authCode,
    auth_request: authRequest,
    auth_session: authSession,
    client,
    connector,
    device_request: deviceRequest,
    device_token: deviceToken,
    keys,
    logout_delivery: logoutDelivery,
    offline_session: offlineSessions,
    password,
    refresh_token: refreshToken,
    revoked_token: revokedToken,
    throttle,
    user_identity: userIdentity,
  } = f;
  /** The record each entity handed out was decoded from: the compare-and-swap hint for `expected` updates. */
  const source = new WeakMap<object, R>();
  const decodeRemembered = <T>(c: EntityFormat<T, R>, record: R): T => {
    const value = c.decode(record);
    if (typeof value === 'object' && value !== null) source.set(value, record);
    return value;
  };

  const create = async <T>(c: EntityFormat<T, R>, value: T): Promise<void> => {
    await turn();
    await backend.create(c.kind, c.key(value), c.encode(value), c.expiry(value));
  };

  const get = async <T>(c: EntityFormat<T, R>, key: string): Promise<T> => {
    await turn();
    return decodeRemembered(c, await backend.get(c.kind, key));
  };

  /** `get` without the error: null when nothing is stored (no `NotFoundError` built on the miss). */
  const find = async <T>(c: EntityFormat<T, R>, key: string): Promise<T | null> => {
    await turn();
    const record = await backend.find(c.kind, key);
    return record === null ? null : c.decode(record);
  };

  /** Every entity stored under one of `keys`: one `findMany` where the backend has it, else one `find` per key. */
  const findMany = async <T>(c: EntityFormat<T, R>, keys: readonly string[]): Promise<T[]> => {
    const distinct = [...new Set(keys)];
    if (distinct.length === 0) return [];
    await turn();
    const records = backend.findMany
      ? await backend.findMany(c.kind, distinct)
      : (await Promise.all(distinct.map((k) => backend.find(c.kind, k)))).filter((r): r is Awaited<R> => r !== null);
    return records.map((r) => c.decode(r));
  };

  /** The refresh token and its OfflineSessions in one read where the backend can join them. */
  const getRefreshWithSessions = async (id: string) => {
    if (backend.getLinked === undefined) return { token: await get(refreshToken, id) };
    await turn();
    const { record, linked } = await backend.getLinked(refreshToken.kind, id, offlineSessions.kind);
    return { token: decodeRemembered(refreshToken, record), sessions: linked === null ? null : decodeRemembered(offlineSessions, linked) };
  };

  /** Only the connector data of an OfflineSessions record (its refresh map can hold hundreds of references). */
  const getOfflineConnectorData = async (userId: string, connId: string): Promise<Uint8Array | null> => {
    const key = compositeKey(userId, connId);
    if (backend.getPart === undefined) return (await get(offlineSessions, key)).connectorData;
    await turn();
    return offlineSessions.decode(await backend.getPart(offlineSessions.kind, key, 'connectorData')).connectorData;
  };

  const list = async <T>(c: EntityFormat<T, R>): Promise<T[]> => {
    await turn();
    return (await backend.list(c.kind)).map((record) => c.decode(record));
  };

  const remove = async <T>(c: EntityFormat<T, R>, key: string): Promise<void> => {
    await turn();
    await backend.delete(c.kind, key);
  };

  /** `onRun` tells `updateKeys` whether a NotFoundError came from the store or from the updater. */
  const update = async <T>(c: EntityFormat<T, R>, key: string, updater: Updater<T>, onRun?: () => void, expected?: T): Promise<T> => {
    await turn();
    const hint = typeof expected === 'object' && expected !== null ? source.get(expected) : undefined;
    const record = await backend.update(c.kind, key, (old) => {
      onRun?.();
      const next = updater(c.decode(old));
      if (typeof (next as { then?: unknown } | null)?.then === 'function') {
        throw new TypeError(`storage: update ${c.kind}: the updater must be synchronous`);
      }
      if (c.key(next) !== key) throw new TypeError(`storage: update ${c.kind}: the updater must not change the key`);
      return { doc: c.encode(next), expiry: c.expiry(next) };
    }, hint);
    return decodeRemembered(c, record);
  };

  /** Keys are a singleton: absent reads as the empty record, and the first update creates it. */
  const updateKeys = async (updater: Updater<Keys>): Promise<Keys> => {
    for (;;) {
      let ran = false;
      try {
        return await update(keys, KEYS_KEY, updater, () => (ran = true));
      } catch (err) {
        if (ran || !(err instanceof NotFoundError)) throw err;
      }
      const first = updater(emptyKeys());
      try {
        await create(keys, first);
        return keys.decode(keys.encode(first));
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
    }
  };

  const getKeys = async (): Promise<Keys> => {
    try {
      return await get(keys, KEYS_KEY);
    } catch (err) {
      if (err instanceof NotFoundError) return emptyKeys();
      throw err;
    }
  };

  const garbageCollect = async (now: Date): Promise<GCResult> => {
    await turn();
    return {
      authRequests: await backend.deleteExpired(authRequest.kind, now),
      authCodes: await backend.deleteExpired(authCode.kind, now),
      deviceRequests: await backend.deleteExpired(deviceRequest.kind, now),
      deviceTokens: await backend.deleteExpired(deviceToken.kind, now),
      authSessions: await backend.deleteExpired(authSession.kind, now),
      revokedTokens: await backend.deleteExpired(revokedToken.kind, now),
      throttles: await backend.deleteExpired(throttle.kind, now),
      accessTokens: await backend.deleteExpired(accessToken.kind, now),
    };
  };

  return {
    createAuthRequest: (a) => create(authRequest, a),
    getAuthRequest: (id) => get(authRequest, id),
    updateAuthRequest: (id, fn) => update(authRequest, id, fn),
    deleteAuthRequest: (id) => remove(authRequest, id),

    createAuthCode: (c) => create(authCode, c),
    getAuthCode: (id) => get(authCode, id),
    deleteAuthCode: (id) => remove(authCode, id),

    createClient: (c) => create(client, c),
    getClient: (id) => get(client, id),
    updateClient: (id, fn) => update(client, id, fn),
    deleteClient: (id) => remove(client, id),
    listClients: () => list(client),

    createRefresh: (r) => create(refreshToken, r),
    getRefresh: (id) => get(refreshToken, id),
    getRefreshWithSessions,
    updateRefreshToken: (id, fn, expected) => update(refreshToken, id, fn, undefined, expected),
    deleteRefresh: (id) => remove(refreshToken, id),
    listRefreshTokens: () => list(refreshToken),

    createPassword: (p) => create(password, p),
    getPassword: (email) => get(password, passwordKey(email)),
    updatePassword: (email, fn) => update(password, passwordKey(email), fn),
    deletePassword: (email) => remove(password, passwordKey(email)),
    listPasswords: () => list(password),

    createOfflineSessions: (s) => create(offlineSessions, s),
    getOfflineSessions: (userId, connId) => get(offlineSessions, compositeKey(userId, connId)),
    getOfflineConnectorData,
    updateOfflineSessions: (userId, connId, fn, expected) => update(offlineSessions, compositeKey(userId, connId), fn, undefined, expected),
    deleteOfflineSessions: (userId, connId) => remove(offlineSessions, compositeKey(userId, connId)),

    createConnector: (c) => create(connector, c),
    getConnector: (id) => get(connector, id),
    updateConnector: (id, fn) => update(connector, id, fn),
    deleteConnector: (id) => remove(connector, id),
    listConnectors: () => list(connector),

    getKeys,
    updateKeys,

    createDeviceRequest: (d) => create(deviceRequest, d),
    getDeviceRequest: (userCode) => get(deviceRequest, userCode),

    createDeviceToken: (t) => create(deviceToken, t),
    getDeviceToken: (deviceCode) => get(deviceToken, deviceCode),
    updateDeviceToken: (deviceCode, fn) => update(deviceToken, deviceCode, fn),

    createRevokedToken: (t) => create(revokedToken, t),
    findRevokedTokens: (jtis) => findMany(revokedToken, jtis),

    createAccessToken: (t) => create(accessToken, t),
    findAccessToken: (id) => find(accessToken, id),
    deleteAccessToken: (id) => remove(accessToken, id),
    createThrottle: (t) => create(throttle, t),
    getThrottle: (key) => get(throttle, key),
    updateThrottle: (key, fn) => update(throttle, key, fn),
    deleteThrottle: (key) => remove(throttle, key),

    createLogoutDelivery: (d) => create(logoutDelivery, d),
    getLogoutDelivery: (id) => get(logoutDelivery, id),
    updateLogoutDelivery: (id, fn) => update(logoutDelivery, id, fn),
    deleteLogoutDelivery: (id) => remove(logoutDelivery, id),
    listLogoutDeliveries: () => list(logoutDelivery),

    createUserIdentity: (u) => create(userIdentity, u),
    getUserIdentity: (userId, connectorId) => get(userIdentity, compositeKey(userId, connectorId)),
    updateUserIdentity: (userId, connectorId, fn) => update(userIdentity, compositeKey(userId, connectorId), fn),
    deleteUserIdentity: (userId, connectorId) => remove(userIdentity, compositeKey(userId, connectorId)),
    listUserIdentities: () => list(userIdentity),

    createAuthSession: (s) => create(authSession, s),
    getAuthSession: (id) => get(authSession, id),
    updateAuthSession: (id, fn) => update(authSession, id, fn),
    deleteAuthSession: (id) => remove(authSession, id),
    listAuthSessions: () => list(authSession),

    garbageCollect,
    ping: async () => backend.ping(),
    close: async () => backend.close(),
  };
}
