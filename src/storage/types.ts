/**
 * The objects Ferry stores, named after dex's storage objects (dex v2.45.1 `storage/storage.go`) with camelCase fields.
 *
 * Rules every backend keeps:
 * - times are `Date` values; a backend may store them in any zone but must return the same instant (ms precision);
 * - `Uint8Array` fields are opaque bytes (connector data, HMAC keys) and round-trip unchanged;
 * - arrays are never `undefined` (empty array instead); optional objects are `null` when absent.
 * New fields must be optional or defaulted by the codec so that old stored rows keep decoding.
 */

import type { JWK } from 'jose';

/** The user claims a login produced (dex `storage.Claims`). */
export interface Claims {
  userId: string;
  username: string;
  preferredUsername: string;
  email: string;
  emailVerified: boolean;
  groups: string[];
}

/** PKCE parameters from the authorization request. Empty strings when PKCE was not used. */
export interface PKCE {
  codeChallenge: string;
  codeChallengeMethod: string;
}

/** An OAuth2 client (static from config, or created through the API). */
export interface Client {
  id: string;
  secret: string;
  redirectURIs: string[];
  trustedPeers: string[];
  public: boolean;
  name: string;
  logoURL: string;
  /** Connector ids this client may use; empty = all. */
  allowedConnectors: string[];
  postLogoutRedirectURIs: string[];
  backchannelLogoutURI: string;
  /** `standalone` (default, empty string) or `session`. */
  refreshTokenLifetime: string;
  /** Claims for the client_credentials grant. */
  clientCredentialsClaims: { groups: string[] } | null;
  /** null = server default; [] = none; ['*'] = all. */
  ssoSharedWith: string[] | null;
  /** null = default MFA chain; [] = no MFA. */
  mfaChain: string[] | null;
}

/** A login in progress: created at `/auth/{connector}`, completed by the connector, consumed when the code is issued. */
export interface AuthRequest {
  id: string;
  clientId: string;
  responseTypes: string[];
  scopes: string[];
  redirectURI: string;
  nonce: string;
  state: string;
  /** `approval_prompt=force` or `prompt=consent`. */
  forceApprovalPrompt: boolean;
  expiry: Date;
  loggedIn: boolean;
  claims: Claims;
  connectorId: string;
  connectorData: Uint8Array | null;
  pkce: PKCE;
  /** Per-request random key for the HMAC that binds flow steps (approval) to this request. */
  hmacKey: Uint8Array;
  /** OIDC `prompt` words, e.g. ['login']; empty when absent. */
  prompt: string[];
  /** OIDC `max_age` in seconds; -1 when absent. */
  maxAge: number;
  authTime: Date | null;
  mfaValidated: boolean;
  /** Hash of the browser binding cookie that started this flow (GHSA-vh7g-p26c-j2cw); empty if none. */
  browserBinding: string;
  /** `response_mode` (`query`, `fragment`, `form_post`); empty = the response type's default. */
  responseMode: string;
  /** The pending WebAuthn ceremony (dex HEAD `WebAuthnSessionData`): JSON bytes, or null when none is pending. */
  webauthnSessionData: Uint8Array | null;
  /** RFC 8176 `amr` values of the second factors passed in this flow (`otp`, `hwk`), in order; empty = none. */
  mfaMethods: string[];
}

/** An issued authorization code (single use, 30 minutes). */
export interface AuthCode {
  id: string;
  clientId: string;
  redirectURI: string;
  nonce: string;
  scopes: string[];
  connectorId: string;
  connectorData: Uint8Array | null;
  claims: Claims;
  expiry: Date;
  pkce: PKCE;
  authTime: Date | null;
  sessionId: string;
}

/** A refresh token. `token` is the current secret; `obsoleteToken` the previous one (for the reuse interval). */
export interface RefreshToken {
  id: string;
  token: string;
  obsoleteToken: string;
  createdAt: Date;
  lastUsed: Date;
  clientId: string;
  connectorId: string;
  /** Legacy per-token connector data; new tokens keep it in OfflineSessions instead. */
  connectorData: Uint8Array | null;
  claims: Claims;
  scopes: string[];
  nonce: string;
  sessionId: string;
}

/** Reference from an OfflineSessions record to a refresh token of one client. */
export interface RefreshTokenRef {
  id: string;
  clientId: string;
  createdAt: Date;
  lastUsed: Date;
  sessionId: string;
}

/** Per (user, connector): the refresh tokens of each client and the latest upstream connector data. */
export interface OfflineSessions {
  userId: string;
  connId: string;
  /** client id → reference */
  refresh: Record<string, RefreshTokenRef>;
  connectorData: Uint8Array | null;
}

/** A local password-DB user. Keyed by lower-cased email. */
export interface Password {
  email: string;
  /** bcrypt hash, e.g. `$2a$10$...` */
  hash: string;
  username: string;
  userId: string;
  preferredUsername: string;
  groups: string[];
  name: string;
  /** null = not set (treated as true, as dex does). */
  emailVerified: boolean | null;
}

/** A connector stored through the API (static ones come from config). */
export interface Connector {
  id: string;
  type: string;
  name: string;
  resourceVersion: string;
  /** Raw JSON text of the connector's config. */
  config: string;
  grantTypes: string[];
}

export interface VerificationKey {
  publicKey: JWK;
  expiry: Date;
}

/** The singleton signing-key record. */
export interface Keys {
  /** Private JWK (with `kid`, `alg`, `use`), or null before the first rotation. */
  signingKey: JWK | null;
  signingKeyPub: JWK | null;
  verificationKeys: VerificationKey[];
  nextRotation: Date;
}

