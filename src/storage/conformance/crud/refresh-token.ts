/** RefreshTokenCRUD: refresh tokens, with rotation-style updates, and the refresh grant's joined read. */
import assert from 'node:assert/strict';
import { NotFoundError } from '../../../lib/errors.js';
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';
import { runCrud } from './run-crud.js';

export function refreshTokenCrud(h: Harness): void {
  runCrud(h, {
    make: f.refreshToken,
    keyFields: ['id'],
    sortKey: (r) => r.id,
    create: (s, r) => s.createRefresh(r),
    get: (s, r) => s.getRefresh(r.id),
    update: (s, r, fn) => s.updateRefreshToken(r.id, fn),
    change: (old) => ({ ...old, obsoleteToken: old.token, token: 'next-token', lastUsed: f.at(1) }),
    remove: (s, r) => s.deleteRefresh(r.id),
    list: (s) => s.listRefreshTokens(),
  });

  h.test('a token reads with its user OfflineSessions, or none', async (s) => {
    const sessions = f.offlineSessions(0);
    const other = { ...f.offlineSessions(1), userId: sessions.userId, connId: 'another-connector' };
    const linked = { ...f.refreshToken(0), connectorId: sessions.connId, claims: { ...f.refreshToken(0).claims, userId: sessions.userId } };
    const lone = f.refreshToken(1);
    await s.createOfflineSessions(sessions);
    await s.createOfflineSessions(other);
    await s.createRefresh(linked);
    await s.createRefresh(lone);
    const got = await s.getRefreshWithSessions(linked.id);
    assert.deepStrictEqual(got.token, linked);
    // A store that cannot read both at once leaves `sessions` out (the caller reads them when it needs them).
    if (got.sessions !== undefined) assert.deepStrictEqual(got.sessions, sessions);
    const alone = await s.getRefreshWithSessions(lone.id);
    assert.deepStrictEqual(alone.token, lone);
    assert.ok(alone.sessions === undefined || alone.sessions === null, 'no OfflineSessions for this user and connector');
    await assert.rejects(s.getRefreshWithSessions('no-such-token'), NotFoundError);
    // The token read this way is a valid compare-and-swap copy: the update sees the stored value.
    const next = await s.updateRefreshToken(linked.id, (old) => ({ ...old, token: 'rotated', obsoleteToken: old.token }), got.token);
    assert.equal(next.token, 'rotated');
    assert.equal((await s.getRefresh(linked.id)).obsoleteToken, linked.token);
  });

  h.test('an update against a stale copy of the token sees the stored value, and a deleted token stays deleted', async (s) => {
    const token = f.refreshToken(0);
    await s.createRefresh(token);
    const copy = await s.getRefresh(token.id);
    // Another replica rotates the token after our read: our copy is stale now.
    await s.updateRefreshToken(token.id, (old) => ({ ...old, token: 'theirs', obsoleteToken: old.token, lastUsed: f.at(1) }));
    const seen: string[] = [];
    const next = await s.updateRefreshToken(token.id, (old) => {
      seen.push(old.token);
      return { ...old, token: `${old.token}+ours`, obsoleteToken: old.token, lastUsed: f.at(2) };
    }, copy);
    assert.equal(seen.at(-1), 'theirs', 'the last run of the updater saw the stored token');
    assert.equal(next.token, 'theirs+ours');
    assert.deepStrictEqual(await s.getRefresh(token.id), next);
    await s.deleteRefresh(token.id);
    await assert.rejects(s.updateRefreshToken(token.id, (old) => ({ ...old, token: 'revived' }), next), NotFoundError);
    await assert.rejects(s.getRefresh(token.id), NotFoundError);
  });

  h.test('an OfflineSessions update against the copy read with the token loses no concurrent write', async (s) => {
    const sessions = { ...f.offlineSessions(0), connectorData: null };
    const token = { ...f.refreshToken(1), connectorId: sessions.connId, claims: { ...f.refreshToken(1).claims, userId: sessions.userId } };
    await s.createOfflineSessions(sessions);
    await s.createRefresh(token);
    const { sessions: copy } = await s.getRefreshWithSessions(token.id);
    const ref = { id: 'other', clientId: 'client-b', createdAt: f.at(), lastUsed: f.at(), sessionId: '' };
    // Another login links a second client after our read: our copy is stale now.
    await s.updateOfflineSessions(sessions.userId, sessions.connId, (old) => ({ ...old, refresh: { ...old.refresh, 'client-b': ref } }));
    const data = f.bytes(9, 9);
    const next = await s.updateOfflineSessions(sessions.userId, sessions.connId, (old) => ({ ...old, connectorData: data }), copy ?? undefined);
    const expected = { ...sessions, refresh: { ...sessions.refresh, 'client-b': ref }, connectorData: data };
    assert.deepStrictEqual(next, expected);
    assert.deepStrictEqual(await s.getOfflineSessions(sessions.userId, sessions.connId), expected);
    // A current copy (NULL connector data before, bytes now) updates in place too.
    const last = await s.updateOfflineSessions(sessions.userId, sessions.connId, (old) => ({ ...old, connectorData: null }), next);
    assert.equal(last.connectorData, null);
    assert.deepStrictEqual(await s.getOfflineSessions(sessions.userId, sessions.connId), { ...expected, connectorData: null });
  });
}
