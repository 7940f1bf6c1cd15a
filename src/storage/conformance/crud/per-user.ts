/** OfflineSessionCRUD and UserIdentityCRUD: entities keyed by (user id, connector id). */
import assert from 'node:assert/strict';
import { NotFoundError } from '../../../lib/errors.js';
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';
import { runCrud } from './run-crud.js';

export function offlineSessionCrud(h: Harness): void {
  runCrud(h, {
    make: f.offlineSessions,
    keyFields: ['userId', 'connId'],
    sortKey: (o) => o.userId,
    create: (s, o) => s.createOfflineSessions(o),
    get: (s, o) => s.getOfflineSessions(o.userId, o.connId),
    update: (s, o, fn) => s.updateOfflineSessions(o.userId, o.connId, fn),
    change: (old) => ({
      ...old,
      refresh: { ...old.refresh, 'client-b': { id: 'r2', clientId: 'client-b', createdAt: f.at(), lastUsed: f.at(), sessionId: '' } },
      connectorData: f.bytes(1),
    }),
    remove: (s, o) => s.deleteOfflineSessions(o.userId, o.connId),
  });

  h.test('the connector data reads alone, as the whole record has it', async (s) => {
    const withData = f.offlineSessions(0);
    const without = f.offlineSessions(1);
    await s.createOfflineSessions(withData);
    await s.createOfflineSessions(without);
    assert.deepStrictEqual(await s.getOfflineConnectorData(withData.userId, withData.connId), withData.connectorData);
    assert.equal(await s.getOfflineConnectorData(without.userId, without.connId), null);
    await assert.rejects(s.getOfflineConnectorData(withData.userId, 'no-such-connector'), NotFoundError);
    await s.updateOfflineSessions(without.userId, without.connId, (old) => ({ ...old, connectorData: f.bytes(4, 2) }));
    assert.deepStrictEqual(await s.getOfflineConnectorData(without.userId, without.connId), f.bytes(4, 2));
    // Reading the part alone changes nothing: the whole record still reads as written.
    assert.deepStrictEqual(await s.getOfflineSessions(withData.userId, withData.connId), withData);
  });

  h.test('the composite key is unambiguous', async (s) => {
    const a = { ...f.offlineSessions(0), userId: 'a', connId: 'b/c' };
    const b = { ...f.offlineSessions(1), userId: 'a/b', connId: 'c' };
    const c = { ...f.offlineSessions(1), userId: 'a","b', connId: 'c' };
    for (const x of [a, b, c]) await s.createOfflineSessions(x);
    for (const x of [a, b, c]) assert.deepStrictEqual(await s.getOfflineSessions(x.userId, x.connId), x);
  });
}

export function userIdentityCrud(h: Harness): void {
  runCrud(h, {
    make: f.userIdentity,
    keyFields: ['userId', 'connectorId'],
    sortKey: (u) => u.userId,
    create: (s, u) => s.createUserIdentity(u),
    get: (s, u) => s.getUserIdentity(u.userId, u.connectorId),
    update: (s, u, fn) => s.updateUserIdentity(u.userId, u.connectorId, fn),
    change: (old) => ({ ...old, consents: { ...old.consents, 'client-c': ['openid'] }, lastLogin: f.at(3), blockedUntil: null }),
    remove: (s, u) => s.deleteUserIdentity(u.userId, u.connectorId),
    list: (s) => s.listUserIdentities(),
  });

  h.test('the same user id under two connectors is two identities', async (s) => {
    const a = f.userIdentity(0);
    const b = { ...f.userIdentity(1), userId: a.userId };
    await s.createUserIdentity(a);
    await s.createUserIdentity(b);
    assert.deepStrictEqual(await s.getUserIdentity(a.userId, a.connectorId), a);
    assert.deepStrictEqual(await s.getUserIdentity(b.userId, b.connectorId), b);
    assert.equal((await s.listUserIdentities()).length, 2);
  });
}
