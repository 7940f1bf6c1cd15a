/**
 * Kubernetes' `Format`: each kind dex has is the custom object dex writes (dex-kube-flow.ts, dex-kube-account.ts;
 * user identities and auth sessions as dex HEAD writes them); revoked tokens, which only Ferry has, are Ferry's
 * JSON document inside an object of Ferry's own resource (resources.ts). The record is the whole object; the
 * backend fills in the namespace and, on updates, the stored metadata (resourceVersion, annotations, labels).
 */

import type { DocumentKind, EntityFormat, EntityTypes, Format } from '../document/backend.js';
import { JSON_CODECS, sidecarFormat } from '../document/json-format.js';
import type { JsonObject } from '../etcd/go-json.js';
import { kubeAuthSession, kubeConnector, kubeKeys, kubePassword, kubeUserIdentity } from './dex-kube-account.js';
import {
  kubeAuthCode,
  kubeAuthRequest,
  kubeClient,
  type KubeCodec,
  kubeDeviceRequest,
  kubeDeviceToken,
  kubeOfflineSessions,
  kubeRefreshToken,
} from './dex-kube-flow.js';
import { API_VERSION, resourceFor } from './resources.js';

function dex<K extends DocumentKind>(kind: K, codec: KubeCodec<EntityTypes[K]>): EntityFormat<EntityTypes[K], JsonObject> {
  const base = JSON_CODECS[kind];
  return {
    kind,
    key: base.key,
    expiry: base.expiry,
    encode: (value) => ({ apiVersion: API_VERSION, kind: resourceFor(kind).kind, metadata: { name: codec.name(value) }, ...codec.encode(value) }),
    decode: (object) => codec.decode(object),
  };
}

/** Ferry's own kinds: the JSON document under `document`. */
function sidecar<K extends DocumentKind>(kind: K): EntityFormat<EntityTypes[K], JsonObject> {
  return sidecarFormat<EntityTypes[K], JsonObject>(
    JSON_CODECS[kind],
    (json) => ({ apiVersion: API_VERSION, kind: resourceFor(kind).kind, document: JSON.parse(json) as unknown }),
    (object) => JSON.stringify(object.document ?? {}),
  );
}

export const kubeFormat: Format<JsonObject> = {
  client: dex('client', kubeClient),
  auth_request: dex('auth_request', kubeAuthRequest),
  auth_code: dex('auth_code', kubeAuthCode),
  refresh_token: dex('refresh_token', kubeRefreshToken),
  password: dex('password', kubePassword),
  offline_session: dex('offline_session', kubeOfflineSessions),
  connector: dex('connector', kubeConnector),
  keys: dex('keys', kubeKeys),
  device_request: dex('device_request', kubeDeviceRequest),
  device_token: dex('device_token', kubeDeviceToken),
  user_identity: dex('user_identity', kubeUserIdentity),
  auth_session: dex('auth_session', kubeAuthSession),
  revoked_token: sidecar('revoked_token'),
  throttle: sidecar('throttle'),
  logout_delivery: sidecar('logout_delivery'),
  access_token: sidecar('access_token'),
};
