import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RefreshExpiryConfig } from '../../config/types.js';
import type { RefreshToken } from '../../storage/types.js';
import { checkRefreshToken, planRefresh } from './refresh-policy.js';

const t0 = new Date('2030-01-01T00:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const token = (over: Partial<RefreshToken> = {}): RefreshToken => ({
  id: 'r1', token: 'cur', obsoleteToken: 'old', createdAt: t0, lastUsed: t0, clientId: 'app', connectorId: 'mock',
  connectorData: null, sessionId: '', nonce: '', scopes: ['openid'],
  claims: { userId: 'u', username: 'n', preferredUsername: '', email: '', emailVerified: false, groups: [] },
  ...over,
});
const policy = (over: Partial<RefreshExpiryConfig> = {}): RefreshExpiryConfig => ({
  disableRotation: false, reuseInterval: 0, absoluteLifetime: 0, validIfNotUsedFor: 0, ...over,
});

describe('checkRefreshToken', () => {
  test('client, secret and lifetimes', () => {
    assert.equal(checkRefreshToken(token(), 'cur', 'app', policy(), at(1)), null);
    assert.equal(checkRefreshToken(token(), 'cur', null, policy(), at(1)), null);
    assert.equal(checkRefreshToken(token(), 'cur', 'other', policy(), at(1)), 'other-client');
    assert.equal(checkRefreshToken(token(), 'old', 'app', policy(), at(1)), 'invalid');
    assert.equal(checkRefreshToken(token(), 'old', 'app', policy({ reuseInterval: 3000 }), at(3)), null);
    assert.equal(checkRefreshToken(token(), 'old', 'app', policy({ reuseInterval: 3000 }), at(4)), 'invalid');
    assert.equal(checkRefreshToken(token({ obsoleteToken: '' }), '', 'app', policy({ reuseInterval: 3000 }), at(1)), 'invalid');
    assert.equal(checkRefreshToken(token(), 'cur', 'app', policy({ absoluteLifetime: 10_000 }), at(10)), null);
    assert.equal(checkRefreshToken(token(), 'cur', 'app', policy({ absoluteLifetime: 10_000 }), at(11)), 'expired');
    const used = token({ lastUsed: at(100) });
    assert.equal(checkRefreshToken(used, 'cur', 'app', policy({ validIfNotUsedFor: 5000 }), at(105)), null);
    assert.equal(checkRefreshToken(used, 'cur', 'app', policy({ validIfNotUsedFor: 5000 }), at(106)), 'expired');
  });
});

describe('planRefresh: the four rotation/reuse cases', () => {
  const reuse = { reuseInterval: 3000 };
  test('rotation on, outside the window: only the current secret rotates', () => {
    assert.deepEqual(planRefresh(token(), 'cur', policy(), at(5)), { kind: 'rotate' });
    assert.equal(planRefresh(token(), 'old', policy(), at(5)), null);
    assert.equal(planRefresh(token(), 'old', policy(reuse), at(5)), null);
  });
  test('rotation on, inside the window: current or obsolete, answers the current secret', () => {
    assert.deepEqual(planRefresh(token(), 'cur', policy(reuse), at(2)), { kind: 'reuse', secret: 'cur' });
    assert.deepEqual(planRefresh(token(), 'old', policy(reuse), at(3)), { kind: 'reuse', secret: 'cur' });
    assert.equal(planRefresh(token(), 'bogus', policy(reuse), at(2)), null);
  });
  test('rotation off', () => {
    assert.deepEqual(planRefresh(token(), 'cur', policy({ disableRotation: true, ...reuse }), at(2)), { kind: 'keep' });
    assert.deepEqual(planRefresh(token(), 'cur', policy({ disableRotation: true, ...reuse }), at(4)), { kind: 'touch' });
    assert.deepEqual(planRefresh(token(), 'cur', policy({ disableRotation: true }), at(0)), { kind: 'touch' });
    assert.equal(planRefresh(token(), 'old', policy({ disableRotation: true }), at(4)), null);
  });
});
