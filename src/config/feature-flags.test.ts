import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featureFlags, parseGoBool } from './feature-flags.js';

test('parseGoBool accepts exactly Go strconv.ParseBool spellings', () => {
  for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(t, false), true, t);
  for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(f, true), false, f);
  for (const bad of ['yes', 'on', 'tRuE', ' true', '', '2']) {
    assert.equal(parseGoBool(bad, true), true, bad);
    assert.equal(parseGoBool(bad, false), false, bad);
  }
  assert.equal(parseGoBool(undefined, true), true);
});

test('featureFlags: dex defaults with an empty environment, except sessions (on in Ferry)', () => {
  assert.deepEqual(featureFlags({}), {
    entEnabled: false,
    expandEnv: true,
    apiConnectorsCRUD: false,
    continueOnConnectorFailure: true,
    configDisallowUnknownFields: false,
    clientCredentialGrantEnabledByDefault: false,
    sessionsEnabled: true,
    apiSessionsIdentitiesCRUD: false,
  });
  assert.equal(featureFlags({ DEX_SESSIONS_ENABLED: 'false' }).sessionsEnabled, false);
});

test('featureFlags reads DEX_* variables; invalid values keep the default', () => {
  const flags = featureFlags({
    DEX_EXPAND_ENV: 'false',
    DEX_SESSIONS_ENABLED: 'T',
    DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS: '1',
    DEX_CONTINUE_ON_CONNECTOR_FAILURE: 'nope',
    DEX_CLIENT_CREDENTIAL_GRANT_ENABLED_BY_DEFAULT: 'TRUE',
  });
  assert.equal(flags.expandEnv, false);
  assert.equal(flags.sessionsEnabled, true);
  assert.equal(flags.configDisallowUnknownFields, true);
  assert.equal(flags.continueOnConnectorFailure, true);
  assert.equal(flags.clientCredentialGrantEnabledByDefault, true);
});
