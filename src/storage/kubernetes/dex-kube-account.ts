/**
 * Passwords, connectors, the keys singleton and HEAD's user identities and auth sessions as dex stores them in
 * Kubernetes (dex v2.45.1 storage/kubernetes/types.go; HEAD for the last two). Passwords are named by dex's
 * `idToName` of the lower-cased email and store that lower-cased email; connectors are named by their id and take
 * their `resourceVersion` from the object's metadata; the keys live in the `SigningKey` object
 * `openid-connect-keys`. Revoked tokens are Ferry's own kind (see resources.ts for where they live).
 */

import {
  decodeBackupCodes,
  decodeClaims,
  decodeClientState,
  decodeMfaSecret,
  decodeVerificationKeys,
  decodeWebAuthn,
  encodeBackupCodes,
  encodeClaims,
  encodeClientState,
  encodeMfaSecret,
  encodeVerificationKey,
  encodeWebAuthn,
  readJwk,
} from '../etcd/dex-shared.js';
import { decodeLogoutState, encodeLogoutState } from '../etcd/dex-etcd-account.js';
import {
  asObject,
  goBytes,
  goTime,
  goTimeOrZero,
  omitEmpty,
  readBytesText,
  readMap,
  readStr,
  readStrs,
  readTime,
  readTimeOrNull,
  utf8Bytes,
} from '../etcd/go-json.js';
import type { AuthSession, Connector, Keys, Password, RevokedToken, UserIdentity } from '../types.js';
import { type KubeCodec, metaName } from './dex-kube-flow.js';
import { idToName, isValidName, pairName } from './names.js';

/** The name of dex's keys object. */
export const KEYS_OBJECT_NAME = 'openid-connect-keys';

const text = readBytesText;
const utf8 = utf8Bytes;

/** `Password` (every field `omitempty`). */
export const kubePassword: KubeCodec<Password> = {
  name: (p) => idToName(p.email.toLowerCase()),
  encode: (p) => {
    const o = omitEmpty(
      {
        email: p.email.toLowerCase(),
        hash: goBytes(utf8(p.hash)),
        username: p.username,
        name: p.name,
        preferredUsername: p.preferredUsername,
        userID: p.userId,
        groups: p.groups,
      },
      ['email', 'hash', 'username', 'name', 'preferredUsername', 'userID', 'groups'],
    );
    return p.emailVerified === null ? o : { ...o, emailVerified: p.emailVerified };
  },
  decode: (o) => ({
    email: readStr(o.email),
    hash: text(o.hash),
    username: readStr(o.username),
    userId: readStr(o.userID),
    preferredUsername: readStr(o.preferredUsername),
    groups: readStrs(o.groups),
    name: readStr(o.name),
    emailVerified: typeof o.emailVerified === 'boolean' ? o.emailVerified : null,
  }),
};

/**
 * `Connector`: config bytes under `config` (unlike etcd's `email`); HEAD adds `grantTypes`. dex reads a
 * connector's resourceVersion from the object's metadata, which changes on every write; Ferry keeps the value it
 * wrote in `ferry.resourceVersion` and reads it back as long as that object is the one Ferry wrote (a dex update
 * replaces the whole object, dropping `ferry`, and the metadata's value applies again).
 */
export const kubeConnector: KubeCodec<Connector> = {
  name: (c) => (isValidName(c.id) ? c.id : idToName(c.id)),
  encode: (c) =>
    omitEmpty(
      { id: c.id, type: c.type, name: c.name, config: goBytes(utf8(c.config)), grantTypes: c.grantTypes, ferry: c.resourceVersion ? { resourceVersion: c.resourceVersion } : null },
      ['id', 'type', 'name', 'config', 'grantTypes', 'ferry'],
    ),
  decode: (o) => {
    const own = asObject(o.ferry).resourceVersion;
    return {
      id: readStr(o.id),
      type: readStr(o.type),
      name: readStr(o.name),
      resourceVersion: typeof own === 'string' ? own : readStr(asObject(o.metadata).resourceVersion),
      config: text(o.config),
      grantTypes: readStrs(o.grantTypes),
    };
  },
};

