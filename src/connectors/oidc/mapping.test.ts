import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConnectorError } from '../../lib/errors.js';
import { parseOidcConfig } from './config.js';
import { decodeRefreshData, encodeRefreshData } from './connector-data.js';
import { claimsToIdentity, type Claims } from './mapping.js';

const config = (extra: Record<string, unknown> = {}) =>
  parseOidcConfig({ issuer: 'https://idp.example', clientID: 'c', redirectURI: 'https://ferry.example/dex/callback', insecureEnableGroups: true, ...extra }, 'c');
const map = (claims: Claims, extra: Record<string, unknown> = {}) =>
  claimsToIdentity('up', { sub: 's', name: 'n', email: 'e@x', email_verified: true, ...claims }, { config: config(extra), scopes: ['openid', 'email'], groupsFilter: null, wantGroups: true });

describe('oidc claim mapping edge cases (dex connector/oidc)', () => {
  test('a single string groups claim is one group; objects contribute their name', () => {
    assert.deepEqual(map({ groups: 'solo' }).groups, ['solo']);
    assert.deepEqual(map({ groups: [{ name: 'a' }, 'b', { id: 'no-name' }] }).groups, ['a', 'b']);
  });

  test('a groups claim with other members is malformed', () => {
    assert.throws(() => map({ groups: ['a', 7] }), (err: unknown) => err instanceof ConnectorError && /malformed "groups" claim/.test(err.message));
  });

  test('no email scope: email and email_verified may be missing', () => {
    const id = claimsToIdentity('up', { sub: 's', name: 'n' }, { config: config(), scopes: ['openid', 'profile'], groupsFilter: null, wantGroups: true });
    assert.deepEqual([id.email, id.emailVerified], ['', false]);
  });

  test('a missing sub or a non-string userIDKey claim is an error', () => {
    assert.throws(() => map({ sub: undefined }), /missing "sub" claim/);
    assert.throws(() => map({ num: 5 }, { userIDKey: 'num' }), /missing "num" claim/);
  });
});

describe('oidc connector data', () => {
  test('refresh data is dex’s JSON and decodes dex’s spelling variants', () => {
    assert.equal(new TextDecoder().decode(encodeRefreshData('rt-1')), '{"RefreshToken":"cnQtMQ=="}');
    assert.equal(decodeRefreshData(new TextEncoder().encode('{"refreshtoken":"cnQtMQ=="}')), 'rt-1');
    assert.equal(decodeRefreshData(new TextEncoder().encode('{"RefreshToken":"cnQtMQ=="}')), 'rt-1');
    assert.equal(decodeRefreshData(new TextEncoder().encode('{}')), '');
    assert.equal(decodeRefreshData(new TextEncoder().encode('[1]')), null);
  });
});
