/**
 * Cross-field rules on a built `Config` (dex v2.45.1 `cmd/dex/config.go` `Validate`, `cmd/dex/serve.go` start-up checks), written
 * as a table. Every rule runs; every problem is reported with the key path it concerns. Type errors, bad
 * durations and missing per-item fields were already collected while building; plugin configs are checked by
 * their factories (`plugin-configs.ts`).
 */

import { isIP } from 'node:net';
import type { ConfigIssue } from '../lib/errors.js';
import { isKnownCipherSuite, KNOWN_CIPHER_SUITES } from '../lib/tls-ciphers.js';
import { registeredRedirectURIProblem } from '../lib/redirect-uri-policy.js';
import type { Config } from './types.js';

/** The response types dex accepts in `oauth2.responseTypes`. */
export const RESPONSE_TYPES = [
  'code',
  'token',
  'id_token',
  'code token',
  'code id_token',
  'id_token token',
  'code id_token token',
] as const;

/** Grant types a connector's `grantTypes` may name (dex `connectors.ConnectorGrantTypes`). */
export const CONNECTOR_GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'implicit',
  'password',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
] as const;

/** A redirect URI is an absolute URL or an issuer-relative path such as dex's `/dex/device/callback`. */
const TLS_VERSIONS = ['1.2', '1.3'];

/** A rule over the whole config: `bad` decides, `path` and `message` describe. */
interface Check {
  path: string;
  message: string;
  bad: (c: Config) => boolean;
}

const tlsChecks = (section: 'web' | 'grpc'): Check[] => [
  {
    path: `${section}.tlsMinVersion`,
    message: 'supported TLS versions are 1.2 and 1.3',
    bad: (c) => !TLS_VERSIONS.includes(c[section].tlsMinVersion),
  },
  {
    path: `${section}.tlsMaxVersion`,
    message: 'supported TLS versions are 1.2 and 1.3',
    bad: (c) => c[section].tlsMaxVersion !== '' && !TLS_VERSIONS.includes(c[section].tlsMaxVersion),
  },
  {
    path: `${section}.tlsMinVersion`,
    message: `greater than ${section}.tlsMaxVersion`,
    bad: (c) =>
      TLS_VERSIONS.includes(c[section].tlsMinVersion) &&
      TLS_VERSIONS.includes(c[section].tlsMaxVersion) &&
      c[section].tlsMinVersion > c[section].tlsMaxVersion,
  },
];

const CHECKS: Check[] = [
  { path: 'issuer', message: 'required', bad: (c) => c.issuer === '' },
  { path: 'issuer', message: 'must be an absolute http or https URL', bad: (c) => c.issuer !== '' && !isHttpURL(c.issuer) },
  { path: 'storage.type', message: 'required', bad: (c) => c.storage.type === '' },
  {
    path: 'oauth2.pkce.requireS256ForPublicClients',
    message: 'needs S256 in oauth2.pkce.codeChallengeMethodsSupported (or set it to false)',
    bad: (c) => c.oauth2.pkce.requireS256ForPublicClients && !c.oauth2.pkce.codeChallengeMethodsSupported.includes('S256'),
  },
  {
    path: 'staticPasswords',
    message: 'cannot be set without enablePasswordDB: true',
    bad: (c) => !c.enablePasswordDB && c.staticPasswords.length > 0,
  },
  { path: 'web', message: 'one of http or https is required', bad: (c) => c.web.http === '' && c.web.https === '' },
  { path: 'web.tlsCert', message: 'required when web.https is set', bad: (c) => c.web.https !== '' && c.web.tlsCert === '' },
  { path: 'web.tlsKey', message: 'required when web.https is set', bad: (c) => c.web.https !== '' && c.web.tlsKey === '' },
  ...tlsChecks('web'),
  {
    path: 'grpc.addr',
    message: 'required when grpc.tlsCert or grpc.tlsKey is set',
    bad: (c) => c.grpc.addr === '' && (c.grpc.tlsCert !== '' || c.grpc.tlsKey !== ''),
  },
  {
    path: 'grpc',
    message: 'tlsCert and tlsKey must be set together',
    bad: (c) => (c.grpc.tlsCert === '') !== (c.grpc.tlsKey === ''),
  },
  {
    path: 'grpc.tlsClientCA',
    message: 'requires grpc.tlsCert',
    bad: (c) => c.grpc.tlsClientCA !== '' && c.grpc.tlsCert === '',
  },
  ...tlsChecks('grpc'),
  {
    path: 'telemetry.enableProfiling',
    message: 'requires telemetry.http (profiles are served on the telemetry listener only)',
    bad: (c) => c.telemetry.enableProfiling && c.telemetry.http === '',
  },
  {
    path: 'oauth2.passwordConnector',
    message: 'does not name a configured connector',
    bad: (c) =>
      c.oauth2.passwordConnector !== '' &&
      !c.connectors.some((k) => k.id === c.oauth2.passwordConnector) &&
      !(c.enablePasswordDB && c.oauth2.passwordConnector === 'local'),
  },
  {
    path: 'signer.config.keysRotationPeriod',
    message: 'must be positive',
    bad: (c) => c.signer.type === 'local' && c.signer.keysRotationPeriod <= 0,
  },
];

