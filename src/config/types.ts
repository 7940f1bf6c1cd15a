/**
 * The parsed configuration: dex's `config.yaml` (dex v2.45.1 `cmd/dex/config.go`) after case-insensitive key matching, env
 * expansion, defaults and validation. Key names are dex's, camelCase. Durations are milliseconds.
 * `src/config/load.ts` turns YAML into this shape; everything else in Ferry reads only this shape.
 */

import type { Client, Password } from '../storage/types.js';

export type SecurityHeader =
  | 'Content-Security-Policy'
  | 'X-Frame-Options'
  | 'X-Content-Type-Options'
  | 'X-XSS-Protection'
  | 'Strict-Transport-Security';

export interface WebConfig {
  http: string;
  https: string;
  tlsCert: string;
  tlsKey: string;
  tlsMinVersion: string;
  tlsMaxVersion: string;
  /** Go cipher-suite names (Ferry extension); absent or empty = dex's fixed list. */
  tlsCipherSuites?: string[];
  /** Listener timeouts in ms (Ferry extension; dex sets none). Absent = the defaults in `LISTENER_TIMEOUTS`. */
  timeouts?: ListenerTimeouts;
  headers: Partial<Record<SecurityHeader, string>>;
  /** CORS origins; empty = CORS off. */
  allowedOrigins: string[];
  /** Default `["Authorization"]`. */
  allowedHeaders: string[];
  clientRemoteIP: { header: string; trustedProxies: string[] };
}

/** How long an HTTP listener waits on a client (ms; 0 = no limit). */
export interface ListenerTimeouts {
  /** The whole request (headers and body) must arrive within this. */
  request: number;
  /** The request headers must arrive within this. */
  headers: number;
  /** An idle keep-alive connection is closed after this. */
  keepAlive: number;
  /** A socket with no traffic at all (in either direction) is closed after this. */
  idle: number;
}

export const LISTENER_TIMEOUTS: ListenerTimeouts = { request: 30_000, headers: 10_000, keepAlive: 65_000, idle: 120_000 };

export interface TelemetryConfig {
  http: string;
  enableProfiling: boolean;
}

export interface GrpcConfig {
  addr: string;
  tlsCert: string;
  tlsKey: string;
  tlsClientCA: string;
  tlsMinVersion: string;
  tlsMaxVersion: string;
  reflection: boolean;
  /** As `web.tlsCipherSuites`. */
  tlsCipherSuites?: string[];
}

export interface RefreshExpiryConfig {
  disableRotation: boolean;
  /** ms; 0 = no reuse window */
  reuseInterval: number;
  /** ms; 0 = disabled */
  absoluteLifetime: number;
  /** ms; 0 = disabled */
  validIfNotUsedFor: number;
}

export interface ExpiryConfig {
  /** ID and access token lifetime; also how long a demoted verification key is kept. Default 24h. */
  idTokens: number;
  /** Default 24h. */
  authRequests: number;
  /** Default 5m. */
  deviceRequests: number;
  /** Deprecated signing key rotation period (used only when `signer` is absent). 0 = not set. */
  signingKeys: number;
  refreshTokens: RefreshExpiryConfig;
}

export interface LoggerConfig {
  /** The least severe level printed (`silent` for slog levels above ERROR). */
  level: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  format: 'text' | 'json';
  excludeFields: string[];
}

/** How access tokens are issued: signed JWTs (dex's way, the default) or opaque stored values (Ferry only). */
export type AccessTokenFormat = 'jwt' | 'opaque';

export interface OAuth2Config {
  /** The configured list, or dex's default list when omitted (dex v2.45.1 `server/server.go` `newServer`, `allSupportedGrants`). */
  grantTypes: string[];
  /** Default `["code"]`. */
  responseTypes: string[];
  skipApprovalScreen: boolean;
  alwaysShowLoginScreen: boolean;
  /** Connector id enabling the password grant; empty = disabled. */
  passwordConnector: string;
  /**
   * dex's `enforce` and `codeChallengeMethodsSupported`, plus Ferry's `requireS256ForPublicClients` (default true):
   * a public client's code flow needs an S256 challenge at /auth and its verifier at /token
   * (docs/compatibility.md explains the choice).
   */
  pkce: { enforce: boolean; codeChallengeMethodsSupported: string[]; requireS256ForPublicClients: boolean };
  /** Ferry only: `oauth2.accessTokenFormat`; absent = `jwt` (src/server/tokens/opaque-access-token.ts). */
  accessTokenFormat?: AccessTokenFormat;
  /**
   * Ferry only: client id → `staticClients[].accessTokenFormat` where set. Clients created through the API are not
   * in it and follow `accessTokenFormat`.
   */
  clientAccessTokenFormats?: Record<string, AccessTokenFormat>;
}

