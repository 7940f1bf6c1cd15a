/**
 * DeviceRequestCRUD and DeviceTokenCRUD: the device flow (requests are create/get only); RevokedTokenCRUD: the
 * revocation denylist of access tokens (create/get only); AccessTokenCRUD: opaque access tokens (no update);
 * ThrottleCRUD: Ferry's failed-attempt records; LogoutDeliveryCRUD: Ferry's back-channel logout outbox (the lease is
 * claimed through `update`).
 */
import assert from 'node:assert/strict';
import { newId } from '../../ids.js';
import type { RevokedToken } from '../../types.js';
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';
import { runCrud } from './run-crud.js';

export function deviceRequestCrud(h: Harness): void {
  runCrud(h, {
    make: (v) => f.deviceRequest(v),
    keyFields: ['userCode'],
    sortKey: (d) => d.userCode,
    create: (s, d) => s.createDeviceRequest(d),
    get: (s, d) => s.getDeviceRequest(d.userCode),
  });
}

export function deviceTokenCrud(h: Harness): void {
  runCrud(h, {
    make: (v) => f.deviceToken(v),
    keyFields: ['deviceCode'],
    sortKey: (t) => t.deviceCode,
    create: (s, t) => s.createDeviceToken(t),
    get: (s, t) => s.getDeviceToken(t.deviceCode),
    update: (s, t, fn) => s.updateDeviceToken(t.deviceCode, fn),
    change: (old) => ({ ...old, status: 'complete', token: '{"id_token":"y"}', lastRequestTime: f.at(2) }),
  });
}

export function revokedTokenCrud(h: Harness): void {
  runCrud(h, {
    make: (v) => f.revokedToken(v),
    keyFields: ['jti'],
    sortKey: (t) => t.jti,
    create: (s, t) => s.createRevokedToken(t),
    find: async (s, t) => (await s.findRevokedTokens([t.jti]))[0] ?? null,
  });
  // Token checks ask for a jti and a grant key at once (SQL stores: one statement for each pair of keys).
  h.test('find several at once: each stored one once, the missing left out', async (s) => {
    const stored = [f.revokedToken(0), f.revokedToken(1), { ...f.revokedToken(0), jti: `grant:${newId()}` }];
    for (const t of stored) await s.createRevokedToken(t);
    const [a, b, c] = stored.map((t) => t.jti) as [string, string, string];
    const byJti = (ts: RevokedToken[]) => [...ts].sort((x, y) => (x.jti < y.jti ? -1 : 1));
    assert.deepStrictEqual(await s.findRevokedTokens([]), []);
    assert.deepStrictEqual(await s.findRevokedTokens(['missing-1', 'missing-2']), []);
    assert.deepStrictEqual(await s.findRevokedTokens(['missing-1', c]), [stored[2]]);
    assert.deepStrictEqual(byJti(await s.findRevokedTokens([a, 'missing-1', b, a, c])), byJti(stored));
    assert.deepStrictEqual(byJti(await s.findRevokedTokens([c, b, a])), byJti(stored), 'an odd count');
  });
}

export function accessTokenCrud(h: Harness): void {
  runCrud(h, {
    make: (v) => f.accessToken(v),
    keyFields: ['id'],
    sortKey: (t) => t.id,
    create: (s, t) => s.createAccessToken(t),
    find: (s, t) => s.findAccessToken(t.id),
    remove: (s, t) => s.deleteAccessToken(t.id),
  });
}

export function throttleCrud(h: Harness): void {
  runCrud(h, {
    make: (v) => f.throttle(v),
    keyFields: ['key'],
    sortKey: (t) => t.key,
    create: (s, t) => s.createThrottle(t),
    get: (s, t) => s.getThrottle(t.key),
    update: (s, t, fn) => s.updateThrottle(t.key, fn),
    change: (old) => ({ ...old, failures: old.failures + 3, blockedUntil: f.at(2) }),
    remove: (s, t) => s.deleteThrottle(t.key),
  });
}

export function logoutDeliveryCrud(h: Harness): void {
  runCrud(h, {
    make: (v) => f.logoutDelivery(v),
    keyFields: ['id'],
    sortKey: (d) => d.id,
    create: (s, d) => s.createLogoutDelivery(d),
    get: (s, d) => s.getLogoutDelivery(d.id),
    update: (s, d, fn) => s.updateLogoutDelivery(d.id, fn),
    change: (old) => ({ ...old, attempts: old.attempts + 1, leaseOwner: 'replica-c', leaseUntil: f.at(3), lastError: 'timeout' }),
    remove: (s, d) => s.deleteLogoutDelivery(d.id),
    list: (s) => s.listLogoutDeliveries(),
  });
}
