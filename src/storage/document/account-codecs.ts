/**
 * Codecs of the account-side entities: passwords, connectors, the keys singleton, user identities and browser
 * sessions. An auth session is collected when either its absolute or its idle expiry has passed, so its stored
 * expiry is the earlier of the two.
 */

import type { JWK } from 'jose';
import type {
  AuthSession,
  BackupCodes,
  ClientAuthState,
  Connector,
  Keys,
  MFASecret,
  Password,
  UserIdentity,
  WebAuthnCredential,
} from '../types.js';
import { claims, compositeKey, type EntityCodec, KEYS_KEY, never, passwordKey, strings } from './entity-codec.js';
import { bool, bytes, date, json, list, nullable, num, object, record, str } from './fields.js';

export const passwordCodec: EntityCodec<Password> = {
  kind: 'password',
  key: (p) => passwordKey(p.email),
  expiry: never,
  field: object<Password>({
    email: str(),
    hash: str(),
    username: str(),
    userId: str(),
    preferredUsername: str(),
    groups: strings,
    name: str(),
    emailVerified: nullable(bool()),
  }),
};

export const connectorCodec: EntityCodec<Connector> = {
  kind: 'connector',
  key: (c) => c.id,
  expiry: never,
  field: object<Connector>({
    id: str(),
    type: str(),
    name: str(),
    resourceVersion: str(),
    config: str(),
    grantTypes: strings,
  }),
};

export const keysCodec: EntityCodec<Keys> = {
  kind: 'keys',
  key: () => KEYS_KEY,
  expiry: never,
  field: object<Keys>({
    signingKey: nullable(json<JWK>()),
    signingKeyPub: nullable(json<JWK>()),
    verificationKeys: list(object({ publicKey: json<JWK>(), expiry: date() })),
    nextRotation: date(),
  }),
};

const mfaSecret = object<MFASecret>({
  type: str(),
  secret: str(),
  confirmed: bool(),
  createdAt: date(),
  lastUsedCounter: num(),
});

const webauthnCredential = object<WebAuthnCredential>({
  credentialId: str(),
  publicKey: bytes(),
  attestationType: str(),
  aaguid: str(),
  signCount: num(),
  cloneWarning: bool(),
  transport: strings,
  backupEligible: bool(),
  backupState: bool(),
  displayName: str(),
  createdAt: date(),
});

export const userIdentityCodec: EntityCodec<UserIdentity> = {
  kind: 'user_identity',
  key: (u) => compositeKey(u.userId, u.connectorId),
  expiry: never,
  field: object<UserIdentity>({
    userId: str(),
    connectorId: str(),
    claims,
    consents: record(strings),
    mfaSecrets: record(mfaSecret),
    webauthnCredentials: record(list(webauthnCredential)),
    createdAt: date(),
    lastLogin: date(),
    blockedUntil: nullable(date()),
    backupCodes: nullable(object<BackupCodes>({ salt: str(), hashes: strings, createdAt: date() })),
  }),
};

const clientAuthState = object<ClientAuthState>({
  authenticatedAt: date(),
  lastActivity: date(),
  lastTokenIssuedAt: nullable(date()),
  viaSSO: bool(),
});

type LogoutState = NonNullable<AuthSession['logoutState']>;

/** Expiry: the earlier of the absolute and the idle expiry. */
export const authSessionCodec: EntityCodec<AuthSession> = {
  kind: 'auth_session',
  key: (s) => s.id,
  expiry: (s) => (s.absoluteExpiry.getTime() <= s.idleExpiry.getTime() ? s.absoluteExpiry : s.idleExpiry),
  field: object<AuthSession>({
    id: str(),
    secret: str(),
    userId: str(),
    connectorId: str(),
    clientStates: record(clientAuthState),
    createdAt: date(),
    lastActivity: date(),
    ipAddress: str(),
    userAgent: str(),
    absoluteExpiry: date(),
    idleExpiry: date(),
    logoutState: nullable(
      object<LogoutState>({ postLogoutRedirectURI: str(), state: str(), clientId: str(), connectorId: str() }),
    ),
  }),
};