export interface DeviceRequest {
  userCode: string;
  deviceCode: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  expiry: Date;
}

export interface DeviceToken {
  deviceCode: string;
  /** `authorization_pending` | `complete` */
  status: string;
  /** The JSON token response, stored once the user approved. */
  token: string;
  expiry: Date;
  lastRequestTime: Date;
  pollIntervalSeconds: number;
  pkce: PKCE;
}

/** A revoked JWT access token (RFC 7009), remembered by `jti` until the token would have expired anyway. */
export interface RevokedToken {
  jti: string;
  /** The client the token was issued to. */
  clientId: string;
  /** The token's own `exp`; garbage collection removes the entry after it. */
  expiry: Date;
}

/**
 * Ferry only: an opaque access token (a client with `accessTokenFormat: opaque`). The token is a random value
 * handed to the client once; only its SHA-256 is stored, with the claims a JWT access token would have carried.
 * Collected after `expiry`; deleting it revokes the token at once.
 */
export interface OpaqueAccessToken {
  /** base64url SHA-256 of the token value. */
  id: string;
  /** The client it was issued to. */
  clientId: string;
  /** The grant it was minted from (src/server/tokens/grant-revocation.ts); empty when none. */
  grantId: string;
  /** The claim set (JSON object) userinfo and introspection answer from. */
  claims: Record<string, unknown>;
  expiry: Date;
}

/**
 * Ferry only: failed attempts of one throttled subject (an account of a connector, or a client address), keyed by
 * an opaque hash so no username is stored. Shared by replicas through the store; collected after `expiry`.
 */
export interface ThrottleState {
  key: string;
  /** Consecutive failures since the last success (or since the record expired). */
  failures: number;
  /** Attempts are refused until then; null = not blocked. */
  blockedUntil: Date | null;
  /**
   * Attempts being checked right now, by attempt id, each with the time its claim lapses (a process that died
   * mid-check leaves one behind). Absent in records written before Ferry counted them: empty.
   */
  pending: Record<string, Date>;
  /** When the record is forgotten (garbage collection removes it). */
  expiry: Date;
}

/**
 * Ferry only: one pending back-channel logout notification (OpenID Connect Back-Channel Logout 1.0) in the outbox,
 * keyed by a random id. The logout token is minted at each delivery attempt, so no token is stored. A replica
 * claims an entry by setting `leaseOwner`/`leaseUntil` in an atomic update; the worker deletes it once delivered or
 * given up. Never collected by garbage collection (expiry null): only the worker removes entries.
 */
export interface LogoutDelivery {
  id: string;
  clientId: string;
  /** The ended session (`sid` of the logout token). */
  sessionId: string;
  /** dex's `sub` of the session's user (the same value as in the ID tokens). */
  subject: string;
  createdAt: Date;
  /** Delivery attempts made so far. */
  attempts: number;
  /** Not to be tried before this time (backoff). */
  nextAttemptAt: Date;
  /** The replica holding the lease ('' = none). */
  leaseOwner: string;
  /** The lease runs out then; another replica may claim the entry after it. */
  leaseUntil: Date | null;
  /** Short reason of the last failure (status or error code; never the token). */
  lastError: string;
}

/** Per-client state inside a browser session. */
export interface ClientAuthState {
  authenticatedAt: Date;
  lastActivity: Date;
  lastTokenIssuedAt: Date | null;
  viaSSO: boolean;
}

/** A signed-in browser (sessions issue). Published as `sid`. */
export interface AuthSession {
  id: string;
  /** Cookie proof, compared in constant time. */
  secret: string;
  userId: string;
  connectorId: string;
  clientStates: Record<string, ClientAuthState>;
  createdAt: Date;
  lastActivity: Date;
  ipAddress: string;
  userAgent: string;
  absoluteExpiry: Date;
  idleExpiry: Date;
  logoutState: { postLogoutRedirectURI: string; state: string; clientId: string; connectorId: string } | null;
}

export interface MFASecret {
  type: string;
  secret: string;
  confirmed: boolean;
  createdAt: Date;
  lastUsedCounter: number;
}

export interface WebAuthnCredential {
  credentialId: string;
  publicKey: Uint8Array;
  attestationType: string;
  aaguid: string;
  signCount: number;
  cloneWarning: boolean;
  transport: string[];
  backupEligible: boolean;
  backupState: boolean;
  displayName: string;
  createdAt: Date;
}

/**
 * A user's backup codes (Ferry only; dex has none): keyed hashes of the unused codes. A used code's hash is removed,
 * so `hashes.length` is the count left. See src/server/mfa/backup-codes.ts for the hash.
 */
export interface BackupCodes {
  /** Random per-generation salt, base64url, mixed into every hash. */
  salt: string;
  /** HMAC-SHA256 (base64url) of each unused code. */
  hashes: string[];
  createdAt: Date;
}

/** What Ferry remembers of a user of one connector (sessions, consent, MFA issues). */
export interface UserIdentity {
  userId: string;
  connectorId: string;
  claims: Claims;
  /** client id → consented scopes */
  consents: Record<string, string[]>;
  mfaSecrets: Record<string, MFASecret>;
  webauthnCredentials: Record<string, WebAuthnCredential[]>;
  createdAt: Date;
  lastLogin: Date;
  blockedUntil: Date | null;
  /** Ferry's backup codes; null = none generated. */
  backupCodes: BackupCodes | null;
}

/** Counts of what one garbage collection deleted, per kind. */
export interface GCResult {
  authRequests: number;
  authCodes: number;
  deviceRequests: number;
  deviceTokens: number;
  authSessions: number;
  revokedTokens: number;
  accessTokens: number;
  throttles: number;
}
