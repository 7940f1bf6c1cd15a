/**
 * Passwords, connectors, the keys singleton and HEAD's user identities and auth sessions as dex stores them in
 * etcd. Passwords, connectors and keys are dex's `storage.Password`, `storage.Connector` and `storage.Keys`
 * marshalled directly (dex v2.45.1 storage/storage.go, storage/etcd/etcd.go): the bcrypt hash and the connector
 * config are `[]byte` (base64), the connector config sits under the JSON name `email` (a dex quirk it keeps for
 * compatibility), and the keys record has no tags, so its fields are `SigningKey`, `SigningKeyPub`,
 * `VerificationKeys` and `NextRotation`. User identities and auth sessions follow dex HEAD storage/etcd/types.go.
 * Revoked tokens are Ferry's alone and live under `ferry/`, a prefix dex never reads.
 */

import type { AuthSession, Connector, Keys, Password, RevokedToken, UserIdentity } from '../types.js';
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
} from './dex-shared.js';
import { type EtcdCodec, pairKey } from './dex-etcd-flow.js';
import {
  asObject,
  goBytes,
  goTime,
  goTimeOrZero,
  isObject,
  type JsonObject,
  omitEmpty,
  readBytesText,
  readMap,
  readStr,
  readStrs,
  readTime,
  readTimeOrNull,
  utf8Bytes,
} from './go-json.js';

/** The key of dex's keys singleton. */
export const KEYS_ETCD_KEY = 'openid-connect-keys';

const text = readBytesText;
const utf8 = utf8Bytes;

/** `storage.Password`, keyed by the lower-cased email. `emailVerified` is a `*bool` with `omitempty`. */
export const etcdPassword: EtcdCodec<Password> = {
  key: (p) => `password/${p.email.toLowerCase()}`,
  encode: (p) => ({
    email: p.email,
    hash: goBytes(utf8(p.hash)),
    hashFromEnv: '',
    username: p.username,
    name: p.name,
    preferredUsername: p.preferredUsername,
    ...(p.emailVerified === null ? {} : { emailVerified: p.emailVerified }),
    userID: p.userId,
    groups: p.groups,
  }),
  decode: (raw) => {
    const o = asObject(raw);
    return {
      email: readStr(o.email),
      hash: text(o.hash),
      username: readStr(o.username),
      userId: readStr(o.userID),
      preferredUsername: readStr(o.preferredUsername),
      groups: readStrs(o.groups),
      name: readStr(o.name),
      emailVerified: typeof o.emailVerified === 'boolean' ? o.emailVerified : null,
    };
  },
};

/** `storage.Connector`: the config bytes under `email`; HEAD's `grantTypes` is `omitempty`. */
export const etcdConnector: EtcdCodec<Connector> = {
  key: (c) => `connector/${c.id}`,
  encode: (c) =>
    omitEmpty(
      { id: c.id, type: c.type, name: c.name, resourceVersion: c.resourceVersion, email: goBytes(utf8(c.config)), grantTypes: c.grantTypes },
      ['grantTypes'],
    ),
  decode: (raw) => {
    const o = asObject(raw);
    return {
      id: readStr(o.id),
      type: readStr(o.type),
      name: readStr(o.name),
      resourceVersion: readStr(o.resourceVersion),
      config: text(o.email),
      grantTypes: readStrs(o.grantTypes),
    };
  },
};

/** `storage.Keys` (untagged). */
export const etcdKeys: EtcdCodec<Keys> = {
  key: () => KEYS_ETCD_KEY,
  encode: (k) => ({
    SigningKey: k.signingKey,
    SigningKeyPub: k.signingKeyPub,
    VerificationKeys: k.verificationKeys.map(encodeVerificationKey),
    NextRotation: goTime(k.nextRotation),
  }),
  decode: (raw) => {
    const o = asObject(raw);
    return {
      signingKey: readJwk(o.SigningKey),
      signingKeyPub: readJwk(o.SigningKeyPub),
      verificationKeys: decodeVerificationKeys(o.VerificationKeys),
      nextRotation: readTime(o.NextRotation),
    };
  },
};

