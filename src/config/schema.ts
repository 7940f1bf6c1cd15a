/**
 * The shape of dex's config file, key by key, as Go's `encoding/json` sees dex's structs: the names here are the
 * canonical spellings; `decode.ts` matches user keys against them case-insensitively. Plugin configs
 * (`storage.config`, `connectors[].config`, `signer.config`, `mfa.authenticators[].config`) are kept `raw`: their
 * factories parse them.
 */

export type Shape =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'list'; of: Shape }
  /** `map[string]string` */
  | { kind: 'strmap' }
  /** Any mapping, kept verbatim (absent or null → `{}`). */
  | { kind: 'raw' }
  /** `lax`: unknown keys are only warned about, even in strict mode (dex decodes these without the strict flag). */
  | { kind: 'object'; fields: Record<string, Shape>; lax?: boolean };

const str: Shape = { kind: 'string' };
const bool: Shape = { kind: 'bool' };
const raw: Shape = { kind: 'raw' };
const strs: Shape = { kind: 'list', of: str };
const obj = (fields: Record<string, Shape>, lax = false): Shape => ({ kind: 'object', fields, lax });
const fieldsOf = (names: string, shape: Shape): Record<string, Shape> =>
  Object.fromEntries(names.split(' ').map((n) => [n, shape]));

const web = obj({
  ...fieldsOf('http https tlsCert tlsKey tlsMinVersion tlsMaxVersion', str),
  // Ferry extensions (docs/operations.md): dex's cipher list is fixed, its listeners have no timeouts.
  tlsCipherSuites: strs,
  timeouts: obj(fieldsOf('request headers keepAlive idle', str)),
  headers: obj(
    fieldsOf(
      'Content-Security-Policy X-Frame-Options X-Content-Type-Options X-XSS-Protection Strict-Transport-Security',
      str,
    ),
  ),
  allowedOrigins: strs,
  allowedHeaders: strs,
  clientRemoteIP: obj({ header: str, trustedProxies: strs }),
});

const oauth2 = obj({
  grantTypes: strs,
  responseTypes: strs,
  skipApprovalScreen: bool,
  alwaysShowLoginScreen: bool,
  passwordConnector: str,
  accessTokenFormat: str,
  pkce: obj({ enforce: bool, codeChallengeMethodsSupported: strs, requireS256ForPublicClients: bool }),
});

const expiry = obj({
  ...fieldsOf('signingKeys idTokens authRequests deviceRequests', str),
  refreshTokens: obj({ disableRotation: bool, ...fieldsOf('reuseInterval absoluteLifetime validIfNotUsedFor', str) }),
});

const staticClient = obj({
  ...fieldsOf('id idEnv secret secretEnv backchannelLogoutURI refreshTokenLifetime name logoURL accessTokenFormat', str),
  ...fieldsOf('redirectURIs postLogoutRedirectURIs trustedPeers allowedConnectors mfaChain ssoSharedWith', strs),
  public: bool,
  clientCredentialsClaims: obj({ groups: strs }),
});

const staticPassword = obj({
  ...fieldsOf('email username name preferredUsername userID hash hashFromEnv', str),
  emailVerified: bool,
  groups: strs,
});

/** The whole file. */
export const CONFIG_SHAPE: Shape = obj({
  issuer: str,
  storage: obj({ type: str, config: raw }),
  web,
  telemetry: obj({ http: str, enableProfiling: bool }),
  oauth2,
  grpc: obj({
    ...fieldsOf('addr tlsCert tlsKey tlsClientCA tlsMinVersion tlsMaxVersion', str),
    reflection: bool,
    tlsCipherSuites: strs,
  }),
  expiry,
  logger: obj({ level: str, format: str, excludeFields: strs }),
  // Go struct without JSON tags: dex matches the field names.
  frontend: obj({ dir: str, logoURL: str, issuer: str, theme: str, extra: { kind: 'strmap' } }),
  signer: obj({ type: str, config: raw }, true),
  connectors: { kind: 'list', of: obj({ type: str, name: str, id: str, config: raw, grantTypes: strs }) },
  staticClients: { kind: 'list', of: staticClient },
  enablePasswordDB: bool,
  staticPasswords: { kind: 'list', of: staticPassword },
  sessions: obj({
    ...fieldsOf('cookieName absoluteLifetime validIfNotUsedFor cookieEncryptionKey ssoSharedWithDefault', str),
    rememberMeCheckedByDefault: bool,
    backchannelLogout: obj({
      ...fieldsOf('timeout leaseDuration retryAfter maxRetryDelay giveUpAfter pollInterval', str),
      allowInsecureHTTP: bool,
    }),
  }),
  mfa: obj({
    authenticators: { kind: 'list', of: obj({ id: str, type: str, config: raw, connectorTypes: strs }) },
    defaultMFAChain: strs,
    encryptionKey: str,
  }),
});

/** `signer.config` for `type: local` (decoded laxly, as dex does). */
export const LOCAL_SIGNER_SHAPE: Shape = obj({ keysRotationPeriod: str, algorithm: str }, true);

/** `signer.config` for `type: vault`. */
export const VAULT_SIGNER_SHAPE: Shape = obj({ addr: str, token: str, keyName: str }, true);
