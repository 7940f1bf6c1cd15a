import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../lib/errors.js';
import { parseConfig } from './load.js';

const BASE = `
issuer: https://auth.example.com
storage:
  type: memory
web:
  http: 127.0.0.1:5556
`;

/** Every issue `parseConfig` reports for `yaml`, as `path: message` lines (empty when valid). */
function issuesFor(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(yaml, env);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

const problems = (extra: string, env: NodeJS.ProcessEnv = {}): string[] => issuesFor(BASE + extra, env);

test('a minimal config is valid', () => assert.deepEqual(problems(''), []));

test('issuer is required and must be an absolute http(s) URL', () => {
  assert.deepEqual(issuesFor(BASE.replace('issuer: https://auth.example.com', '')), ['issuer: required']);
  for (const bad of ['/dex', 'ftp://x/dex', 'mailto:a@b', 'https://']) {
    const yaml = BASE.replace('https://auth.example.com', JSON.stringify(bad));
    assert.deepEqual(issuesFor(yaml), ['issuer: must be an absolute http or https URL'], bad);
  }
});

test('storage is required', () => {
  assert.deepEqual(issuesFor(BASE.replace('storage:\n  type: memory\n', '')), ['storage.type: required']);
});

test('TLS versions: 1.2 or 1.3, min <= max, for web and grpc', () => {
  assert.deepEqual(problems('  tlsMinVersion: "1.3"\n  tlsMaxVersion: "1.2"\ngrpc:\n  addr: :5557\n  tlsMaxVersion: "1.0"\n'), [
    'web.tlsMinVersion: greater than web.tlsMaxVersion',
    'grpc.tlsMaxVersion: supported TLS versions are 1.2 and 1.3',
  ]);
  assert.deepEqual(problems('  tlsMaxVersion: "1.2"\n'), []);
});

test('gRPC TLS consistency', () => {
  assert.deepEqual(problems('grpc:\n  tlsCert: c.pem\n'), [
    'grpc.addr: required when grpc.tlsCert or grpc.tlsKey is set',
    'grpc: tlsCert and tlsKey must be set together',
  ]);
  assert.deepEqual(problems('grpc:\n  addr: :5557\n  tlsCert: c.pem\n  tlsKey: k.pem\n  tlsClientCA: ca.pem\n'), []);
});

test('passwordConnector may name "local" only with the password DB', () => {
  assert.deepEqual(problems('oauth2:\n  passwordConnector: local\n'), ['oauth2.passwordConnector: does not name a configured connector']);
  assert.deepEqual(problems('oauth2:\n  passwordConnector: local\nenablePasswordDB: true\n'), []);
  assert.deepEqual(problems('oauth2:\n  passwordConnector: m\nconnectors:\n  - {type: mockCallback, id: m, name: M}\n'), []);
});

test('connector rules: required fields, grant types, reserved "local"', () => {
  assert.deepEqual(
    problems('enablePasswordDB: true\nconnectors:\n  - type: mockCallback\n    id: local\n    name: L\n    grantTypes: [password, client_credentials]\n  - config: {}\n'),
    [
      'connectors[1].type: required',
      'connectors[1].id: required',
      'connectors[1].name: required',
      'connectors[0].id: id "local" is taken by the password DB (enablePasswordDB)',
      'connectors[0].grantTypes[1]: unknown grant type "client_credentials"',
    ],
  );
});

test('signer: algorithms, unknown types, required rotation period', () => {
  const local = (cfg: string) => `signer:\n  type: local\n  config:\n${cfg}`;
  assert.deepEqual(problems(local('    keysRotationPeriod: 1h\n    algorithm: EdDSA\n')), []);
  assert.deepEqual(problems(local('    algorithm: HS256\n')), [
    'signer.config.keysRotationPeriod: required',
    'signer.config.algorithm: unsupported algorithm "HS256" (want one of RS256, ES256, EdDSA)',
  ]);
  assert.deepEqual(problems('signer:\n  type: hsm\n'), ['signer.type: unknown signer type "hsm"']);
  const vault = parseConfig(`${BASE}signer:\n  type: vault\n  config:\n    keyName: k\n`, { VAULT_ADDR: 'https://v', VAULT_TOKEN: 't' });
  assert.deepEqual(vault.config.signer, { type: 'vault', addr: 'https://v', token: 't', keyName: 'k' });
});

test('both signingKeys and keysRotationPeriod: the signer wins, with a warning', () => {
  const { config, warnings } = parseConfig(
    `${BASE}expiry:\n  signingKeys: 1h\nsigner:\n  type: local\n  config:\n    keysRotationPeriod: 2h\n`,
    {},
  );
  assert.equal(config.signer.type === 'local' && config.signer.keysRotationPeriod, 7_200_000);
  assert.match(warnings.join(), /both expiry\.signingKeys and signer\.config\.keysRotationPeriod/);
});

test('wrong types name the expected type', () => {
  assert.deepEqual(problems('enablePasswordDB: "true"\noauth2:\n  responseTypes: code\nlogger: [a]\nfrontend:\n  extra: {num: 1}\n'), [
    'enablePasswordDB: expected a boolean',
    'oauth2.responseTypes: expected a list',
    'logger: expected a mapping',
    'frontend.extra.num: expected a string',
  ]);
});

test('trusted proxies must be CIDRs; a header without proxies is a warning', () => {
  assert.deepEqual(problems('  clientRemoteIP:\n    trustedProxies: [10.0.0.0/8, 10.0.0.1, ::1/129, bad/8]\n'), [
    'web.clientRemoteIP.trustedProxies[1]: not a CIDR: "10.0.0.1"',
    'web.clientRemoteIP.trustedProxies[2]: not a CIDR: "::1/129"',
    'web.clientRemoteIP.trustedProxies[3]: not a CIDR: "bad/8"',
  ]);
  const { warnings } = parseConfig(`${BASE}  clientRemoteIP:\n    header: X-Forwarded-For\n`, {});
  assert.match(warnings.join(), /header is set without trustedProxies/);
});

test('static clients: redirect URIs, backchannel URI, duplicates; relative device callback allowed', () => {
  const yaml = `staticClients:
  - id: a
    public: true
    name: A
    redirectURIs: [/dex/device/callback, "urn:ietf:wg:oauth:2.0:oob", "http://127.0.0.1:5555/callback", "no scheme"]
    backchannelLogoutURI: "ftp://x"
    refreshTokenLifetime: standalone
`;
  assert.deepEqual(problems(yaml), [
    'staticClients[0].redirectURIs[3]: not a valid absolute URI (RFC 3986): check for spaces, backslashes or bad % escapes',
    'staticClients[0].backchannelLogoutURI: must be an absolute http or https URL',
  ]);
});

test('static passwords: duplicate emails (case-insensitive), malformed hash', () => {
  const hash = '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W';
  const yaml = `enablePasswordDB: true
staticPasswords:
  - {email: a@x.io, hash: "${hash}"}
  - {email: A@X.io, hash: "${hash}"}
  - {email: b@x.io, hash: "$2a$03$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W"}
  - {hash: "${hash}"}
`;
  assert.deepEqual(problems(yaml), [
    'staticPasswords[2].hash: malformed bcrypt hash',
    'staticPasswords[3].email: required',
    'staticPasswords[1].email: duplicate email "a@x.io"',
  ]);
});

test('sessions are refused with DEX_SESSIONS_ENABLED=false, allowed without the flag; their own rules', () => {
  assert.deepEqual(problems('sessions:\n  cookieName: s\n', { DEX_SESSIONS_ENABLED: 'false' }), ['sessions: requires sessions (DEX_SESSIONS_ENABLED is false)']);
  assert.deepEqual(problems('sessions:\n  cookieName: s\n'), []);
  const bad = 'sessions:\n  absoluteLifetime: 1h\n  validIfNotUsedFor: 2h\n  cookieEncryptionKey: short\n  ssoSharedWithDefault: some\n';
  assert.deepEqual(problems(bad, { DEX_SESSIONS_ENABLED: 'true' }), [
    'sessions.validIfNotUsedFor: must not exceed absoluteLifetime',
    'sessions.cookieEncryptionKey: must be 16, 24 or 32 bytes',
    'sessions.ssoSharedWithDefault: must be "none" or "all"',
  ]);
});

test('sessions.backchannelLogout: durations parse, a lease outlives a delivery, retries grow', () => {
  const yaml = 'sessions:\n  backchannelLogout:\n    timeout: 10s\n    leaseDuration: 5s\n    retryAfter: 1m\n    maxRetryDelay: 10s\n    giveUpAfter: soon\n';
  assert.deepEqual(problems(yaml, { DEX_SESSIONS_ENABLED: 'true' }), [
    'sessions.backchannelLogout.giveUpAfter: invalid duration "soon"',
    'sessions.backchannelLogout.leaseDuration: must be longer than timeout (a lease must outlive one delivery)',
    'sessions.backchannelLogout.maxRetryDelay: must not be shorter than retryAfter',
  ]);
  const ok = parseConfig(`${BASE}sessions:\n  backchannelLogout:\n    pollInterval: 250ms\n    allowInsecureHTTP: true\n`, { DEX_SESSIONS_ENABLED: 'true' }).config.sessions;
  assert.equal(ok?.backchannelLogout?.pollInterval, 250);
  assert.equal(ok?.backchannelLogout?.allowInsecureHTTP, true);
});

test('mfa: needs sessions, unique ids, known types and chain references', () => {
  const yaml = `mfa:
  authenticators:
    - {id: t, type: TOTP}
    - {id: t, type: SMS}
  defaultMFAChain: [t, nope]
staticClients:
  - {id: c, secret: s, name: C, mfaChain: [missing]}
`;
  assert.deepEqual(problems('mfa:\n  authenticators:\n    - {id: t, type: TOTP}\n  defaultMFAChain: [t]\n'), [], 'allowed with sessions on (the default)');
  assert.deepEqual(problems(yaml, { DEX_SESSIONS_ENABLED: 'false' }), [
    'mfa.authenticators[1].id: duplicate authenticator id "t"',
    'mfa.authenticators[1].type: unknown type "SMS" (want TOTP or WebAuthn)',
    'mfa: requires sessions (DEX_SESSIONS_ENABLED is false)',
    'mfa.defaultMFAChain[1]: unknown authenticator "nope"',
    'staticClients[0].mfaChain[0]: unknown MFA authenticator "missing"',
  ]);
});

test('logger level and format are case-insensitive', () => {
  const { config } = parseConfig(`${BASE}logger:\n  level: DEBUG\n  format: JSON\n`, {});
  assert.deepEqual([config.logger.level, config.logger.format], ['debug', 'json']);
});

test('a WebAuthn relying-party id that is an IP address is a warning naming the authenticator (browsers refuse it)', () => {
  const mfa = (issuer: string, rp = '') =>
    parseConfig(BASE.replace('https://auth.example.com', issuer) +
      `mfa:\n  authenticators:\n  - {id: totp, type: TOTP}\n  - {id: key, type: WebAuthn${rp ? `, config: {rpID: "${rp}"}` : ''}}\n`, {}).warnings;
  assert.deepEqual(mfa('http://127.0.0.1:5556/dex'), [
    'mfa.authenticators[1]: the WebAuthn relying-party id "127.0.0.1" is an IP address, which browsers refuse for passkeys; use a host name in the issuer (e.g. localhost) or set config.rpID',
  ]);
  assert.match(mfa('http://[::1]:5556/dex').join(), /relying-party id "::1" is an IP address/);
  assert.deepEqual(mfa('http://localhost:5556/dex'), []);
  assert.deepEqual(mfa('http://127.0.0.1:5556/dex', 'localhost'), [], 'an explicit rpID decides');
  assert.match(mfa('https://auth.example.com', '10.0.0.1').join(), /"10\.0\.0\.1" is an IP address/);
});
