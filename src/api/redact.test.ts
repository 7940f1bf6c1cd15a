import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactConnectorConfig } from './redact.js';

test('secrets are dropped from connector configs at any depth; everything else stays', () => {
  const config = {
    clientID: 'ferry',
    clientSecret: 's3cret',
    bindDN: 'cn=svc',
    bindPW: 'pw',
    keystonePassword: 'kp',
    issuer: 'https://idp',
    providerDiscoveryOverrides: { tokenURL: 'https://t' },
    orgs: [{ name: 'acme', teams: ['a'] }],
    nested: { apiToken: 't', privateKey: 'k', clientAssertion: { file: 'x' } },
  };
  const out = JSON.parse(redactConnectorConfig(JSON.stringify(config))) as Record<string, unknown>;
  assert.deepEqual(out, {
    clientID: 'ferry',
    bindDN: 'cn=svc',
    issuer: 'https://idp',
    providerDiscoveryOverrides: { tokenURL: 'https://t' },
    orgs: [{ name: 'acme', teams: ['a'] }],
    nested: {},
  });
  assert.equal(redactConnectorConfig('not json'), '{}');
});
