import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BACKCHANNEL_LOGOUT_DEFAULTS } from './backchannel-logout.js';
import { ConfigError } from '../lib/errors.js';
import { loadConfig, parseConfig } from './load.js';

const BASE = `
issuer: http://127.0.0.1:5556/dex
storage:
  type: memory
web:
  http: 127.0.0.1:5556
`;

/** Parses BASE plus `extra` with `env`; returns the issues of the ConfigError it throws. */
function issuesOf(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(yaml, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  }
  assert.fail('expected a ConfigError');
}

describe('defaults', () => {
  const { config, warnings } = parseConfig(BASE, {});

  test('expiry, logger, web, grpc', () => {
    assert.deepEqual(config.expiry, {
      idTokens: 86_400_000,
      authRequests: 86_400_000,
      deviceRequests: 300_000,
      signingKeys: 0,
      refreshTokens: { disableRotation: false, reuseInterval: 0, absoluteLifetime: 0, validIfNotUsedFor: 0 },
    });
    assert.deepEqual(config.logger, { level: 'info', format: 'text', excludeFields: [] });
    assert.deepEqual(config.web.allowedHeaders, ['Authorization']);
    assert.deepEqual(config.web.allowedOrigins, []);
    assert.equal(config.web.tlsMinVersion, '1.2');
    assert.equal(config.grpc.addr, '');
    assert.deepEqual(warnings, []);
  });

  test('oauth2: dex grant list, code, both PKCE methods', () => {
    assert.deepEqual(config.oauth2, {
      grantTypes: [
        'authorization_code',
        'implicit',
        'password',
        'refresh_token',
        'urn:ietf:params:oauth:grant-type:device_code',
        'urn:ietf:params:oauth:grant-type:token-exchange',
      ],
      responseTypes: ['code'],
      skipApprovalScreen: false,
      alwaysShowLoginScreen: false,
      passwordConnector: '',
      pkce: { enforce: false, codeChallengeMethodsSupported: ['S256', 'plain'], requireS256ForPublicClients: true },
    });
  });

  test('client_credentials joins the default list only with the flag', () => {
    const on = parseConfig(BASE, { DEX_CLIENT_CREDENTIAL_GRANT_ENABLED_BY_DEFAULT: 'true' }).config;
    assert.equal(on.oauth2.grantTypes.at(-1), 'client_credentials');
    assert.ok(!config.oauth2.grantTypes.includes('client_credentials'));
    const explicit = parseConfig(`${BASE}oauth2:\n  grantTypes: [client_credentials]\n`, {}).config;
    assert.deepEqual(explicit.oauth2.grantTypes, ['client_credentials']);
  });

  test('frontend, signer, sessions', () => {
    assert.deepEqual(config.frontend, { dir: '', logoURL: 'theme/logo.png', issuer: 'dex', theme: 'light', extra: {} });
    assert.deepEqual(config.signer, { type: 'local', keysRotationPeriod: 21_600_000, algorithm: 'RS256' });
    assert.equal(config.sessions?.cookieName, 'dex_session', 'sessions are on by default (Ferry; dex HEAD: off)');
    assert.equal(parseConfig(BASE, { DEX_SESSIONS_ENABLED: 'false' }).config.sessions, null, 'DEX_SESSIONS_ENABLED=false turns them off');
    assert.equal(config.enablePasswordDB, false);
    assert.deepEqual(config.connectors, []);
  });

  test('DEX_FRONTEND_DIR is the fallback for frontend.dir', () => {
    assert.equal(parseConfig(BASE, { DEX_FRONTEND_DIR: '/srv/web' }).config.frontend.dir, '/srv/web');
    const own = parseConfig(`${BASE}frontend:\n  dir: /mine\n`, { DEX_FRONTEND_DIR: '/srv/web' }).config;
    assert.equal(own.frontend.dir, '/mine');
  });

  test('a static client gets every Client field', () => {
    const yaml = `${BASE}staticClients:\n  - id: a\n    secret: s\n    name: A\n`;
    assert.deepEqual(parseConfig(yaml, {}).config.staticClients, [
      {
        id: 'a',
        secret: 's',
        redirectURIs: [],
        trustedPeers: [],
        public: false,
        name: 'A',
        logoURL: '',
        allowedConnectors: [],
        postLogoutRedirectURIs: [],
        backchannelLogoutURI: '',
        refreshTokenLifetime: '',
        clientCredentialsClaims: null,
        ssoSharedWith: null,
        mfaChain: null,
      },
    ]);
  });

  test('sessions get defaults when the flag is on or unset, even without the block', () => {
    const s = parseConfig(BASE, { DEX_SESSIONS_ENABLED: 'true' }).config.sessions;
    assert.deepEqual(parseConfig(BASE, {}).config.sessions, s);
    assert.deepEqual(s, {
      cookieName: 'dex_session',
      absoluteLifetime: 86_400_000,
      validIfNotUsedFor: 3_600_000,
      rememberMeCheckedByDefault: true,
      cookieEncryptionKey: '',
      ssoSharedWithDefault: 'none',
      backchannelLogout: BACKCHANNEL_LOGOUT_DEFAULTS,
    });
  });
});

