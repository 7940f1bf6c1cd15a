import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MFAConfig } from '../../config/types.js';
import { ConfigError } from '../../lib/errors.js';
import { buildAuthenticators, resolveChain } from './authenticators.js';

const ISSUER = 'https://auth.example.com/dex';
const mfa = (authenticators: MFAConfig['authenticators'], defaultMFAChain: string[] = []): MFAConfig => ({ authenticators, defaultMFAChain, encryptionKey: null });

const auths = buildAuthenticators(
  mfa([
    { id: 'totp', type: 'TOTP', config: { issuer: 'Acme' }, connectorTypes: [] },
    { id: 'key', type: 'WebAuthn', config: {}, connectorTypes: ['ldap', 'local'] },
  ]),
  ISSUER,
  'Acme SSO',
);

test('chain: the client chain, else the default; an explicit [] turns MFA off; connectorTypes filter', () => {
  const ids = (client: string[] | null, def: string[], type: string) => resolveChain(client, def, auths, type).map((a) => a.id);
  assert.deepEqual(ids(null, ['totp', 'key'], 'ldap'), ['totp', 'key']);
  assert.deepEqual(ids(null, ['totp', 'key'], 'oidc'), ['totp'], 'key applies to ldap and local only');
  assert.deepEqual(ids(['key'], ['totp'], 'local'), ['key'], 'the client chain wins');
  assert.deepEqual(ids([], ['totp', 'key'], 'ldap'), [], 'explicit empty chain');
  assert.deepEqual(ids(['key'], [], 'github'), [], 'nothing applies');
  assert.deepEqual(ids(['gone', 'totp'], [], 'github'), ['totp'], 'unknown ids are skipped');
});

test('WebAuthn defaults come from the issuer; TOTP issuer defaults to the display name', () => {
  const key = auths.get('key');
  assert.equal(key?.type, 'WebAuthn');
  if (key?.type !== 'WebAuthn') return;
  assert.deepEqual([key.rpID, key.rpOrigins, key.rpDisplayName], ['auth.example.com', ['https://auth.example.com'], 'auth.example.com']);
  assert.deepEqual([key.attestation, key.userVerification, key.attachment, key.timeoutMs], ['indirect', 'preferred', undefined, 60_000]);
  const t = buildAuthenticators(mfa([{ id: 't', type: 'TOTP', config: {}, connectorTypes: [] }]), ISSUER, 'Acme SSO').get('t');
  assert.equal(t?.type === 'TOTP' && t.issuer, 'Acme SSO');
});

test('overrides apply, and bad values are refused naming the key (dex HEAD skips the authenticator)', () => {
  const good = buildAuthenticators(
    mfa([{ id: 'k', type: 'WebAuthn', config: { rpID: 'example.com', rpOrigins: ['https://a.example.com'], userVerification: 'required', authenticatorAttachment: 'cross-platform', timeout: '2m' }, connectorTypes: [] }]),
    ISSUER,
    '',
  ).get('k');
  assert.ok(good?.type === 'WebAuthn');
  assert.deepEqual([good.rpID, good.rpOrigins, good.userVerification, good.attachment, good.timeoutMs], ['example.com', ['https://a.example.com'], 'required', 'cross-platform', 120_000]);
  const bad = () =>
    buildAuthenticators(
      mfa([{ id: 'k', type: 'WebAuthn', config: { rpOrigins: ['https://a.example.com/path'], userVerification: 'always', attestationPreference: 'full', timeout: 'soon' }, connectorTypes: [] }]),
      ISSUER,
      '',
    );
  assert.throws(bad, (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.issues.map((i) => i.path), [
      'mfa.authenticators[0].config.rpOrigins[0]',
      'mfa.authenticators[0].config.timeout',
      'mfa.authenticators[0].config.attestationPreference',
      'mfa.authenticators[0].config.userVerification',
    ]);
    return true;
  });
});
