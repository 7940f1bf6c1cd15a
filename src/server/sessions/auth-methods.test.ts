import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appliedFactors, authMethodClaims, MFA_ACR } from './auth-methods.js';

const mfa = {
  authenticators: [
    { id: 'totp', type: 'TOTP' as const, config: {}, connectorTypes: [] },
    { id: 'key', type: 'WebAuthn' as const, config: {}, connectorTypes: ['ldap'] },
  ],
  defaultMFAChain: ['totp'],
};

test('the chain: the client\'s own, else the default; an empty chain is none; connectorTypes filter', () => {
  assert.deepEqual(appliedFactors(mfa, { mfaChain: null }, 'local'), ['TOTP']);
  assert.deepEqual(appliedFactors(mfa, { mfaChain: [] }, 'local'), []);
  assert.deepEqual(appliedFactors(mfa, { mfaChain: ['totp', 'key'] }, 'local'), ['TOTP'], 'key applies to ldap only');
  assert.deepEqual(appliedFactors(mfa, { mfaChain: ['totp', 'key'] }, 'ldap'), ['TOTP', 'WebAuthn']);
  assert.deepEqual(appliedFactors(undefined, { mfaChain: null }, 'local'), []);
});

test('amr per RFC 8176: pwd for a password login, otp / hwk per factor, mfa for several; nothing without MFA', () => {
  assert.deepEqual(authMethodClaims(['TOTP'], true), { amr: ['pwd', 'otp', 'mfa'], acr: MFA_ACR });
  assert.deepEqual(authMethodClaims(['WebAuthn'], false), { amr: ['hwk'], acr: MFA_ACR });
  assert.deepEqual(authMethodClaims(['TOTP', 'WebAuthn'], false), { amr: ['otp', 'hwk', 'mfa'], acr: MFA_ACR });
  assert.deepEqual(authMethodClaims([], true), {});
});
