/**
 * TimezoneSupport (dex `testTimezones`): a time written from a non-UTC wall clock comes back as the same instant,
 * and garbage collection compares instants, whatever zone a `now` was written in.
 */
import assert from 'node:assert/strict';
import * as f from './fixtures.js';
import type { Harness } from './harness.js';

const newYorkClock = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function timezoneSuite(h: Harness): void {
  h.test('an America/New_York wall time comes back as the same instant', async (s) => {
    // 09:30:00.250 New York time in winter (EST, -05:00) and in summer (EDT, -04:00).
    for (const text of ['2031-01-15T09:30:00.250-05:00', '2031-07-15T09:30:00.250-04:00']) {
      const expiry = new Date(text);
      assert.equal(newYorkClock.format(expiry), '09:30', 'fixture is a New York wall time');
      const a = f.authRequest(0, expiry);
      await s.createAuthRequest(a);
      const got = await s.getAuthRequest(a.id);
      assert.equal(got.expiry.getTime(), expiry.getTime());
      assert.equal(got.expiry.toISOString(), expiry.toISOString());
    }
  });

  h.test('garbage collection compares instants across zones', async (s) => {
    const expiry = new Date('2031-03-09T01:30:00-05:00'); // New York, shortly before the DST change
    await s.createAuthCode(f.authCode(0, expiry));
    const before = new Date('2031-03-09T15:29:59.999+09:00'); // Tokyo, 1 ms earlier
    const after = new Date('2031-03-09T07:30:00.001+01:00'); // Paris, 1 ms later
    assert.equal((await s.garbageCollect(before)).authCodes, 0);
    assert.equal((await s.garbageCollect(expiry)).authCodes, 0, 'an object expiring exactly now is kept');
    assert.equal((await s.garbageCollect(after)).authCodes, 1);
  });
}
