/**
 * The JSON format: every kind as the JSON text of its codec (./codecs.ts, ./account-codecs.ts). The `memory`
 * store uses it whole; every other store uses `sidecarFormat` for the kinds dex has no place for, so adding a
 * Ferry-only kind takes only a JSON codec here.
 */

import { StorageError } from '../../lib/errors.js';
import type { DocumentKind, EntityFormat, EntityTypes, Format } from './backend.js';
import type { EntityCodec } from './entity-codec.js';
import {
  accessTokenCodec,
  authCodeCodec,
  authRequestCodec,
  clientCodec,
  deviceRequestCodec,
  deviceTokenCodec,
  logoutDeliveryCodec,
  offlineSessionsCodec,
  refreshTokenCodec,
  revokedTokenCodec,
  throttleCodec,
} from './codecs.js';
import { authSessionCodec, connectorCodec, keysCodec, passwordCodec, userIdentityCodec } from './account-codecs.js';

/** The JSON codec of every kind. */
export const JSON_CODECS: { readonly [K in DocumentKind]: EntityCodec<EntityTypes[K]> } = {
  client: clientCodec,
  auth_request: authRequestCodec,
  auth_code: authCodeCodec,
  refresh_token: refreshTokenCodec,
  password: passwordCodec,
  offline_session: offlineSessionsCodec,
  connector: connectorCodec,
  keys: keysCodec,
  device_request: deviceRequestCodec,
  device_token: deviceTokenCodec,
  user_identity: userIdentityCodec,
  auth_session: authSessionCodec,
  revoked_token: revokedTokenCodec,
  throttle: throttleCodec,
  logout_delivery: logoutDeliveryCodec,
  access_token: accessTokenCodec,
};

/** The JSON text of `value`. */
export const toJson = <T>(c: EntityCodec<T>, value: T): string => JSON.stringify(c.field.enc(value));

/** Decodes JSON text; text that is not JSON is a `StorageError` (missing fields take their defaults). */
export function fromJson<T>(c: EntityCodec<T>, doc: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(doc);
  } catch (err) {
    throw new StorageError(`storage: decode ${c.kind}: stored document is not valid JSON`, { cause: err });
  }
  return c.field.dec(raw);
}

/**
 * The format of a kind stored as its JSON text inside a backend record: `wrap` puts the text into the record,
 * `unwrap` takes it out (both identity for a backend whose record is the text itself).
 */
export function sidecarFormat<T, R>(codec: EntityCodec<T>, wrap: (json: string) => R, unwrap: (record: R) => string): EntityFormat<T, R> {
  return {
    kind: codec.kind,
    key: codec.key,
    expiry: codec.expiry,
    encode: (value) => wrap(toJson(codec, value)),
    decode: (record) => fromJson(codec, unwrap(record)),
  };
}

const same = (s: string): string => s;
const jsonEntity = <K extends DocumentKind>(kind: K): EntityFormat<EntityTypes[K], string> =>
  sidecarFormat<EntityTypes[K], string>(JSON_CODECS[kind], same, same);

/** Every kind as JSON text (the `memory` store's format). */
export const jsonFormat: Format<string> = {
  client: jsonEntity('client'),
  auth_request: jsonEntity('auth_request'),
  auth_code: jsonEntity('auth_code'),
  refresh_token: jsonEntity('refresh_token'),
  password: jsonEntity('password'),
  offline_session: jsonEntity('offline_session'),
  connector: jsonEntity('connector'),
  keys: jsonEntity('keys'),
  device_request: jsonEntity('device_request'),
  device_token: jsonEntity('device_token'),
  user_identity: jsonEntity('user_identity'),
  auth_session: jsonEntity('auth_session'),
  revoked_token: jsonEntity('revoked_token'),
  throttle: jsonEntity('throttle'),
  logout_delivery: jsonEntity('logout_delivery'),
  access_token: jsonEntity('access_token'),
};
