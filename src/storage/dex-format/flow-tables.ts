/**
 * The auth-flow entities' field tables (`table.ts`): each field once, with its name in dex's etcd JSON (dex
 * v2.45.1 storage/etcd/types.go; clients are `storage.Client` marshalled directly, storage/storage.go) and in
 * dex's Kubernetes objects (dex v2.45.1 storage/kubernetes/types.go). Fields only dex HEAD has (sessions, MFA,
 * prompt/max_age) use HEAD's names, which dex v2.45.1 ignores on read; what neither dex has sits in one `ferry`
 * object, also ignored by dex. Rows are in the order etcd values are written.
 */

import { decodeRefreshRef, encodeRefreshRef } from '../etcd/dex-shared.js';
import { asObject, omitEmpty, readStrs } from '../etcd/go-json.js';
import type { Place } from './table.js';
import { type FieldTable } from './table.js';
import {
  bool,
  bytes,
  bytesOrNull,
  claims,
  codec,
  alwaysEmpty,
  ferryObject,
  mapOf,
  num,
  objectName,
  spaced,
  str,
  strs,
  strsOrNull,
  time,
  timeOrZero,
} from './values.js';

/** A place that Go's `omitempty` applies to. */
export const omitted = (name: string): Place => ({ name, omit: 'empty' });
/** Kubernetes: the property is the object's name (`metadata.name`), turned back by `fromName`. */
export const byName = (fromName?: (name: string) => string): Place => ({ name: 'metadata', decodeOnly: true, value: objectName(fromName) });

const pkce: FieldTable = [
  { prop: 'pkce.codeChallenge', value: str, etcd: omitted('code_challenge'), kube: omitted('code_challenge') },
  { prop: 'pkce.codeChallengeMethod', value: str, etcd: omitted('code_challenge_method'), kube: omitted('code_challenge_method') },
];

const credentialsClaims = codec(
  (c: { groups: string[] } | null) => (c ? omitEmpty({ groups: c.groups }, ['groups']) : null),
  (raw) => (raw && typeof raw === 'object' ? { groups: readStrs(asObject(raw).groups) } : null),
);

/** `storage.Client` (etcd) / `OAuth2Client` (Kubernetes); HEAD's fields after v2.45.1's. */
export const CLIENT_FIELDS: FieldTable = [
  { prop: 'id', value: str, etcd: { name: 'id' }, kube: omitted('id') },
  { prop: '', value: alwaysEmpty, etcd: { name: 'idEnv' } },
  { prop: 'secret', value: str, etcd: { name: 'secret' }, kube: omitted('secret') },
  { prop: '', value: alwaysEmpty, etcd: { name: 'secretEnv' } },
  { prop: 'redirectURIs', value: strs, etcd: { name: 'redirectURIs' }, kube: omitted('redirectURIs') },
  { prop: 'postLogoutRedirectURIs', value: strs, etcd: { name: 'postLogoutRedirectURIs' }, kube: omitted('postLogoutRedirectURIs') },
  { prop: 'backchannelLogoutURI', value: str, etcd: { name: 'backchannelLogoutURI' }, kube: omitted('backchannelLogoutURI') },
  { prop: 'refreshTokenLifetime', value: str, etcd: { name: 'refreshTokenLifetime' }, kube: omitted('refreshTokenLifetime') },
  { prop: 'trustedPeers', value: strs, etcd: { name: 'trustedPeers' }, kube: omitted('trustedPeers') },
  { prop: 'public', value: bool, etcd: { name: 'public' }, kube: { name: 'public' } },
  { prop: 'name', value: str, etcd: { name: 'name' }, kube: omitted('name') },
  { prop: 'logoURL', value: str, etcd: { name: 'logoURL' }, kube: omitted('logoURL') },
  { prop: 'allowedConnectors', value: strs, etcd: { name: 'allowedConnectors' }, kube: omitted('allowedConnectors') },
  // Kubernetes keeps `mfaChain: []` (not omitted): Ferry tells "no MFA" from "the default chain" (null)
  { prop: 'mfaChain', value: strsOrNull, etcd: { name: 'mfaChain' }, kube: { name: 'mfaChain', omit: 'null' } },
  { prop: 'ssoSharedWith', value: strsOrNull, etcd: { name: 'ssoSharedWith' }, kube: { name: 'ssoSharedWith' } },
  { prop: 'clientCredentialsClaims', value: credentialsClaims, etcd: omitted('clientCredentialsClaims'), kube: omitted('clientCredentialsClaims') },
];