/** `SigningKey` `openid-connect-keys`. */
export const kubeKeys: KubeCodec<Keys> = {
  name: () => KEYS_OBJECT_NAME,
  encode: (k) =>
    omitEmpty(
      {
        signingKey: k.signingKey,
        signingKeyPub: k.signingKeyPub,
        verificationKeys: k.verificationKeys.map(encodeVerificationKey),
        nextRotation: goTime(k.nextRotation),
      },
      ['signingKey', 'signingKeyPub', 'verificationKeys'],
    ),
  decode: (o) => ({
    signingKey: readJwk(o.signingKey),
    signingKeyPub: readJwk(o.signingKeyPub),
    verificationKeys: decodeVerificationKeys(o.verificationKeys),
    nextRotation: readTime(o.nextRotation),
  }),
};

/** HEAD `UserIdentity`, named like offline sessions. */
export const kubeUserIdentity: KubeCodec<UserIdentity> = {
  name: (u) => pairName(u.userId, u.connectorId),
  encode: (u) =>
    omitEmpty(
      {
        userID: u.userId,
        connectorID: u.connectorId,
        claims: encodeClaims(u.claims),
        consents: u.consents,
        mfaSecrets: Object.fromEntries(Object.entries(u.mfaSecrets).map(([id, s]) => [id, encodeMfaSecret(id, s)])),
        webauthnCredentials: Object.fromEntries(Object.entries(u.webauthnCredentials).map(([id, cs]) => [id, cs.map(encodeWebAuthn)])),
        createdAt: goTime(u.createdAt),
        lastLogin: goTime(u.lastLogin),
        blockedUntil: goTimeOrZero(u.blockedUntil),
        ferry: encodeBackupCodes(u.backupCodes),
      },
      ['userID', 'connectorID', 'consents', 'mfaSecrets', 'webauthnCredentials', 'ferry'],
    ),
  decode: (o) => ({
    userId: readStr(o.userID),
    connectorId: readStr(o.connectorID),
    claims: decodeClaims(o.claims),
    consents: readMap(o.consents, readStrs),
    mfaSecrets: readMap(o.mfaSecrets, decodeMfaSecret),
    webauthnCredentials: readMap(o.webauthnCredentials, (v) => (Array.isArray(v) ? v.map(decodeWebAuthn) : [])),
    createdAt: readTime(o.createdAt),
    lastLogin: readTime(o.lastLogin),
    blockedUntil: readTimeOrNull(o.blockedUntil),
    backupCodes: decodeBackupCodes(o.ferry),
  }),
};

/** HEAD `AuthSession`, named by its id. */
export const kubeAuthSession: KubeCodec<AuthSession> = {
  name: (s) => s.id,
  encode: (s) =>
    omitEmpty(
      {
        userID: s.userId,
        connectorID: s.connectorId,
        secret: s.secret,
        clientStates: Object.fromEntries(Object.entries(s.clientStates).map(([k, v]) => [k, encodeClientState(v)])),
        createdAt: goTime(s.createdAt),
        lastActivity: goTime(s.lastActivity),
        ipAddress: s.ipAddress,
        userAgent: s.userAgent,
        absoluteExpiry: goTime(s.absoluteExpiry),
        idleExpiry: goTime(s.idleExpiry),
        logoutState: encodeLogoutState(s.logoutState),
      },
      ['userID', 'connectorID', 'secret', 'clientStates', 'ipAddress', 'userAgent', 'logoutState'],
    ),
  decode: (o) => ({
    id: metaName(o),
    secret: readStr(o.secret),
    userId: readStr(o.userID),
    connectorId: readStr(o.connectorID),
    clientStates: readMap(o.clientStates, decodeClientState),
    createdAt: readTime(o.createdAt),
    lastActivity: readTime(o.lastActivity),
    ipAddress: readStr(o.ipAddress),
    userAgent: readStr(o.userAgent),
    absoluteExpiry: readTime(o.absoluteExpiry),
    idleExpiry: readTime(o.idleExpiry),
    logoutState: decodeLogoutState(o.logoutState),
  }),
};

/** Ferry's revoked access tokens, in Ferry's own resource; the `jti` is kept since a hashed name cannot give it back. */
export const kubeRevokedToken: KubeCodec<RevokedToken> = {
  name: (t) => (isValidName(t.jti) ? t.jti : idToName(t.jti)),
  encode: (t) => ({ jti: t.jti, clientID: t.clientId, expiry: goTime(t.expiry) }),
  decode: (o) => ({ jti: readStr(o.jti), clientId: readStr(o.clientID), expiry: readTime(o.expiry) }),
};
