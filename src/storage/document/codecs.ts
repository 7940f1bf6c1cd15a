/**
 * Codecs of the auth-flow entities: clients, auth requests and codes, refresh tokens, offline sessions and the
 * device flow. Expiry is what garbage collection compares against (dex v2.45.1 `storage/storage.go`, `server/server.go` `startGarbageCollection`); null = never collected.
 */

import type {
  AuthCode,
  AuthRequest,
  Client,
  DeviceRequest,
  DeviceToken,
  LogoutDelivery,
  OfflineSessions,
  OpaqueAccessToken,
  RefreshToken,
  RefreshTokenRef,
  RevokedToken,
  ThrottleState,
} from '../types.js';
import { claims, compositeKey, type EntityCodec, never, pkce, strings } from './entity-codec.js';
import { bool, bytes, date, nullable, num, object, record, str } from './fields.js';

export const clientCodec: EntityCodec<Client> = {
  kind: 'client',
  key: (c) => c.id,
  expiry: never,
  field: object<Client>({
    id: str(),
    secret: str(),
    redirectURIs: strings,
    trustedPeers: strings,
    public: bool(),
    name: str(),
    logoURL: str(),
    allowedConnectors: strings,
    postLogoutRedirectURIs: strings,
    backchannelLogoutURI: str(),
    refreshTokenLifetime: str(),
    clientCredentialsClaims: nullable(object<{ groups: string[] }>({ groups: strings })),
    ssoSharedWith: nullable(strings),
    mfaChain: nullable(strings),
  }),
};

export const authRequestCodec: EntityCodec<AuthRequest> = {
  kind: 'auth_request',
  key: (a) => a.id,
  expiry: (a) => a.expiry,
  field: object<AuthRequest>({
    id: str(),
    clientId: str(),
    responseTypes: strings,
    scopes: strings,
    redirectURI: str(),
    nonce: str(),
    state: str(),
    forceApprovalPrompt: bool(),
    expiry: date(),
    loggedIn: bool(),
    claims,
    connectorId: str(),
    connectorData: nullable(bytes()),
    pkce,
    hmacKey: bytes(),
    prompt: strings,
    maxAge: num(-1),
    authTime: nullable(date()),
    mfaValidated: bool(),
    browserBinding: str(),
    responseMode: str(),
    webauthnSessionData: nullable(bytes()),
    mfaMethods: strings,
  }),
};

export const authCodeCodec: EntityCodec<AuthCode> = {
  kind: 'auth_code',
  key: (c) => c.id,
  expiry: (c) => c.expiry,
  field: object<AuthCode>({
    id: str(),
    clientId: str(),
    redirectURI: str(),
    nonce: str(),
    scopes: strings,
    connectorId: str(),
    connectorData: nullable(bytes()),
    claims,
    expiry: date(),
    pkce,
    authTime: nullable(date()),
    sessionId: str(),
  }),
};

export const refreshTokenCodec: EntityCodec<RefreshToken> = {
  kind: 'refresh_token',
  key: (r) => r.id,
  expiry: never,
  field: object<RefreshToken>({
    id: str(),
    token: str(),
    obsoleteToken: str(),
    createdAt: date(),
    lastUsed: date(),
    clientId: str(),
    connectorId: str(),
    connectorData: nullable(bytes()),
    claims,
    scopes: strings,
    nonce: str(),
    sessionId: str(),
  }),
};

export const offlineSessionsCodec: EntityCodec<OfflineSessions> = {
  kind: 'offline_session',
  key: (s) => compositeKey(s.userId, s.connId),
  expiry: never,
  field: object<OfflineSessions>({
    userId: str(),
    connId: str(),
    refresh: record(
      object<RefreshTokenRef>({ id: str(), clientId: str(), createdAt: date(), lastUsed: date(), sessionId: str() }),
    ),
    connectorData: nullable(bytes()),
  }),
};

export const deviceRequestCodec: EntityCodec<DeviceRequest> = {
  kind: 'device_request',
  key: (d) => d.userCode,
  expiry: (d) => d.expiry,
  field: object<DeviceRequest>({
    userCode: str(),
    deviceCode: str(),
    clientId: str(),
    clientSecret: str(),
    scopes: strings,
    expiry: date(),
  }),
};

export const deviceTokenCodec: EntityCodec<DeviceToken> = {
  kind: 'device_token',
  key: (t) => t.deviceCode,
  expiry: (t) => t.expiry,
  field: object<DeviceToken>({
    deviceCode: str(),
    status: str(),
    token: str(),
    expiry: date(),
    lastRequestTime: date(),
    pollIntervalSeconds: num(),
    pkce,
  }),
};

export const revokedTokenCodec: EntityCodec<RevokedToken> = {
  kind: 'revoked_token',
  key: (t) => t.jti,
  expiry: (t) => t.expiry,
  field: object<RevokedToken>({ jti: str(), clientId: str(), expiry: date() }),
};

/** Ferry only: the throttle's failed-attempt records (small, JSON, collected after `expiry`). */
export const throttleCodec: EntityCodec<ThrottleState> = {
  kind: 'throttle',
  key: (t) => t.key,
  expiry: (t) => t.expiry,
  field: object<ThrottleState>({
    key: str(),
    failures: num(0),
    blockedUntil: nullable(date()),
    pending: record(date()),
    expiry: date(),
  }),
};

/** Ferry only: the back-channel logout outbox; never collected (the delivery worker removes entries). */
export const logoutDeliveryCodec: EntityCodec<LogoutDelivery> = {
  kind: 'logout_delivery',
  key: (d) => d.id,
  expiry: never,
  field: object<LogoutDelivery>({
    id: str(),
    clientId: str(),
    sessionId: str(),
    subject: str(),
    createdAt: date(),
    attempts: num(0),
    nextAttemptAt: date(),
    leaseOwner: str(),
    leaseUntil: nullable(date()),
    lastError: str(),
  }),
};

/** Ferry only: opaque access tokens, by the hash of their value (collected after `expiry`). */
export const accessTokenCodec: EntityCodec<OpaqueAccessToken> = {
  kind: 'access_token',
  key: (t) => t.id,
  expiry: (t) => t.expiry,
  field: object<OpaqueAccessToken>({
    id: str(),
    clientId: str(),
    grantId: str(),
    claims: {
      enc: (v) => v,
      dec: (r) => (typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>) : {}),
    },
    expiry: date(),
  }),
};
