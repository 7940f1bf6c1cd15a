/**
 * ConcurrencyTests (dex `RunConcurrencyTests`) plus the single-use gates: parallel updaters lose no update, two
 * concurrent deletes of one auth code let exactly one through, and two concurrent creates of one id likewise.
 */
import assert from 'node:assert/strict';
import { AlreadyExistsError, NotFoundError } from '../../lib/errors.js';
import * as f from './fixtures.js';
import type { Harness } from './harness.js';

const PARALLEL = 100;

export function concurrencySuite(h: Harness): void {
  h.test(`${PARALLEL} parallel refresh-token updates are all reflected`, async (s) => {
    const r = { ...f.refreshToken(0), token: '0' };
    await s.createRefresh(r);
    const results = await Promise.allSettled(
      Array.from({ length: PARALLEL }, () =>
        s.updateRefreshToken(r.id, (old) => ({ ...old, token: String(Number(old.token) + 1) })),
      ),
    );
    const failed = results.filter((x) => x.status === 'rejected');
    assert.deepStrictEqual(failed, [], 'no update fails');
    assert.equal((await s.getRefresh(r.id)).token, String(PARALLEL));
  });

  h.test('two concurrent deletes of one auth code: exactly one succeeds', async (s) => {
    const code = f.authCode(0);
    await s.createAuthCode(code);
    const results = await Promise.allSettled([s.deleteAuthCode(code.id), s.deleteAuthCode(code.id)]);
    assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1);
    const rejected = results.find((x) => x.status === 'rejected');
    assert.ok(rejected?.status === 'rejected' && rejected.reason instanceof NotFoundError);
  });

  h.test('two concurrent creates of one id: exactly one succeeds', async (s) => {
    const a = f.authRequest(0);
    const b = { ...f.authRequest(1), id: a.id };
    const results = await Promise.allSettled([s.createAuthRequest(a), s.createAuthRequest(b)]);
    assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1);
    const rejected = results.find((x) => x.status === 'rejected');
    assert.ok(rejected?.status === 'rejected' && rejected.reason instanceof AlreadyExistsError);
    const stored = await s.getAuthRequest(a.id);
    assert.ok([a.state, b.state].includes(stored.state));
  });
}