/** A rule applied to each item of some list: `items` yields `[path, value]` pairs. */
interface ItemCheck {
  items: (c: Config) => Array<[string, string]>;
  bad: (value: string, c: Config) => boolean;
  message: (value: string) => string;
}

const q = JSON.stringify;
const each = (list: string[], path: string): Array<[string, string]> => list.map((v, i) => [`${path}[${i}]`, v]);
const clientField = (c: Config, key: 'backchannelLogoutURI' | 'refreshTokenLifetime'): Array<[string, string]> =>
  c.staticClients.map((k, i) => [`staticClients[${i}].${key}`, k[key]]);
const hasMFA = (c: Config): boolean => !!c.mfa && (c.mfa.authenticators.length > 0 || c.mfa.defaultMFAChain.length > 0);

const ITEM_CHECKS: ItemCheck[] = [
  {
    items: (c) => each(c.oauth2.responseTypes, 'oauth2.responseTypes'),
    bad: (t) => !(RESPONSE_TYPES as readonly string[]).includes(t),
    message: (t) => `unsupported response type ${q(t)}`,
  },
  {
    items: (c) => each(c.oauth2.pkce.codeChallengeMethodsSupported, 'oauth2.pkce.codeChallengeMethodsSupported'),
    bad: (m) => m !== 'S256' && m !== 'plain',
    message: (m) => `unsupported PKCE method ${q(m)}`,
  },
  {
    items: (c) => each(c.web.clientRemoteIP.trustedProxies, 'web.clientRemoteIP.trustedProxies'),
    bad: (p) => !isCIDR(p),
    message: (p) => `not a CIDR: ${q(p)}`,
  },
  {
    items: (c) => c.connectors.map((k, i) => [`connectors[${i}].id`, k.id]),
    bad: (id, c) => c.enablePasswordDB && id === 'local',
    message: () => 'id "local" is taken by the password DB (enablePasswordDB)',
  },
  {
    items: (c) => c.connectors.flatMap((k, i) => each(k.grantTypes, `connectors[${i}].grantTypes`)),
    bad: (g) => !(CONNECTOR_GRANT_TYPES as readonly string[]).includes(g),
    message: (g) => `unknown grant type ${q(g)}`,
  },
  {
    items: (c) => c.staticClients.flatMap((k, i) => each(k.redirectURIs, `staticClients[${i}].redirectURIs`)),
    bad: (u) => registeredRedirectURIProblem(u) !== null,
    message: (u) => registeredRedirectURIProblem(u) ?? '',
  },
  {
    items: (c) => c.staticClients.flatMap((k, i) => each(k.postLogoutRedirectURIs, `staticClients[${i}].postLogoutRedirectURIs`)),
    bad: (u) => registeredRedirectURIProblem(u) !== null,
    message: (u) => registeredRedirectURIProblem(u) ?? '',
  },
  {
    items: (c) => clientField(c, 'backchannelLogoutURI'),
    bad: (u) => u !== '' && !isHttpURL(u),
    message: () => 'must be an absolute http or https URL',
  },
  {
    items: (c) => clientField(c, 'refreshTokenLifetime'),
    bad: (v) => !['', 'standalone', 'session'].includes(v),
    message: (v) => `must be "standalone" or "session", not ${q(v)}`,
  },
  {
    items: (c) => [...each(c.web.tlsCipherSuites ?? [], 'web.tlsCipherSuites'), ...each(c.grpc.tlsCipherSuites ?? [], 'grpc.tlsCipherSuites')],
    bad: (name) => !isKnownCipherSuite(name),
    message: (name) => `unknown or unsupported cipher suite ${q(name)} (supported: ${KNOWN_CIPHER_SUITES.join(', ')})`,
  },
  {
    // dex checks client chains only when MFA is configured at all.
    items: (c) => (hasMFA(c) ? c.staticClients.flatMap((k, i) => each(k.mfaChain ?? [], `staticClients[${i}].mfaChain`)) : []),
    bad: (id, c) => !c.mfa?.authenticators.some((a) => a.id === id),
    message: (id) => `unknown MFA authenticator ${q(id)}`,
  },
];

