/**
 * Fully populated entities for the conformance suite. Every field is set to a non-default value (two variants
 * differ in nullability and empty-vs-absent lists), so a backend that drops or mangles any field fails.
 */

import type {
  AuthCode,
  AuthRequest,
  AuthSession,
  Claims,
  Client,
  Connector,
  DeviceRequest,
  DeviceToken,
  LogoutDelivery,
  OfflineSessions,
  Password,
  RefreshToken,
  OpaqueAccessToken,
  RevokedToken,
  ThrottleState,
  UserIdentity,
} from '../types.js';
import { newDeviceCode, newId, newUserCode } from '../ids.js';

export type Variant = 0 | 1;

/** A fixed instant with milliseconds, `h` hours later. */
export const at = (h = 0): Date => new Date(Date.UTC(2031, 4, 6, 7, 8, 9, 123) + h * 3_600_000);

export const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

export const claims = (v: Variant = 0): Claims => ({
  userId: `user-${v}`,
  username: v ? 'Jane Doe' : 'John Doe',
  preferredUsername: v ? 'jane' : 'john',
  email: v ? 'jane@example.com' : 'john@example.com',
  emailVerified: v === 0,
  groups: v ? [] : ['admins', 'devs'],
});

const pkce = (v: Variant) => ({ codeChallenge: v ? '' : 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', codeChallengeMethod: v ? '' : 'S256' });

export const client = (v: Variant = 0): Client => ({
  id: newId(),
  secret: `secret-${v}`,
  redirectURIs: ['https://app.example.com/cb', 'http://127.0.0.1:5555/callback'],
  trustedPeers: v ? [] : ['peer-a'],
  public: v === 1,
  name: `Client ${v}`,
  logoURL: v ? '' : 'https://app.example.com/logo.png',
  allowedConnectors: v ? [] : ['ldap', 'github'],
  postLogoutRedirectURIs: v ? [] : ['https://app.example.com/bye'],
  backchannelLogoutURI: v ? '' : 'https://app.example.com/bcl',
  refreshTokenLifetime: v ? '' : 'session',
  clientCredentialsClaims: v ? null : { groups: ['robots'] },
  ssoSharedWith: v ? null : [],
  mfaChain: v ? [] : null,
});

export const authRequest = (v: Variant = 0, expiry = at()): AuthRequest => ({
  id: newId(),
  clientId: `client-${v}`,
  responseTypes: v ? ['code', 'id_token'] : ['code'],
  scopes: ['openid', 'email', 'offline_access'],
  redirectURI: 'https://app.example.com/cb',
  nonce: `nonce-${v}`,
  state: `state-${v}`,
  forceApprovalPrompt: v === 0,
  expiry,
  loggedIn: v === 0,
  claims: claims(v),
  connectorId: `conn-${v}`,
  connectorData: v ? null : bytes(0, 1, 2, 254, 255),
  pkce: pkce(v),
  hmacKey: bytes(9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 200),
  prompt: v ? [] : ['login', 'consent'],
  maxAge: v ? -1 : 300,
  authTime: v ? null : at(-1),
  mfaValidated: v === 0,
  browserBinding: v ? '' : 'binding-hash',
  responseMode: v ? '' : 'form_post',
  webauthnSessionData: v ? null : bytes(123, 34, 99, 125),
  mfaMethods: v ? [] : ['otp', 'hwk'],
});

export const authCode = (v: Variant = 0, expiry = at()): AuthCode => ({
  id: newId(),
  clientId: `client-${v}`,
  redirectURI: 'https://app.example.com/cb',
  nonce: `nonce-${v}`,
  scopes: ['openid', 'groups'],
  connectorId: `conn-${v}`,
  connectorData: v ? null : bytes(1, 2, 3),
  claims: claims(v),
  expiry,
  pkce: pkce(v),
  authTime: v ? null : at(-2),
  sessionId: v ? '' : newId(),
});

export const refreshToken = (v: Variant = 0): RefreshToken => ({
  id: newId(),
  token: `token-${v}`,
  obsoleteToken: v ? '' : 'old-token',
  createdAt: at(-10),
  lastUsed: at(-5),
  clientId: `client-${v}`,
  connectorId: `conn-${v}`,
  connectorData: v ? null : bytes(4, 5, 6),
  claims: claims(v),
  scopes: ['openid', 'offline_access'],
  nonce: `nonce-${v}`,
  sessionId: v ? '' : 'session-1',
});

export const offlineSessions = (v: Variant = 0): OfflineSessions => ({
  userId: newId(),
  connId: `conn-${v}`,
  refresh: v
    ? {}
    : { 'client-a': { id: newId(), clientId: 'client-a', createdAt: at(-3), lastUsed: at(-2), sessionId: 'sid-1' } },
  connectorData: v ? null : bytes(7, 7, 7),
});

export const password = (v: Variant = 0): Password => ({
  email: `${newId()}@example.com`,
  hash: '$2a$10$33EMT0cVYVlPy6WAMCLsceLYjWhuHpbz5yuZxu/GAFj03J9Lytjuy',
  username: `user${v}`,
  userId: newId(),
  preferredUsername: v ? '' : `pref${v}`,
  groups: v ? [] : ['team-a'],
  name: v ? '' : 'A Name',
  emailVerified: v ? null : false,
});

export const connector = (v: Variant = 0): Connector => ({
  id: newId(),
  type: v ? 'github' : 'ldap',
  name: `Connector ${v}`,
  resourceVersion: `${v + 1}`,
  config: JSON.stringify({ host: 'ldap.example.com:636', nested: { list: [1, 2] } }),
  grantTypes: v ? [] : ['authorization_code', 'refresh_token'],
});

export const deviceRequest = (v: Variant = 0, expiry = at()): DeviceRequest => ({
  userCode: newUserCode(),
  deviceCode: newDeviceCode(),
  clientId: `client-${v}`,
  clientSecret: v ? '' : 'device-secret',
  scopes: ['openid', 'profile'],
  expiry,
});

export const deviceToken = (v: Variant = 0, expiry = at()): DeviceToken => ({
  deviceCode: newDeviceCode(),
  status: v ? 'complete' : 'authorization_pending',
  token: v ? '{"access_token":"x"}' : '',
  expiry,
  lastRequestTime: at(-1),
  pollIntervalSeconds: 5 + v,
  pkce: pkce(v),
});

export const revokedToken = (v: Variant = 0, expiry = at()): RevokedToken => ({
  jti: `${newId()}-${v}`,
  clientId: `client-${v}`,
  expiry,
});

export const accessToken = (v: Variant = 0, expiry = at()): OpaqueAccessToken => ({
  id: `${newId()}-${v}`,
  clientId: `client-${v}`,
  grantId: v ? `grant-${v}` : '',
  claims: v ? { iss: 'https://issuer', sub: 'c3ViamVjdA', aud: ['a', 'b'], exp: 1_900_000_000, groups: ['g'], email_verified: true } : {},
  expiry,
});

export const throttle = (v: Variant = 0, expiry = at()): ThrottleState => ({
  key: `acct:${newId()}-${v}`,
  failures: v ? 7 : 1,
  blockedUntil: v ? at(1) : null,
  pending: v ? { 'attempt-1': at(1), 'attempt-2': at(2) } : {},
  expiry,
});

export const logoutDelivery = (v: Variant = 0): LogoutDelivery => ({
  id: `${newId()}-${v}`,
  clientId: `client-${v}`,
  sessionId: `session-${v}`,
  subject: v ? 'CgZ1c2VyLTESBmNvbm4tMQ' : 'CgZ1c2VyLTASBmNvbm4tMA',
  createdAt: at(-2),
  attempts: v ? 3 : 0,
  nextAttemptAt: at(v),
  leaseOwner: v ? 'replica-b' : '',
  leaseUntil: v ? at(1) : null,
  lastError: v ? 'status 503' : '',
});

export const userIdentity = (v: Variant = 0): UserIdentity => ({
  userId: newId(),
  connectorId: `conn-${v}`,
  claims: claims(v),
  consents: v ? {} : { 'client-a': ['openid', 'email'], 'client-b': [] },
  mfaSecrets: v
    ? {}
    : { totp: { type: 'TOTP', secret: 'otpauth://totp/x?secret=ABC', confirmed: true, createdAt: at(-9), lastUsedCounter: 42 } },
  webauthnCredentials: v
    ? {}
    : {
        key1: [
          {
            credentialId: 'cred-1',
            publicKey: bytes(165, 1, 2, 3, 38),
            attestationType: 'none',
            aaguid: '00000000-0000-0000-0000-000000000000',
            signCount: 7,
            cloneWarning: false,
            transport: ['usb', 'nfc'],
            backupEligible: true,
            backupState: false,
            displayName: 'YubiKey',
            createdAt: at(-8),
          },
        ],
      },
  createdAt: at(-7),
  lastLogin: at(-1),
  blockedUntil: v ? null : at(1),
  backupCodes: v ? null : { salt: 'c2FsdA', hashes: ['aGFzaC0x', 'aGFzaC0y'], createdAt: at(-6) },
});

export const authSession = (v: Variant = 0, absoluteExpiry = at(24), idleExpiry = at(1)): AuthSession => ({
  id: newId(),
  secret: `secret-${v}`,
  userId: `user-${v}`,
  connectorId: `conn-${v}`,
  clientStates: v
    ? {}
    : { 'client-a': { authenticatedAt: at(-2), lastActivity: at(-1), lastTokenIssuedAt: null, viaSSO: true } },
  createdAt: at(-2),
  lastActivity: at(-1),
  ipAddress: v ? '' : '192.0.2.10',
  userAgent: v ? '' : 'Mozilla/5.0',
  absoluteExpiry,
  idleExpiry,
  logoutState: v
    ? null
    : { postLogoutRedirectURI: 'https://app.example.com/bye', state: 'st', clientId: 'client-a', connectorId: 'conn-0' },
});
