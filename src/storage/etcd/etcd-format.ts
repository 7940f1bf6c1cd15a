/**
 * etcd's `Format`: each kind dex has is stored as the JSON value dex writes (dex-etcd-flow.ts,
 * dex-etcd-account.ts; user identities and auth sessions as dex HEAD writes them); revoked tokens, which only
 * Ferry has, as Ferry's JSON document (the generic sidecar) under `ferry/` (keys.ts). The record type is the
 * value's text, exactly what etcd holds. Keys and expiries are the facade's (the JSON codecs').
 */

import { StorageError } from '../../lib/errors.js';
import type { DocumentKind, EntityFormat, EntityTypes, Format } from '../document/backend.js';
import { JSON_CODECS, sidecarFormat } from '../document/json-format.js';
import { etcdAuthSession, etcdConnector, etcdKeys, etcdPassword, etcdUserIdentity } from './dex-etcd-account.js';
import {
  etcdAuthCode,
  etcdAuthRequest,
  etcdClient,
  type EtcdCodec,
  etcdDeviceRequest,
  etcdDeviceToken,
  etcdOfflineSessions,
  etcdRefreshToken,
} from './dex-etcd-flow.js';

function parse(kind: DocumentKind, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new StorageError(`etcd storage: a stored ${kind} value is not JSON`, { cause: err });
  }
}

function dex<K extends DocumentKind>(kind: K, codec: EtcdCodec<EntityTypes[K]>): EntityFormat<EntityTypes[K], string> {
  const base = JSON_CODECS[kind];
  return {
    kind,
    key: base.key,
    expiry: base.expiry,
    encode: (value) => JSON.stringify(codec.encode(value)),
    decode: (text) => codec.decode(parse(kind, text)),
  };
}

const same = (s: string): string => s;

export const etcdFormat: Format<string> = {
  client: dex('client', etcdClient),
  auth_request: dex('auth_request', etcdAuthRequest),
  auth_code: dex('auth_code', etcdAuthCode),
  refresh_token: dex('refresh_token', etcdRefreshToken),
  password: dex('password', etcdPassword),
  offline_session: dex('offline_session', etcdOfflineSessions),
  connector: dex('connector', etcdConnector),
  keys: dex('keys', etcdKeys),
  device_request: dex('device_request', etcdDeviceRequest),
  device_token: dex('device_token', etcdDeviceToken),
  user_identity: dex('user_identity', etcdUserIdentity),
  auth_session: dex('auth_session', etcdAuthSession),
  revoked_token: sidecarFormat(JSON_CODECS.revoked_token, same, same),
  throttle: sidecarFormat(JSON_CODECS.throttle, same, same),
  logout_delivery: sidecarFormat(JSON_CODECS.logout_delivery, same, same),
  access_token: sidecarFormat(JSON_CODECS.access_token, same, same),
};

/** What a backend needs to know of a stored record: its facade key (collision check) and its expiry (GC). */
export type Identify<R> = (kind: DocumentKind, record: R) => { key: string; expiry: Date | null };

/** `Identify` from a format: decode the record, then ask the kind's format. */
export function identifyBy<R>(format: Format<R>): Identify<R> {
  return (kind, record) => {
    const f = format[kind] as EntityFormat<unknown, R>;
    const value = f.decode(record);
    return { key: f.key(value), expiry: f.expiry(value) };
  };
}
