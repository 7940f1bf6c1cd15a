import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isoText, parseTimeText, remembered, timeLayout } from './time-text.js';

test('remembered conversions answer what the plain ones do, on first use and on every later one', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }), (d) => {
      const text = d.toISOString();
      assert.equal(isoText(d), text);
      assert.equal(isoText(new Date(d.getTime())), text);
      assert.equal(parseTimeText(text), d.getTime());
      assert.equal(parseTimeText(text), Date.parse(text));
    }),
    { numRuns: 20_000 }, // more than the maps hold, so they are emptied and refilled along the way
  );
  assert.ok(Number.isNaN(parseTimeText('not a time')));
  assert.ok(Number.isNaN(parseTimeText('not a time')), 'a remembered NaN is still NaN');
  assert.throws(() => isoText(new Date(Number.NaN)), RangeError, 'an invalid date throws as toISOString does');
});

test('a remembered layout hands out text, never a Date another caller could change', () => {
  const layout = timeLayout((d) => `${d.getUTCFullYear()}/${d.getTime()}`);
  const d = new Date(Date.UTC(2026, 11, 7));
  assert.equal(layout(d), `2026/${d.getTime()}`);
  d.setUTCFullYear(2030);
  assert.equal(layout(d), `2030/${d.getTime()}`, 'keyed by the value, not by the object');
  let calls = 0;
  const f = remembered((k: string) => (calls++, k.length));
  assert.equal(f('abc') + f('abc'), 6);
  assert.equal(calls, 1);
});
