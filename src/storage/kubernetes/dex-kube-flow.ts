/**
 * The auth-flow entities as dex stores them in Kubernetes: the object fields of dex v2.45.1
 * storage/kubernetes/types.go, field by field from the shared tables (`../dex-format/flow-tables.ts`, which also
 * give the etcd names), named as dex names them (storage/kubernetes/storage.go): clients by dex's `idToName` of
 * the id, offline sessions by `offlineTokenName`, device requests by the lower-cased user code, everything else
 * by its id. dex's CRDs preserve unknown fields and Go ignores them, so dex reads every object Ferry writes.
 */

import * as flow from '../dex-format/flow-tables.js';
import { type FieldTable, type TableCodec, tableCodec } from '../dex-format/table.js';
import type { AuthCode, AuthRequest, Client, DeviceRequest, DeviceToken, OfflineSessions, RefreshToken } from '../types.js';
import { idToName, pairName } from './names.js';

/**
 * One entity kind as a dex custom object: its `metadata.name`, its fields (everything but apiVersion, kind and
 * metadata) and the way back from a whole stored object.
 */
export interface KubeCodec<T> extends TableCodec<T> {
  name(value: T): string;
}

/** The Kubernetes codec of a field table, for objects named by `name`. */
export function kubeCodec<T>(fields: FieldTable, name: (value: T) => string): KubeCodec<T> {
  return { name, ...tableCodec<T>(fields, 'kube') };
}

export const kubeClient = kubeCodec<Client>(flow.CLIENT_FIELDS, (c) => idToName(c.id));
export const kubeAuthRequest = kubeCodec<AuthRequest>(flow.AUTH_REQUEST_FIELDS, (a) => a.id);
export const kubeAuthCode = kubeCodec<AuthCode>(flow.AUTH_CODE_FIELDS, (c) => c.id);
export const kubeRefreshToken = kubeCodec<RefreshToken>(flow.REFRESH_TOKEN_FIELDS, (r) => r.id);
/** Named by FNV-64 of userID ‖ connID. */
export const kubeOfflineSessions = kubeCodec<OfflineSessions>(flow.OFFLINE_SESSIONS_FIELDS, (s) => pairName(s.userId, s.connId));
/** Named by the lower-cased user code (dex upper-cases the name back). */
export const kubeDeviceRequest = kubeCodec<DeviceRequest>(flow.DEVICE_REQUEST_FIELDS, (d) => d.userCode.toLowerCase());
export const kubeDeviceToken = kubeCodec<DeviceToken>(flow.DEVICE_TOKEN_FIELDS, (t) => t.deviceCode);
