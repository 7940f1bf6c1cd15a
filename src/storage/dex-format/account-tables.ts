/**
 * The field tables (`table.ts`) of passwords, connectors, the keys singleton, HEAD's user identities and auth
 * sessions, and Ferry's revoked tokens. In etcd, passwords, connectors and keys are dex's `storage.Password`,
 * `storage.Connector` and `storage.Keys` marshalled directly (dex v2.45.1 storage/storage.go): the connector config
 * sits under the JSON name `email` (a dex quirk it keeps for compatibility) and the keys record has no tags. In
 * Kubernetes they are the objects of dex v2.45.1 storage/kubernetes/types.go, where every password field is
 * `omitempty` and the connector config is `config`. User identities and auth sessions follow dex HEAD's types.
 */

import {
  decodeBackupCodes,
  decodeClientState,
  decodeMfaSecret,
  decodeVerificationKeys,
  decodeWebAuthn,
  encodeBackupCodes,
  encodeClientState,
  encodeMfaSecret,
  encodeVerificationKey,
  encodeWebAuthn,
  readJwk,
} from '../etcd/dex-shared.js';
import { asObject, isObject, type JsonObject, readMap, readStr, readStrs } from '../etcd/go-json.js';
import type { AuthSession, VerificationKey } from '../types.js';
import { byName, omitted } from './flow-tables.js';
import type { FieldTable } from './table.js';
import { alwaysEmpty, claims, codec, mapOf, optionalBool, str, strs, textBytes, time, timeOrZero } from './values.js';

/** `Password`; Kubernetes stores (and names it by) the lower-cased email, etcd only keys it so. */
export const PASSWORD_FIELDS: FieldTable = [
  { prop: 'email', value: str, etcd: { name: 'email' }, kube: { name: 'email', omit: 'empty', value: codec((e: string) => e.toLowerCase(), readStr) } },
  { prop: 'hash', value: textBytes, etcd: { name: 'hash' }, kube: omitted('hash') },
  { prop: '', value: alwaysEmpty, etcd: { name: 'hashFromEnv' } },
  { prop: 'username', value: str, etcd: { name: 'username' }, kube: omitted('username') },
  { prop: 'name', value: str, etcd: { name: 'name' }, kube: omitted('name') },
  { prop: 'preferredUsername', value: str, etcd: { name: 'preferredUsername' }, kube: omitted('preferredUsername') },
  // a `*bool` with `omitempty`: nil is left out, false is written
  { prop: 'emailVerified', value: optionalBool, etcd: { name: 'emailVerified', omit: 'null' }, kube: { name: 'emailVerified', omit: 'null' } },
  { prop: 'userId', value: str, etcd: { name: 'userID' }, kube: omitted('userID') },
  { prop: 'groups', value: strs, etcd: { name: 'groups' }, kube: omitted('groups') },
];

/**
 * dex reads a Kubernetes connector's resourceVersion from the object's metadata, which changes on every write;
 * Ferry keeps the value it wrote in `ferry.resourceVersion` and reads it back as long as that object is the one
 * Ferry wrote (a dex update replaces the whole object, dropping `ferry`, and the metadata's value applies again).
 */
const kubeResourceVersion = codec(
  (v: string) => (v ? { resourceVersion: v } : null),
  (raw, whole) => {
    const own = asObject(raw).resourceVersion;
    return typeof own === 'string' ? own : readStr(asObject(whole.metadata).resourceVersion);
  },
);

/** `Connector`: the config bytes under `email` (etcd) or `config` (Kubernetes); HEAD adds `grantTypes`. */
export const CONNECTOR_FIELDS: FieldTable = [
  { prop: 'id', value: str, etcd: { name: 'id' }, kube: omitted('id') },
  { prop: 'type', value: str, etcd: { name: 'type' }, kube: omitted('type') },
  { prop: 'name', value: str, etcd: { name: 'name' }, kube: omitted('name') },
  { prop: 'resourceVersion', value: str, etcd: { name: 'resourceVersion' }, kube: { name: 'ferry', omit: 'empty', value: kubeResourceVersion } },
  { prop: 'config', value: textBytes, etcd: { name: 'email' }, kube: omitted('config') },
  { prop: 'grantTypes', value: strs, etcd: omitted('grantTypes'), kube: omitted('grantTypes') },
];

const jwk = codec((k: unknown) => k, readJwk);
const verificationKeys = codec((l: VerificationKey[]) => l.map(encodeVerificationKey), decodeVerificationKeys);

/** `Keys` (untagged in etcd) / `SigningKey` (Kubernetes). */
export const KEYS_FIELDS: FieldTable = [
  { prop: 'signingKey', value: jwk, etcd: { name: 'SigningKey' }, kube: omitted('signingKey') },
  { prop: 'signingKeyPub', value: jwk, etcd: { name: 'SigningKeyPub' }, kube: omitted('signingKeyPub') },
  { prop: 'verificationKeys', value: verificationKeys, etcd: { name: 'VerificationKeys' }, kube: omitted('verificationKeys') },
  { prop: 'nextRotation', value: time, etcd: { name: 'NextRotation' }, kube: { name: 'nextRotation' } },
];

