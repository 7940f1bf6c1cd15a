import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ConfigError } from '../lib/errors.js';
import { parseConfig } from './load.js';
import { parseMFAKey } from './mfa-encryption-key.js';

const KEY = randomBytes(32);
const yaml = (key?: string) => `
issuer: https://auth.example.com
storage: {type: memory}
web: {http: 127.0.0.1:5556}
mfa:
  authenticators: [{id: totp, type: TOTP}]
${key === undefined ? '' : `  encryptionKey: ${JSON.stringify(key)}`}
`;

const issues = (text: string, env: NodeJS.ProcessEnv = {}): string[] => {
  try {
    parseConfig(text, env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
};

test('the MFA key is 32 bytes in hex, base64 or base64url', () => {
  for (const text of [KEY.toString('hex'), KEY.toString('base64'), KEY.toString('base64url'), ` ${KEY.toString('base64')}\n`]) {
    assert.deepEqual(parseMFAKey(text), new Uint8Array(KEY), text);
  }
  for (const bad of ['', 'secret', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), randomBytes(33).toString('base64'), 'z'.repeat(64)]) {
    assert.equal(parseMFAKey(bad), null, bad);
  }
});

test('mfa.encryptionKey, else FERRY_MFA_ENCRYPTION_KEY; absent = null (clear, as dex)', () => {
  assert.deepEqual(parseConfig(yaml(KEY.toString('base64')), {}).config.mfa?.encryptionKey, new Uint8Array(KEY));
  assert.deepEqual(parseConfig(yaml(), { FERRY_MFA_ENCRYPTION_KEY: KEY.toString('hex') }).config.mfa?.encryptionKey, new Uint8Array(KEY));
  assert.equal(parseConfig(yaml(), {}).config.mfa?.encryptionKey, null);
});

test('a malformed key is refused, naming where it came from', () => {
  const message = 'must be 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)';
  assert.deepEqual(issues(yaml('too-short')), [`mfa.encryptionKey: ${message}`]);
  assert.deepEqual(issues(yaml(), { FERRY_MFA_ENCRYPTION_KEY: 'abc' }), [`FERRY_MFA_ENCRYPTION_KEY: ${message}`]);
});
