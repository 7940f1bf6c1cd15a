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
}