/** Lists whose values must be unique: the second and later occurrences are reported. */
const UNIQUE: Array<{ what: string; items: (c: Config) => Array<[string, string]> }> = [
  { what: 'connector id', items: (c) => c.connectors.map((k, i) => [`connectors[${i}].id`, k.id]) },
  { what: 'client id', items: (c) => c.staticClients.map((k, i) => [`staticClients[${i}].id`, k.id]) },
  // Emails are case-insensitive keys in password storage.
  { what: 'email', items: (c) => c.staticPasswords.map((p, i) => [`staticPasswords[${i}].email`, p.email.toLowerCase()]) },
];

/** Runs every rule; returns all problems (empty = valid) and advisory warnings. */
export function validateConfig(config: Config): { issues: ConfigIssue[]; warnings: string[] } {
  const issues = CHECKS.filter((check) => check.bad(config)).map(({ path, message }) => ({ path, message }));
  for (const check of ITEM_CHECKS) {
    for (const [path, value] of check.items(config)) {
      if (check.bad(value, config)) issues.push({ path, message: check.message(value) });
    }
  }
  for (const { what, items } of UNIQUE) {
    const seen = new Set<string>();
    for (const [path, value] of items(config)) {
      if (value !== '' && seen.has(value)) issues.push({ path, message: `duplicate ${what} ${q(value)}` });
      seen.add(value);
    }
  }
  const warnings: string[] = [];
  if (config.web.clientRemoteIP.header !== '' && config.web.clientRemoteIP.trustedProxies.length === 0) {
    warnings.push('web.clientRemoteIP.header is set without trustedProxies: the header is ignored');
  }
  if (config.grpc.addr !== '' && config.grpc.tlsClientCA === '') {
    warnings.push('grpc: no tlsClientCA, so the gRPC API is unauthenticated admin access');
  }
  warnings.push(...ipRelyingParties(config));
  return { issues, warnings };
}

/**
 * WebAuthn authenticators whose relying-party id (`config.rpID`, else the issuer's host) is an IP address: browsers
 * refuse those (WebAuthn Level 2 §5.1.3 and §13.4.9: the RP ID must be a registrable domain), so no passkey could
 * ever be registered. A warning, not an error: dex HEAD accepts the setting, and a non-browser client might not care.
 */
function ipRelyingParties(config: Config): string[] {
  const issuerHost = URL.canParse(config.issuer) ? new URL(config.issuer).hostname : '';
  return (config.mfa?.authenticators ?? []).flatMap((a, i) => {
    if (a.type !== 'WebAuthn') return [];
    const own = a.config['rpID'];
    const rpID = (typeof own === 'string' && own !== '' ? own : issuerHost).replace(/^\[|\]$/g, '');
    if (isIP(rpID) === 0) return [];
    return [`mfa.authenticators[${i}]: the WebAuthn relying-party id ${q(rpID)} is an IP address, which browsers refuse for passkeys; ` +
      'use a host name in the issuer (e.g. localhost) or set config.rpID'];
  });
}

function isHttpURL(s: string): boolean {
  if (!URL.canParse(s)) return false;
  const u = new URL(s);
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
}

function isCIDR(s: string): boolean {
  const [ip = '', bits, extra] = s.split('/');
  const family = isIP(ip);
  if (family === 0 || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}