export interface FrontendConfig {
  /** Custom web assets directory; empty = Ferry's built-in `web/`. Falls back to env `DEX_FRONTEND_DIR`. */
  dir: string;
  /** Default `theme/logo.png`. */
  logoURL: string;
  /** Display name; default `dex`. */
  issuer: string;
  /** `light` (default) or `dark` (or any theme folder in a custom dir). */
  theme: string;
  extra: Record<string, string>;
}

export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

export interface LocalSignerConfig {
  type: 'local';
  /** ms */
  keysRotationPeriod: number;
  algorithm: SigningAlgorithm;
}

export interface VaultSignerConfig {
  type: 'vault';
  addr: string;
  token: string;
  keyName: string;
}

export type SignerConfig = LocalSignerConfig | VaultSignerConfig;

export interface ConnectorConfig {
  type: string;
  id: string;
  name: string;
  /** The raw (env-expanded) connector config; each connector factory parses it. */
  config: Record<string, unknown>;
  /** Empty = all grant types. */
  grantTypes: string[];
}

export interface StorageConfig {
  type: string;
  /** The raw (env-expanded) backend config; each backend parses it. */
  config: Record<string, unknown>;
}

export interface Config {
  issuer: string;
  storage: StorageConfig;
  web: WebConfig;
  telemetry: TelemetryConfig;
  grpc: GrpcConfig;
  expiry: ExpiryConfig;
  logger: LoggerConfig;
  oauth2: OAuth2Config;
  frontend: FrontendConfig;
  signer: SignerConfig;
  connectors: ConnectorConfig[];
  staticClients: Client[];
  enablePasswordDB: boolean;
  staticPasswords: Password[];
  /**
   * Auth sessions (dex `sessions`): present unless `DEX_SESSIONS_ENABLED=false` (then with defaults even if the
   * block is absent); `null`/absent = sessions off. Added by the config loader.
   */
  sessions?: SessionsConfig | null;
  /** MFA authenticators (dex `mfa`, requires sessions). Absent = none configured. */
  mfa?: MFAConfig;
}

export interface SessionsConfig {
  /** Default `dex_session`. */
  cookieName: string;
  /** ms; default 24h. */
  absoluteLifetime: number;
  /** ms; default 1h; never more than `absoluteLifetime`. */
  validIfNotUsedFor: number;
  /** Default true. */
  rememberMeCheckedByDefault: boolean;
  /** Raw key text (16, 24 or 32 bytes → AES-GCM); empty = cookies not encrypted. */
  cookieEncryptionKey: string;
  /** `none` (default) or `all`. */
  ssoSharedWithDefault: 'none' | 'all';
  /**
   * Ferry extension: delivery of back-channel logout notifications (`src/config/backchannel-logout.ts`); the
   * loader always sets it, absent (a config built in code) = the defaults.
   */
  backchannelLogout?: BackchannelLogoutConfig;
}

/** How the back-channel logout outbox delivers (durations in ms). */
export interface BackchannelLogoutConfig {
  /** One POST to a relying party may take this long (default 5s). */
  timeout: number;
  /** A replica owns a claimed notification this long; after it, another replica may take it (default 30s). */
  leaseDuration: number;
  /** Delay before the first retry, doubled each time with jitter (default 5s) ... */
  retryAfter: number;
  /** ... up to this (default 15m). */
  maxRetryDelay: number;
  /** A notification not delivered this long after the logout is dropped with an error log (default 1h). */
  giveUpAfter: number;
  /** How often each replica looks for due notifications (default 2s). */
  pollInterval: number;
  /** Plain `http` to a non-loopback host (default false: refused; loopback `http` is always allowed). */
  allowInsecureHTTP: boolean;
}

export interface MFAAuthenticatorConfig {
  id: string;
  type: 'TOTP' | 'WebAuthn';
  /** Raw authenticator config (TOTP: `issuer`; WebAuthn: `rpDisplayName`, `rpID`, ...). */
  config: Record<string, unknown>;
  /** Limit to these connector types; empty = all. */
  connectorTypes: string[];
}

export interface MFAConfig {
  authenticators: MFAAuthenticatorConfig[];
  /** Authenticator ids applied to clients without their own `mfaChain`; empty = no MFA by default. */
  defaultMFAChain: string[];
  /** Ferry only: 32-byte key encrypting MFA secrets at rest (`mfa.encryptionKey` / `FERRY_MFA_ENCRYPTION_KEY`); null = clear. */
  encryptionKey?: Uint8Array | null;
}