/** `AuthRequest`; HEAD adds mfa_validated, prompt (space-separated), max_age and auth_time. */
export const AUTH_REQUEST_FIELDS: FieldTable = [
  { prop: 'id', value: str, etcd: { name: 'id' }, kube: byName() },
  { prop: 'clientId', value: str, etcd: { name: 'client_id' }, kube: { name: 'clientID' } },
  { prop: 'responseTypes', value: strs, etcd: { name: 'response_types' }, kube: omitted('responseTypes') },
  { prop: 'scopes', value: strs, etcd: { name: 'scopes' }, kube: omitted('scopes') },
  { prop: 'redirectURI', value: str, etcd: { name: 'redirect_uri' }, kube: { name: 'redirectURI' } },
  { prop: 'nonce', value: str, etcd: { name: 'nonce' }, kube: omitted('nonce') },
  { prop: 'state', value: str, etcd: { name: 'state' }, kube: omitted('state') },
  { prop: 'forceApprovalPrompt', value: bool, etcd: { name: 'force_approval_prompt' }, kube: omitted('forceApprovalPrompt') },
  { prop: 'expiry', value: time, etcd: { name: 'expiry' }, kube: { name: 'expiry' } },
  { prop: 'loggedIn', value: bool, etcd: { name: 'logged_in' }, kube: { name: 'loggedIn' } },
  { prop: 'claims', value: claims, etcd: { name: 'claims' }, kube: { name: 'claims' } },
  { prop: 'connectorId', value: str, etcd: { name: 'connector_id' }, kube: omitted('connectorID') },
  { prop: 'connectorData', value: bytesOrNull, etcd: { name: 'connector_data' }, kube: omitted('connectorData') },
  ...pkce,
  { prop: 'hmacKey', value: bytes, etcd: { name: 'hmac_key' }, kube: { name: 'hmac_key' } },
  { prop: 'mfaValidated', value: bool, etcd: { name: 'mfa_validated' }, kube: { name: 'mfa_validated' } },
  { prop: 'webauthnSessionData', value: bytesOrNull, etcd: omitted('webauthn_session_data'), kube: omitted('webauthn_session_data') },
  { prop: 'prompt', value: spaced, etcd: omitted('prompt'), kube: omitted('prompt') },
  // dex v2.45.1 has no max_age: absent means "not requested" (-1), as HEAD treats it
  { prop: 'maxAge', value: num(-1), etcd: { name: 'max_age' }, kube: { name: 'maxAge' } },
  { prop: 'authTime', value: timeOrZero, etcd: { name: 'auth_time' }, kube: { name: 'authTime' } },
  { prop: '', value: ferryObject({ browserBinding: str, responseMode: str, mfaMethods: strs }), etcd: omitted('ferry'), kube: omitted('ferry') },
];

/** `AuthCode` (etcd's id field is `ID`); HEAD adds auth_time and session_id. */
export const AUTH_CODE_FIELDS: FieldTable = [
  { prop: 'id', value: str, etcd: { name: 'ID' }, kube: byName() },
  { prop: 'clientId', value: str, etcd: { name: 'clientID' }, kube: { name: 'clientID' } },
  { prop: 'redirectURI', value: str, etcd: { name: 'redirectURI' }, kube: { name: 'redirectURI' } },
  { prop: 'nonce', value: str, etcd: omitted('nonce'), kube: omitted('nonce') },
  { prop: 'scopes', value: strs, etcd: omitted('scopes'), kube: omitted('scopes') },
  { prop: 'connectorId', value: str, etcd: omitted('connectorID'), kube: omitted('connectorID') },
  { prop: 'connectorData', value: bytesOrNull, etcd: omitted('connectorData'), kube: omitted('connectorData') },
  { prop: 'claims', value: claims, etcd: { name: 'claims' }, kube: { name: 'claims' } },
  { prop: 'expiry', value: time, etcd: { name: 'expiry' }, kube: { name: 'expiry' } },
  ...pkce,
  { prop: 'authTime', value: timeOrZero, etcd: { name: 'auth_time' }, kube: { name: 'authTime' } },
  { prop: 'sessionId', value: str, etcd: omitted('session_id'), kube: omitted('sessionID') },
];