/** HEAD etcd `UserIdentity`, keyed by the lower-cased `userID|connectorID`. */
export const etcdUserIdentity: EtcdCodec<UserIdentity> = {
  key: (u) => pairKey('user_identity/', u.userId, u.connectorId),
  encode: (u) =>
    omitEmpty(
      {
        user_id: u.userId,
        connector_id: u.connectorId,
        claims: encodeClaims(u.claims),
        consents: u.consents,
        mfa_secrets: Object.fromEntries(Object.entries(u.mfaSecrets).map(([id, s]) => [id, encodeMfaSecret(id, s)])),
        webauthn_credentials: Object.fromEntries(Object.entries(u.webauthnCredentials).map(([id, cs]) => [id, cs.map(encodeWebAuthn)])),
        created_at: goTime(u.createdAt),
        last_login: goTime(u.lastLogin),
        blocked_until: goTimeOrZero(u.blockedUntil),
        ferry: encodeBackupCodes(u.backupCodes),
      },
      ['user_id', 'connector_id', 'consents', 'mfa_secrets', 'webauthn_credentials', 'ferry'],
    ),
  decode: (raw) => {
    const o = asObject(raw);
    return {
      userId: readStr(o.user_id),
      connectorId: readStr(o.connector_id),
      claims: decodeClaims(o.claims),
      consents: readMap(o.consents, readStrs),
      mfaSecrets: readMap(o.mfa_secrets, decodeMfaSecret),
      webauthnCredentials: readMap(o.webauthn_credentials, (v) => (Array.isArray(v) ? v.map(decodeWebAuthn) : [])),
      createdAt: readTime(o.created_at),
      lastLogin: readTime(o.last_login),
      blockedUntil: readTimeOrNull(o.blocked_until),
      backupCodes: decodeBackupCodes(o.ferry),
    };
  },
};

type LogoutState = NonNullable<AuthSession['logoutState']>;

/** HEAD `storage.LogoutState` (untagged). */
export const encodeLogoutState = (l: LogoutState | null): JsonObject | null =>
  l ? { PostLogoutRedirectURI: l.postLogoutRedirectURI, State: l.state, ClientID: l.clientId, ConnectorID: l.connectorId } : null;

export function decodeLogoutState(raw: unknown): LogoutState | null {
  if (!isObject(raw)) return null;
  return { postLogoutRedirectURI: readStr(raw.PostLogoutRedirectURI), state: readStr(raw.State), clientId: readStr(raw.ClientID), connectorId: readStr(raw.ConnectorID) };
}

/** HEAD etcd `AuthSession`. */
export const etcdAuthSession: EtcdCodec<AuthSession> = {
  key: (s) => `auth_session/${s.id}`,
  encode: (s) =>
    omitEmpty(
      {
        id: s.id,
        secret: s.secret,
        user_id: s.userId,
        connector_id: s.connectorId,
        client_states: Object.fromEntries(Object.entries(s.clientStates).map(([k, v]) => [k, encodeClientState(v)])),
        created_at: goTime(s.createdAt),
        last_activity: goTime(s.lastActivity),
        ip_address: s.ipAddress,
        user_agent: s.userAgent,
        absolute_expiry: goTime(s.absoluteExpiry),
        idle_expiry: goTime(s.idleExpiry),
        logout_state: encodeLogoutState(s.logoutState),
      },
      ['secret', 'user_id', 'connector_id', 'client_states', 'ip_address', 'user_agent', 'logout_state'],
    ),
  decode: (raw) => {
    const o = asObject(raw);
    return {
      id: readStr(o.id),
      secret: readStr(o.secret),
      userId: readStr(o.user_id),
      connectorId: readStr(o.connector_id),
      clientStates: readMap(o.client_states, decodeClientState),
      createdAt: readTime(o.created_at),
      lastActivity: readTime(o.last_activity),
      ipAddress: readStr(o.ip_address),
      userAgent: readStr(o.user_agent),
      absoluteExpiry: readTime(o.absolute_expiry),
      idleExpiry: readTime(o.idle_expiry),
      logoutState: decodeLogoutState(o.logout_state),
    };
  },
};

/** Ferry's revoked access tokens (RFC 7009): a kind dex does not have, under `ferry/`. */
export const etcdRevokedToken: EtcdCodec<RevokedToken> = {
  key: (t) => `ferry/revoked_token/${t.jti}`,
  encode: (t) => ({ jti: t.jti, client_id: t.clientId, expiry: goTime(t.expiry) }),
  decode: (raw) => {
    const o = asObject(raw);
    return { jti: readStr(o.jti), clientId: readStr(o.client_id), expiry: readTime(o.expiry) };
  },
};