describe('case-insensitive keys (Go encoding/json)', () => {
  const { config, warnings } = loadConfig('test/fixtures/config/mixed-case.yaml', {});

  test('keys in any case reach the right fields', () => {
    assert.equal(config.issuer, 'http://127.0.0.1:5556/dex');
    assert.equal(config.storage.type, 'memory');
    assert.equal(config.web.http, '127.0.0.1:5556');
    assert.deepEqual(config.web.headers, { 'X-Frame-Options': 'DENY' });
    assert.deepEqual(config.web.clientRemoteIP, { header: 'X-Real-IP', trustedProxies: ['127.0.0.1/32'] });
    assert.equal(config.oauth2.skipApprovalScreen, true, 'YAML 1.1 "yes" is a boolean, as in dex');
    assert.equal(config.oauth2.pkce.enforce, true);
    assert.equal(config.expiry.idTokens, 3_600_000);
    assert.equal(config.expiry.refreshTokens.validIfNotUsedFor, 7_200_000);
    assert.equal(config.frontend.logoURL, '/logo.svg');
    assert.equal(config.frontend.theme, 'light', 'legacy theme names fall back to light');
    assert.equal(config.enablePasswordDB, true);
  });

  test('lists of objects too', () => {
    assert.deepEqual(
      config.staticClients.map((c) => [c.id, c.secret, c.name, c.public, c.redirectURIs]),
      [
        ['one', 's1', 'One', false, ['http://127.0.0.1:5555/callback']],
        ['two', '', 'Two', true, []],
      ],
    );
    assert.equal(config.staticPasswords[0]?.userId, 'u-1');
    assert.equal(config.staticPasswords[0]?.name, 'jane', 'name defaults to username');
    assert.equal(config.staticPasswords[0]?.emailVerified, null, 'unset emailVerified stays null (treated as true)');
    assert.deepEqual(config.connectors[0], {
      type: 'mockPassword',
      id: 'pw',
      name: 'Password',
      config: { UserName: 'kilgore', PASSWORD: 'trout' },
      grantTypes: [],
    });
  });

  test('unknown keys are warnings by default', () => {
    assert.deepEqual(warnings, ['staticClients[0].clientid: unknown key (ignored)']);
  });

  test('and errors with DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS=true', () => {
    assert.throws(
      () => loadConfig('test/fixtures/config/mixed-case.yaml', { DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS: 'true' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.issues.length === 1 &&
        err.issues[0]?.path === 'staticClients[0].clientid' &&
        err.issues[0]?.message === 'unknown key',
    );
  });

  test('an invalid flag value keeps the lenient default', () => {
    const { warnings: w } = loadConfig('test/fixtures/config/mixed-case.yaml', { DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS: 'yes' });
    assert.equal(w.length, 1);
  });

  test('the signer block stays lenient even in strict mode, as in dex', () => {
    const yaml = `${BASE}signer:\n  type: local\n  extra: 1\n  config:\n    keysRotationPeriod: 1h\n    color: blue\n`;
    const { config: c, warnings: w } = parseConfig(yaml, { DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS: 'true' });
    assert.equal(c.signer.type === 'local' && c.signer.keysRotationPeriod, 3_600_000);
    assert.deepEqual(w, ['signer.extra: unknown key (ignored)', 'signer.config.color: unknown key (ignored)']);
  });
});

describe('environment', () => {
  const env = { DB: '/var/db', USER_NAME: 'kilgore', PASS: 'p$ss', SECRET: 'shh', ID: 'env-client', HASH: '' };

  test('expanded in storage, connector and signer configs only', () => {
    const yaml = `
issuer: http://127.0.0.1:5556/$DB
storage:
  type: sqlite3
  config:
    file: \${DB}/ferry.db
web:
  http: $DB
signer:
  type: local
  config:
    keysRotationPeriod: $PERIOD
connectors:
  - type: mockPassword
    id: $USER_NAME
    name: Mock
    config:
      username: $USER_NAME
      password: $PASS
      list: [$USER_NAME, {nested: $DB}]
staticClients:
  - id: $ID
    secret: $SECRET
    name: $SECRET
`;
    const { config } = parseConfig(yaml, { ...env, PERIOD: '2h' });
    assert.equal(config.issuer, 'http://127.0.0.1:5556/$DB');
    assert.equal(config.web.http, '$DB');
    assert.deepEqual(config.storage.config, { file: '/var/db/ferry.db' });
    assert.equal(config.signer.type === 'local' && config.signer.keysRotationPeriod, 7_200_000);
    assert.equal(config.connectors[0]?.id, '$USER_NAME');
    assert.deepEqual(config.connectors[0]?.config, {
      username: 'kilgore',
      password: 'p$ss',
      list: ['kilgore', { nested: '/var/db' }],
    });
    assert.deepEqual([config.staticClients[0]?.id, config.staticClients[0]?.secret], ['$ID', '$SECRET']);
  });

  test('DEX_EXPAND_ENV=false turns expansion off', () => {
    const yaml = `${BASE.replace('type: memory', 'type: sqlite3\n  config:\n    file: $DB')}`;
    assert.equal(parseConfig(yaml, { ...env, DEX_EXPAND_ENV: 'false' }).config.storage.config['file'], '$DB');
    assert.equal(parseConfig(yaml, env).config.storage.config['file'], '/var/db');
  });

  test('idEnv and secretEnv read the environment', () => {
    const yaml = `${BASE}staticClients:\n  - idEnv: ID\n    secretEnv: SECRET\n    name: From env\n`;
    const c = parseConfig(yaml, env).config.staticClients[0];
    assert.deepEqual([c?.id, c?.secret], ['env-client', 'shh']);
  });

  test('idEnv/secretEnv: exclusive with id/secret, must be set, one of each required', () => {
    const yaml = `${BASE}staticClients:
  - id: a
    idEnv: ID
    secret: s
    secretEnv: SECRET
    name: Both
  - idEnv: NOPE
    secretEnv: NOPE
    name: Unset
  - name: Neither
  - id: pub
    name: Public needs no secret
    public: true
`;
    assert.deepEqual(issuesOf(yaml, env), [
      'staticClients[0].idEnv: id and idEnv are mutually exclusive',
      'staticClients[0].secretEnv: secret and secretEnv are mutually exclusive',
      'staticClients[1].idEnv: environment variable NOPE is unset or empty',
      'staticClients[1].secretEnv: environment variable NOPE is unset or empty',
      'staticClients[2].id: id or idEnv is required',
      'staticClients[2].secret: secret or secretEnv is required',
    ]);
  });

  test('hashFromEnv, and base64 of a bcrypt hash', () => {
    const hash = '$2b$10$bmNk4z45ry1l6mj0/nqTnuXGY72eNzDGziPgwJvkOCC48F2fW3jvC';
    const yaml = `${BASE}enablePasswordDB: true
staticPasswords:
  - email: a@example.com
    hashFromEnv: PW_HASH
  - email: b@example.com
    hash: ${Buffer.from(hash).toString('base64')}
  - email: c@example.com
    hashFromEnv: HASH
`;
    assert.deepEqual(issuesOf(yaml, { PW_HASH: hash, HASH: '' }), [
      'staticPasswords[2].hash: hashFromEnv: environment variable HASH is unset or empty',
    ]);
    const { config } = parseConfig(yaml.replace(/ {2}- email: c@[^]*$/, ''), { PW_HASH: hash });
    assert.deepEqual(config.staticPasswords.map((p) => p.hash), [hash, hash]);
  });
});

test('a static password whose bcrypt cost no login accepts loads with a warning naming it', () => {
  // dex v2.45.1 loads such an entry too, and refuses it at every login (server/server.go, checkCost).
  const low = '$2b$04$V90HW6x5pfZT3ui6StvTBO84Zx014z42YfGpg1cVef17tAh0435By';
  const ok = '$2b$10$bmNk4z45ry1l6mj0/nqTnuXGY72eNzDGziPgwJvkOCC48F2fW3jvC';
  const yaml = `${BASE}enablePasswordDB: true\nstaticPasswords:\n  - email: ok@example.com\n    hash: "${ok}"\n  - email: low@example.com\n    hash: "${low}"\n`;
  const { config, warnings } = parseConfig(yaml, {});
  assert.deepEqual(config.staticPasswords.map((p) => p.hash), [ok, low]);
  assert.deepEqual(
    warnings.filter((w) => w.startsWith('staticPasswords')),
    ['staticPasswords[1].hash: bcrypt cost 4 is outside 10..16; every login with it fails (as in dex): hash the password again with a cost from 10 to 16'],
  );
});

describe('durations', () => {
  test('Go syntax is accepted everywhere', () => {
    const yaml = `${BASE}expiry:\n  idTokens: 1h30m\n  deviceRequests: 300s\n  refreshTokens:\n    reuseInterval: 3s\n    absoluteLifetime: 2160h\n`;
    const { expiry } = parseConfig(yaml, {}).config;
    assert.deepEqual(
      [expiry.idTokens, expiry.deviceRequests, expiry.refreshTokens.reuseInterval, expiry.refreshTokens.absoluteLifetime],
      [5_400_000, 300_000, 3000, 2160 * 3_600_000],
    );
  });

  test('bad ones are reported with their paths', () => {
    const yaml = `${BASE}expiry:\n  authRequests: 90d\n  refreshTokens:\n    validIfNotUsedFor: "10"\nsessions:\n  absoluteLifetime: 1y\n`;
    assert.deepEqual(issuesOf(yaml, { DEX_SESSIONS_ENABLED: '1' }), [
      'expiry.authRequests: unknown unit "d" in duration "90d"',
      'expiry.refreshTokens.validIfNotUsedFor: missing unit in duration "10"',
      'sessions.absoluteLifetime: unknown unit "y" in duration "1y"',
    ]);
  });

  test('a unit named after an Object.prototype member is refused, not replaced by the default', () => {
    // Before: the lookup found the inherited function, the duration became NaN and the default (24h) took its place.
    assert.deepEqual(issuesOf(`${BASE}expiry:\n  idTokens: 1constructor\n`, {}), ['expiry.idTokens: unknown unit "constructor" in duration "1constructor"']);
  });

  test('deprecated expiry.signingKeys sets the rotation period with a warning', () => {
    const { config, warnings } = parseConfig(`${BASE}expiry:\n  signingKeys: 12h\n`, {});
    assert.equal(config.signer.type === 'local' && config.signer.keysRotationPeriod, 43_200_000);
    assert.match(warnings.join('\n'), /expiry\.signingKeys is deprecated/);
  });
});

test('a config with many different errors reports all of them, each with its path', () => {
  let issues: string[] = [];
  try {
    loadConfig('test/fixtures/config/many-errors.yaml', {});
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    issues = err.issues.map((i) => `${i.path}: ${i.message}`);
  }
  const expected = [
    'staticClients[2].name: expected a string',
    'expiry.idTokens: unknown unit "d" in duration "90d"',
    'logger.level: unknown level "chatty" (want DEBUG, INFO, WARN or ERROR, optionally +/-N)',
    'logger.format: unknown format "xml" (want text or json)',
    'staticClients[2].id: id or idEnv is required',
    'staticPasswords[0].hash: malformed bcrypt hash',
    'issuer: must be an absolute http or https URL',
    'oauth2.pkce.requireS256ForPublicClients: needs S256 in oauth2.pkce.codeChallengeMethodsSupported (or set it to false)',
    'staticPasswords: cannot be set without enablePasswordDB: true',
    'web.tlsCert: required when web.https is set',
    'web.tlsKey: required when web.https is set',
    'web.tlsMinVersion: supported TLS versions are 1.2 and 1.3',
    'grpc.tlsClientCA: requires grpc.tlsCert',
    'oauth2.passwordConnector: does not name a configured connector',
    'oauth2.responseTypes[1]: unsupported response type "magic"',
    'oauth2.pkce.codeChallengeMethodsSupported[0]: unsupported PKCE method "S512"',
    'staticClients[0].redirectURIs[1]: not a valid absolute URI (RFC 3986): check for spaces, backslashes or bad % escapes',
    'staticClients[0].refreshTokenLifetime: must be "standalone" or "session", not "forever"',
    'connectors[1].id: duplicate connector id "a"',
    'staticClients[1].id: duplicate client id "app"',
    'storage.type: unknown storage type "cassandra"',
    'connectors[0].type: unknown connector type "nonsense"',
    'connectors[1].config.username: required',
  ];
  assert.deepEqual(issues, expected);
});

test('the examples parse', () => {
  const dev = loadConfig('examples/config-dev.yaml', {});
  assert.deepEqual(dev.warnings, []);
  assert.equal(dev.config.issuer, 'http://localhost:5556/dex', 'a host name: passkeys refuse an IP address');
  assert.deepEqual(dev.config.mfa?.authenticators.map((a) => [a.id, a.type]), [['totp', 'TOTP'], ['passkey', 'WebAuthn']]);
  assert.deepEqual(dev.config.staticClients.map((c) => c.mfaChain), [['totp', 'passkey'], null], 'null: no chain of its own (the default applies)');
  assert.deepEqual(dev.config.storage, { type: 'sqlite3', config: { file: 'var/sqlite/ferry.db' } });
  assert.deepEqual(dev.config.staticClients.map((c) => [c.id, c.public]), [['example-app', false], ['example-cli', true]]);
  assert.equal(dev.config.staticPasswords[0]?.userId, '08a8684b-db88-4b73-90a9-3cd1661f5466');
  assert.deepEqual(dev.config.staticClients.map((c) => c.ssoSharedWith), [['example-cli'], ['example-app']], 'the two apps share sign-in');
  assert.equal(dev.config.sessions?.validIfNotUsedFor, 3_600_000);

  const env = {
    DEX_SESSIONS_ENABLED: 'true',
    DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS: 'true',
    FERRY_DATA_DIR: '/var/lib/ferry',
    MOCK_PASSWORD: 'trout',
    FERRY_CLIENT_ID: 'prod',
    FERRY_CLIENT_SECRET: 'prod-secret',
    FERRY_OPS_HASH: '$2b$10$bmNk4z45ry1l6mj0/nqTnuXGY72eNzDGziPgwJvkOCC48F2fW3jvC',
  };
  const all = loadConfig('examples/config-all.yaml', env);
  assert.deepEqual(all.warnings, []);
  assert.equal(all.config.storage.config['file'], '/var/lib/ferry/ferry.db');
  assert.deepEqual(all.config.connectors[1]?.config, { username: 'kilgore', password: 'trout' });
  assert.equal(all.config.staticClients[1]?.id, 'prod');
  assert.deepEqual(all.config.signer, { type: 'local', keysRotationPeriod: 21_600_000, algorithm: 'ES256' });
  assert.equal(all.config.sessions?.cookieName, 'ferry_session');
  assert.deepEqual(all.config.mfa?.defaultMFAChain, ['totp']);
  assert.equal(all.config.web.headers['Strict-Transport-Security'], 'max-age=31536000; includeSubDomains');
});

test('CLI overrides win over the file and satisfy the listen-address rule', () => {
  const yaml = BASE.replace('  http: 127.0.0.1:5556', '  tlsCert: ""');
  assert.deepEqual(issuesOf(yaml), ['web: one of http or https is required']);
  const { config } = parseConfig(yaml, {}, { webHTTPAddr: ':8080', telemetryAddr: ':9090', grpcAddr: ':5557' });
  assert.deepEqual([config.web.http, config.telemetry.http, config.grpc.addr], [':8080', ':9090', ':5557']);
});

test('YAML errors and unreadable files are ConfigErrors', () => {
  assert.match(issuesOf('issuer: [unclosed')[0] ?? '', /^invalid YAML/);
  assert.throws(() => loadConfig('/nonexistent/ferry.yaml', {}), (err: unknown) => err instanceof ConfigError && /ENOENT/.test(err.message));
});

test('strict mode also rejects unknown keys inside connector configs', () => {
  const yaml = `
issuer: http://127.0.0.1:5556/dex
storage: { type: memory }
web: { http: 127.0.0.1:5556 }
connectors: [{ type: mockPassword, id: m, name: M, config: { username: a, password: b, pasword: typo } }]
`;
  assert.doesNotThrow(() => parseConfig(yaml, {}));
  assert.throws(
    () => parseConfig(yaml, { DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS: 'true' }),
    (err: unknown) => err instanceof ConfigError && err.issues.some((i) => i.path === 'connectors[0].config.pasword' && i.message === 'unknown key'),
  );
});