/** `RefreshToken` (Kubernetes' `CreatedAt`, `LastUsed` carry no tags). Neither dex stores a session id on it. */
export const REFRESH_TOKEN_FIELDS: FieldTable = [
  { prop: 'id', value: str, etcd: { name: 'id' }, kube: byName() },
  { prop: 'token', value: str, etcd: { name: 'token' }, kube: omitted('token') },
  { prop: 'obsoleteToken', value: str, etcd: { name: 'obsolete_token' }, kube: omitted('obsoleteToken') },
  { prop: 'createdAt', value: time, etcd: { name: 'created_at' }, kube: { name: 'CreatedAt' } },
  { prop: 'lastUsed', value: time, etcd: { name: 'last_used' }, kube: { name: 'LastUsed' } },
  { prop: 'clientId', value: str, etcd: { name: 'client_id' }, kube: { name: 'clientID' } },
  { prop: 'connectorId', value: str, etcd: { name: 'connector_id' }, kube: omitted('connectorID') },
  { prop: 'connectorData', value: bytesOrNull, etcd: { name: 'connector_data' }, kube: omitted('connectorData') },
  { prop: 'claims', value: claims, etcd: { name: 'claims' }, kube: { name: 'claims' } },
  { prop: 'scopes', value: strs, etcd: { name: 'scopes' }, kube: omitted('scopes') },
  { prop: 'nonce', value: str, etcd: { name: 'nonce' }, kube: omitted('nonce') },
  { prop: '', value: ferryObject({ sessionId: str }), etcd: omitted('ferry'), kube: omitted('ferry') },
];

/** `OfflineSessions` (every field `omitempty`). */
export const OFFLINE_SESSIONS_FIELDS: FieldTable = [
  { prop: 'userId', value: str, etcd: omitted('user_id'), kube: omitted('userID') },
  { prop: 'connId', value: str, etcd: omitted('conn_id'), kube: omitted('connID') },
  { prop: 'refresh', value: mapOf(encodeRefreshRef, decodeRefreshRef), etcd: omitted('refresh'), kube: omitted('refresh') },
  { prop: 'connectorData', value: bytesOrNull, etcd: omitted('connectorData'), kube: omitted('connectorData') },
];

/** `DeviceRequest`; Kubernetes names it by the lower-cased user code (dex upper-cases the name back). */
export const DEVICE_REQUEST_FIELDS: FieldTable = [
  { prop: 'userCode', value: str, etcd: { name: 'user_code' }, kube: byName((n) => n.toUpperCase()) },
  { prop: 'deviceCode', value: str, etcd: { name: 'device_code' }, kube: omitted('device_code') },
  { prop: 'clientId', value: str, etcd: { name: 'client_id' }, kube: omitted('client_id') },
  { prop: 'clientSecret', value: str, etcd: { name: 'client_secret' }, kube: omitted('client_secret') },
  { prop: 'scopes', value: strs, etcd: { name: 'scopes' }, kube: omitted('scopes') },
  { prop: 'expiry', value: time, etcd: { name: 'expiry' }, kube: { name: 'expiry' } },
];

/** `DeviceToken`, stored under its device code. */
export const DEVICE_TOKEN_FIELDS: FieldTable = [
  { prop: 'deviceCode', value: str, etcd: { name: 'device_code' }, kube: byName() },
  { prop: 'status', value: str, etcd: { name: 'status' }, kube: omitted('status') },
  { prop: 'token', value: str, etcd: { name: 'token' }, kube: omitted('token') },
  { prop: 'expiry', value: time, etcd: { name: 'expiry' }, kube: { name: 'expiry' } },
  { prop: 'lastRequestTime', value: time, etcd: { name: 'last_request' }, kube: { name: 'last_request' } },
  { prop: 'pollIntervalSeconds', value: num(), etcd: { name: 'poll_interval' }, kube: { name: 'poll_interval' } },
  ...pkce,
];