const backupCodes = codec(encodeBackupCodes, decodeBackupCodes);
const webauthnList = (v: unknown) => (Array.isArray(v) ? v.map(decodeWebAuthn) : []);

/** HEAD `UserIdentity`. */
export const USER_IDENTITY_FIELDS: FieldTable = [
  { prop: 'userId', value: str, etcd: omitted('user_id'), kube: omitted('userID') },
  { prop: 'connectorId', value: str, etcd: omitted('connector_id'), kube: omitted('connectorID') },
  { prop: 'claims', value: claims, etcd: { name: 'claims' }, kube: { name: 'claims' } },
  { prop: 'consents', value: codec((c: unknown) => c, (raw) => readMap(raw, readStrs)), etcd: omitted('consents'), kube: omitted('consents') },
  { prop: 'mfaSecrets', value: mapOf((secret: Parameters<typeof encodeMfaSecret>[1], id) => encodeMfaSecret(id, secret), decodeMfaSecret), etcd: omitted('mfa_secrets'), kube: omitted('mfaSecrets') },
  {
    prop: 'webauthnCredentials',
    value: mapOf((cs: Parameters<typeof encodeWebAuthn>[0][]) => cs.map(encodeWebAuthn), webauthnList),
    etcd: omitted('webauthn_credentials'),
    kube: omitted('webauthnCredentials'),
  },
  { prop: 'createdAt', value: time, etcd: { name: 'created_at' }, kube: { name: 'createdAt' } },
  { prop: 'lastLogin', value: time, etcd: { name: 'last_login' }, kube: { name: 'lastLogin' } },
  { prop: 'blockedUntil', value: timeOrZero, etcd: { name: 'blocked_until' }, kube: { name: 'blockedUntil' } },
  { prop: 'backupCodes', value: backupCodes, etcd: omitted('ferry'), kube: omitted('ferry') },
];

type LogoutState = NonNullable<AuthSession['logoutState']>;

/** HEAD `storage.LogoutState` (untagged). */
export const encodeLogoutState = (l: LogoutState | null): JsonObject | null =>
  l ? { PostLogoutRedirectURI: l.postLogoutRedirectURI, State: l.state, ClientID: l.clientId, ConnectorID: l.connectorId } : null;

export function decodeLogoutState(raw: unknown): LogoutState | null {
  if (!isObject(raw)) return null;
  return { postLogoutRedirectURI: readStr(raw.PostLogoutRedirectURI), state: readStr(raw.State), clientId: readStr(raw.ClientID), connectorId: readStr(raw.ConnectorID) };
}

/** HEAD `AuthSession`. */
export const AUTH_SESSION_FIELDS: FieldTable = [
  { prop: 'id', value: str, etcd: { name: 'id' }, kube: byName() },
  { prop: 'secret', value: str, etcd: omitted('secret'), kube: omitted('secret') },
  { prop: 'userId', value: str, etcd: omitted('user_id'), kube: omitted('userID') },
  { prop: 'connectorId', value: str, etcd: omitted('connector_id'), kube: omitted('connectorID') },
  { prop: 'clientStates', value: mapOf(encodeClientState, decodeClientState), etcd: omitted('client_states'), kube: omitted('clientStates') },
  { prop: 'createdAt', value: time, etcd: { name: 'created_at' }, kube: { name: 'createdAt' } },
  { prop: 'lastActivity', value: time, etcd: { name: 'last_activity' }, kube: { name: 'lastActivity' } },
  { prop: 'ipAddress', value: str, etcd: omitted('ip_address'), kube: omitted('ipAddress') },
  { prop: 'userAgent', value: str, etcd: omitted('user_agent'), kube: omitted('userAgent') },
  { prop: 'absoluteExpiry', value: time, etcd: { name: 'absolute_expiry' }, kube: { name: 'absoluteExpiry' } },
  { prop: 'idleExpiry', value: time, etcd: { name: 'idle_expiry' }, kube: { name: 'idleExpiry' } },
  { prop: 'logoutState', value: codec(encodeLogoutState, decodeLogoutState), etcd: omitted('logout_state'), kube: omitted('logoutState') },
];

/** Ferry's revoked access tokens (RFC 7009), a kind dex does not have. */
export const REVOKED_TOKEN_FIELDS: FieldTable = [
  { prop: 'jti', value: str, etcd: { name: 'jti' }, kube: { name: 'jti' } },
  { prop: 'clientId', value: str, etcd: { name: 'client_id' }, kube: { name: 'clientID' } },
  { prop: 'expiry', value: time, etcd: { name: 'expiry' }, kube: { name: 'expiry' } },
];
