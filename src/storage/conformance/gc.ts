/**
 * GarbageCollection (dex `testGC`): one hour before expiry nothing is deleted; one hour after, exactly one object
 * of each collected kind is; auth sessions go by absolute or by idle expiry, whichever comes first; kinds that
 * are never collected survive any GC.
 */
import assert from 'node:assert/strict';
import { NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../storage.js';
import * as f from './fixtures.js';
import type { Harness } from './harness.js';

const HOUR = 3_600_000;
const shift = (d: Date, hours: number) => new Date(d.getTime() + hours * HOUR);
const none = { authRequests: 0, authCodes: 0, deviceRequests: 0, deviceTokens: 0, authSessions: 0, revokedTokens: 0, throttles: 0, accessTokens: 0 };

/** Rejects like `get*` when `find*` answers null, so every reader below fails when its object is gone. */
const found = async <T>(p: Promise<T | null>): Promise<T> => {
  const v = await p;
  if (v === null) throw new NotFoundError('not found');
  return v;
};

/** One object of each collected kind expiring at `t`; returns readers that fetch each again. */
async function seed(s: Storage, t: Date): Promise<(() => Promise<unknown>)[]> {
  const req = f.authRequest(0, t);
  const code = f.authCode(0, t);
  const dreq = f.deviceRequest(0, t);
  const dtok = f.deviceToken(0, t);
  const sess = f.authSession(0, t, shift(t, 48));
  const revoked = f.revokedToken(0, t);
  const throttled = f.throttle(0, t);
  const opaque = f.accessToken(1, t);
  await s.createAuthRequest(req);
  await s.createAuthCode(code);
  await s.createDeviceRequest(dreq);
  await s.createDeviceToken(dtok);
  await s.createAuthSession(sess);
  await s.createRevokedToken(revoked);
  await s.createThrottle(throttled);
  await s.createAccessToken(opaque);
  return [
    () => s.getAuthRequest(req.id),
    () => s.getAuthCode(code.id),
    () => s.getDeviceRequest(dreq.userCode),
    () => s.getDeviceToken(dtok.deviceCode),
    () => s.getAuthSession(sess.id),
    () => found(s.findRevokedTokens([revoked.jti]).then((r) => r[0] ?? null)),
    () => s.getThrottle(throttled.key),
    () => found(s.findAccessToken(opaque.id)),
  ];
}

export function gcSuite(h: Harness): void {
  h.test('one hour before expiry nothing is deleted', async (s) => {
    const t = f.at();
    const readers = await seed(s, t);
    assert.deepStrictEqual(await s.garbageCollect(shift(t, -1)), none);
    for (const read of readers) await read();
  });

  h.test('one hour after expiry exactly one of each kind is deleted', async (s) => {
    const t = f.at();
    const expired = await seed(s, t);
    const alive = await seed(s, shift(t, 3));
    const kept = { ...f.refreshToken(0) };
    await s.createRefresh(kept);
    await s.createClient(f.client(0));
    await s.updateKeys((old) => ({ ...old, nextRotation: t }));
    const one = { authRequests: 1, authCodes: 1, deviceRequests: 1, deviceTokens: 1, authSessions: 1, revokedTokens: 1, throttles: 1, accessTokens: 1 };
    assert.deepStrictEqual(await s.garbageCollect(shift(t, 1)), one);
    for (const read of expired) await assert.rejects(read(), NotFoundError);
    for (const read of alive) await read();
    assert.deepStrictEqual(await s.garbageCollect(shift(t, 1)), none, 'a second run finds nothing');
    await s.garbageCollect(shift(t, 10_000));
    assert.deepStrictEqual(await s.getRefresh(kept.id), kept, 'refresh tokens are never collected');
    assert.equal((await s.listClients()).length, 1, 'clients are never collected');
    assert.equal((await s.getKeys()).nextRotation.getTime(), t.getTime(), 'keys are never collected');
  });

  h.test('auth sessions expire by idle time too', async (s) => {
    const t = f.at();
    const idle = f.authSession(0, shift(t, 48), t);
    const fresh = f.authSession(1, shift(t, 48), shift(t, 3));
    await s.createAuthSession(idle);
    await s.createAuthSession(fresh);
    assert.deepStrictEqual(await s.garbageCollect(shift(t, -1)), none);
    assert.deepStrictEqual(await s.garbageCollect(shift(t, 1)), { ...none, authSessions: 1 });
    await assert.rejects(s.getAuthSession(idle.id), NotFoundError);
    assert.deepStrictEqual(await s.getAuthSession(fresh.id), fresh);
  });

  h.test('an update that extends the idle expiry keeps a session', async (s) => {
    const t = f.at();
    const sess = f.authSession(0, shift(t, 48), t);
    await s.createAuthSession(sess);
    await s.updateAuthSession(sess.id, (old) => ({ ...old, idleExpiry: shift(t, 5) }));
    assert.deepStrictEqual(await s.garbageCollect(shift(t, 1)), none);
    assert.deepStrictEqual(await s.garbageCollect(shift(t, 6)), { ...none, authSessions: 1 });
  });
}
