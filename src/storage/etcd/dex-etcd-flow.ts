/**
 * The auth-flow entities as dex stores them in etcd: the JSON of dex v2.45.1 storage/etcd/types.go, field by
 * field from the shared tables (`../dex-format/flow-tables.ts`, which also give the Kubernetes names), at dex's
 * keys (storage/etcd/etcd.go).
 */

import * as flow from '../dex-format/flow-tables.js';
import { type FieldTable, type TableCodec, tableCodec } from '../dex-format/table.js';
import type { AuthCode, AuthRequest, Client, DeviceRequest, DeviceToken, OfflineSessions, RefreshToken } from '../types.js';

/** One entity kind in dex's etcd layout: its key (without the namespace) and its JSON value. */
export interface EtcdCodec<T> extends TableCodec<T> {
  key(value: T): string;
}

/** The etcd codec of a field table, stored under `key`. */
export function etcdCodec<T>(fields: FieldTable, key: (value: T) => string): EtcdCodec<T> {
  return { key, ...tableCodec<T>(fields, 'etcd') };
}

/** dex lower-cases the `userID|connID` pair of offline sessions (and HEAD of user identities). */
export const pairKey = (prefix: string, userId: string, connectorId: string): string =>
  prefix + `${userId}|${connectorId}`.toLowerCase();

export const etcdClient = etcdCodec<Client>(flow.CLIENT_FIELDS, (c) => `client/${c.id}`);
export const etcdAuthRequest = etcdCodec<AuthRequest>(flow.AUTH_REQUEST_FIELDS, (a) => `auth_req/${a.id}`);
export const etcdAuthCode = etcdCodec<AuthCode>(flow.AUTH_CODE_FIELDS, (c) => `auth_code/${c.id}`);
export const etcdRefreshToken = etcdCodec<RefreshToken>(flow.REFRESH_TOKEN_FIELDS, (r) => `refresh_token/${r.id}`);
export const etcdOfflineSessions = etcdCodec<OfflineSessions>(flow.OFFLINE_SESSIONS_FIELDS, (s) => pairKey('offline_session/', s.userId, s.connId));
/** Keyed by user code. */
export const etcdDeviceRequest = etcdCodec<DeviceRequest>(flow.DEVICE_REQUEST_FIELDS, (d) => `device_req/${d.userCode}`);
/** Keyed by device code. */
export const etcdDeviceToken = etcdCodec<DeviceToken>(flow.DEVICE_TOKEN_FIELDS, (t) => `device_token/${t.deviceCode}`);
