import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Claims } from '../../storage/types.js';
import { buildClaims, tokenAudience, type TokenContext, type TokenStamp } from './claims.js';

const user: Claims = {
  userId: '2342749',
  username: 'Jane Doe',
  preferredUsername: 'jane',
  email: 'jane@example.com',
  emailVerified: false,
  groups: ['admins', 'devs'],
};

const ctx = (over: Partial<TokenContext> = {}): TokenContext => ({
  clientId: 'app',
  scopes: ['openid'],
  claims: user,
  connectorId: 'github',
  nonce: '',
  authTime: null,
  sessionId: '',
  ...over,
});

const stamp: TokenStamp = {
  issuer: 'https://dex.example.com/dex',
  issuedAt: new Date('2026-01-01T00:00:00.900Z'),
  expiry: new Date('2026-01-02T00:00:00.900Z'),
  jti: '6f1c0c55-7d1e-4b5d-9a4e-1d2d3c4b5a69',
};

describe('buildClaims', () => {
  test('openid only: exactly the always-present claims, in dex order', () => {
    const c = buildClaims(ctx(), stamp);
    assert.deepEqual(c, {
      iss: 'https://dex.example.com/dex',
      sub: 'CgcyMzQyNzQ5EgZnaXRodWI',
      aud: 'app',
      exp: 1767312000,
      iat: 1767225600,
      jti: '6f1c0c55-7d1e-4b5d-9a4e-1d2d3c4b5a69',
    });
    assert.deepEqual(Object.keys(c), ['iss', 'sub', 'aud', 'exp', 'iat', 'jti']);
  });

  test('nonce, auth_time, sid, at_hash and c_hash when given', () => {
    const c = buildClaims(ctx({ nonce: 'n-1', authTime: new Date('2025-12-31T23:59:59.500Z'), sessionId: 's1' }), {
      ...stamp,
      atHash: 'AT',
      cHash: 'CH',
    });
    assert.equal(c.nonce, 'n-1');
    assert.equal(c.auth_time, 1767225599);
    assert.equal(c.sid, 's1');
    assert.equal(c.at_hash, 'AT');
    assert.equal(c.c_hash, 'CH');
  });

  test('email scope: email and a boolean email_verified (also when false, also when email is empty)', () => {
    assert.deepEqual(pick(buildClaims(ctx({ scopes: ['openid', 'email'] }), stamp), 'email', 'email_verified'), {
      email: 'jane@example.com',
      email_verified: false,
    });
    const noEmail = buildClaims(ctx({ scopes: ['email'], claims: { ...user, email: '', emailVerified: true } }), stamp);
    assert.equal('email' in noEmail, false);
    assert.equal(noEmail.email_verified, true);
  });

  test('groups scope: groups, omitted when empty', () => {
    assert.deepEqual(buildClaims(ctx({ scopes: ['openid', 'groups'] }), stamp).groups, ['admins', 'devs']);
    assert.equal('groups' in buildClaims(ctx({ scopes: ['groups'], claims: { ...user, groups: [] } }), stamp), false);
  });

  test('profile scope: name = username, preferred_username', () => {
    assert.deepEqual(pick(buildClaims(ctx({ scopes: ['profile'] }), stamp), 'name', 'preferred_username'), {
      name: 'Jane Doe',
      preferred_username: 'jane',
    });
  });

  test('federated:id scope: federated_claims', () => {
    assert.deepEqual(buildClaims(ctx({ scopes: ['openid', 'federated:id'] }), stamp).federated_claims, {
      connector_id: 'github',
      user_id: '2342749',
    });
  });

  test('no scope-dependent claim leaks without its scope', () => {
    const c = buildClaims(ctx({ scopes: ['openid', 'offline_access'] }), stamp);
    for (const k of ['email', 'email_verified', 'groups', 'name', 'preferred_username', 'federated_claims', 'azp', 'nonce', 'sid', 'auth_time', 'at_hash', 'c_hash']) {
      assert.equal(k in c, false, k);
    }
  });

  test('all scopes together, with the JSON key order dex produces', () => {
    const c = buildClaims(ctx({ scopes: ['openid', 'email', 'groups', 'profile', 'federated:id'], nonce: 'n' }), stamp);
    assert.deepEqual(Object.keys(c), [
      'iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'nonce', 'email', 'email_verified', 'groups', 'name',
      'preferred_username', 'federated_claims',
    ]);
  });
});

describe('aud and azp', () => {
  test('no cross-client scope: aud is the client id as a string, no azp', () => {
    const c = buildClaims(ctx(), stamp);
    assert.equal(c.aud, 'app');
    assert.equal('azp' in c, false);
  });

  test('peers in scope order plus the requesting client, as an array, with azp', () => {
    const scopes = ['openid', 'audience:server:client_id:peer-a', 'audience:server:client_id:peer-b'];
    const c = buildClaims(ctx({ scopes }), stamp);
    assert.deepEqual(c.aud, ['peer-a', 'peer-b', 'app']);
    assert.equal(c.azp, 'app');
  });

  test('the client naming itself yields a single-entry aud (string) and no azp', () => {
    const c = buildClaims(ctx({ scopes: ['openid', 'audience:server:client_id:app'] }), stamp);
    assert.equal(c.aud, 'app');
    assert.equal('azp' in c, false);
  });

  test('the client named among peers is not appended twice', () => {
    assert.deepEqual(tokenAudience('app', ['audience:server:client_id:app', 'audience:server:client_id:p']), ['app', 'p']);
  });
});

function pick(o: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}
