import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConnectorError } from '../../lib/errors.js';
import { parseOauthConfig } from './config.js';
import { jwtPayload, userinfoToIdentity } from './mapping.js';

const config = parseOauthConfig(
  { clientID: 'c', redirectURI: 'https://f.example/dex/callback', tokenURL: 'https://u/t', authorizationURL: 'https://u/a', userInfoURL: 'https://u/i' },
  'c',
);
const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('oauth userinfo mapping (dex connector/oauth)', () => {
  test('dex’s default keys; a numeric id becomes a string', () => {
    const id = userinfoToIdentity('o', { id: 12345, user_name: 'u', preferred_username: 'p', email: 'e@x', email_verified: true }, 'opaque', config, false);
    assert.deepEqual({ ...id }, { userId: '12345', username: 'u', preferredUsername: 'p', email: 'e@x', emailVerified: true, groups: [], connectorData: null });
  });

  test('the user id is required and must be a string or a number', () => {
    assert.throws(() => userinfoToIdentity('o', { name: 'x' }, 't', config, false), (e: unknown) => e instanceof ConnectorError && /not found id claim/.test(e.message));
    assert.throws(() => userinfoToIdentity('o', { id: { a: 1 } }, 't', config, false), /should be string or number/);
  });

  test('groups: union of userinfo and JWT access token groups, each once, only with the groups scope', () => {
    const info = { id: 'u', groups: ['a', { name: 'b' }, 3] };
    assert.deepEqual(userinfoToIdentity('o', info, jwt({ groups: ['b', 'c', { name: 'd' }] }), config, true).groups, ['a', 'b', 'c', 'd']);
    assert.deepEqual(userinfoToIdentity('o', info, 'not.a-jwt', config, true).groups, ['a', 'b']);
    assert.deepEqual(userinfoToIdentity('o', info, jwt({ groups: ['c'] }), config, false).groups, []);
  });

  test('jwtPayload reads a JWT body and returns null for anything else', () => {
    assert.deepEqual(jwtPayload(jwt({ a: 1 })), { a: 1 });
    assert.equal(jwtPayload('opaque-token'), null);
    assert.equal(jwtPayload('a.!!!.c'), null);
  });
});
