import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCodeChallenge } from '../oauth2/pkce.js';
import type { Client } from '../../storage/types.js';
import { devicePkce, deviceRedirectURI, normalizeUserCode } from './device-binding.js';

const client = (over: Partial<Client>): Client => ({
  id: 'c', secret: '', redirectURIs: [], trustedPeers: [], public: false, name: '', logoURL: '', allowedConnectors: [],
  postLogoutRedirectURIs: [], backchannelLogoutURI: '', refreshTokenLifetime: '', clientCredentialsClaims: null, ssoSharedWith: null, mfaChain: null,
  ...over,
});

test('user codes are accepted in any case, with spaces or without the dash; anything else only upper-cased', () => {
  for (const typed of ['BCDF-GHJK', 'bcdf-ghjk', ' bcdf ghjk ', 'BCDFGHJK']) assert.equal(normalizeUserCode(typed), 'BCDF-GHJK');
  assert.equal(normalizeUserCode('abcd-efgh'), 'ABCD-EFGH', 'vowels are not in the alphabet: left for the lookup to refuse');
  assert.equal(normalizeUserCode('bcd'), 'BCD');
});

test('the device callback a client may use', () => {
  assert.equal(deviceRedirectURI(client({ public: true }), '/dex'), '/device/callback');
  assert.equal(deviceRedirectURI(client({ redirectURIs: ['/dex/device/callback'] }), '/dex'), '/dex/device/callback');
  assert.equal(deviceRedirectURI(client({ public: true, redirectURIs: ['http://127.0.0.1/cb'] }), '/dex'), null);
  assert.equal(deviceRedirectURI(client({}), '/dex'), null, 'a confidential client must register the callback');
});

test('the PKCE pair is derived from the device code, S256 when supported', () => {
  const a = devicePkce('device-code-a', ['S256', 'plain']);
  assert.ok(a);
  assert.equal(a.method, 'S256');
  assert.equal(a.challenge, computeCodeChallenge(a.verifier, 'S256'));
  assert.deepEqual(devicePkce('device-code-a', ['S256']), a, 'deterministic');
  assert.notEqual(devicePkce('device-code-b', ['S256'])?.verifier, a.verifier);
  assert.equal(devicePkce('x', ['plain'])?.method, 'plain');
  assert.equal(devicePkce('x', []), null);
});
