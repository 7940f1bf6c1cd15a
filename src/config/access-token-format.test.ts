import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../lib/errors.js';
import { accessTokenFormats } from '../server/tokens/opaque-access-token.js';
import { parseConfig } from './load.js';

const BASE = `
issuer: http://127.0.0.1:5556/dex
storage:
  type: memory
web:
  http: 127.0.0.1:5556
`;

const client = (id: string, extra = '') => `- { id: ${id}, name: ${id}, secret: s${extra} }\n`;

test('absent everywhere: every client gets JWTs, as in dex', () => {
  const { config } = parseConfig(`${BASE}staticClients:\n${client('a')}`, {});
  assert.equal(config.oauth2.accessTokenFormat, undefined);
  assert.equal(config.oauth2.clientAccessTokenFormats, undefined);
  assert.equal(accessTokenFormats(config.oauth2)('a'), 'jwt');
  assert.equal(accessTokenFormats(config.oauth2)('api-created'), 'jwt');
});

test('a static client\'s own format wins over the global one; others (API clients too) take the global one', () => {
  const yaml = `${BASE}oauth2:\n  accessTokenFormat: opaque\nstaticClients:\n${client('a', ', accessTokenFormat: jwt')}${client('b')}${client('c', ', accessTokenFormat: opaque')}`;
  const { config } = parseConfig(yaml, {});
  const formatOf = accessTokenFormats(config.oauth2);
  assert.deepEqual(['a', 'b', 'c', 'api-created'].map(formatOf), ['jwt', 'opaque', 'opaque', 'opaque']);
  const fromEnv = parseConfig(`${BASE}staticClients:\n- { idEnv: APP_ID, name: x, secret: s, accessTokenFormat: opaque }\n`, { APP_ID: 'env-app' });
  assert.equal(accessTokenFormats(fromEnv.config.oauth2)('env-app'), 'opaque', 'idEnv names the client');
});

test('an unknown format is refused, naming the key', () => {
  const yaml = `${BASE}oauth2:\n  accessTokenFormat: Opaque\nstaticClients:\n${client('a', ', accessTokenFormat: reference')}`;
  assert.throws(
    () => parseConfig(yaml, {}),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const issues = err.issues.map((i) => `${i.path}: ${i.message}`);
      assert.ok(issues.includes('oauth2.accessTokenFormat: must be one of jwt, opaque (got "Opaque")'), issues.join('\n'));
      assert.ok(issues.includes('staticClients[0].accessTokenFormat: must be one of jwt, opaque (got "reference")'), issues.join('\n'));
      return true;
    },
  );
});
