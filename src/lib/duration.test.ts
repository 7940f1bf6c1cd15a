import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDuration, parseDuration } from '../lib/duration.js';

describe('parseDuration (Go time.ParseDuration)', () => {
  const ok: Array<[string, number]> = [
    ['0', 0],
    ['300ms', 300],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2160h', 2160 * 3_600_000],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['1.s', 1000],
    ['-2m', -120_000],
    ['+3s', 3000],
    ['1000us', 1],
    ['1000µs', 1],
    ['1000000ns', 1],
    ['1h0m0s', 3_600_000],
    ['2562047h', 2_562_047 * 3_600_000],
  ];
  for (const [text, ms] of ok) {
    test(`${text} = ${ms}ms`, () => assert.equal(parseDuration(text), ms));
  }

  const bad: Array<[string, RegExp]> = [
    ['90d', /unknown unit "d" in duration "90d"/],
    ['', /invalid duration ""/],
    ['10', /missing unit in duration "10"/],
    ['h', /invalid duration "h"/],
    ['.s', /invalid duration ".s"/],
    ['1h 30m', /unknown unit "h " in duration/],
    ['-', /invalid duration "-"/],
    // Names an Object.prototype member: a plain lookup found a function or an object and the duration became NaN.
    ['1constructor', /unknown unit "constructor" in duration "1constructor"/],
    ['5toString', /unknown unit "toString" in duration/],
    ['1__proto__', /unknown unit "__proto__" in duration/],
    // Beyond Go's int64 nanoseconds (about 292 years): Go refuses it; Ferry took it, though no JS Date reaches that far.
    ['9999999999999999999999h', /invalid duration "9999999999999999999999h"/],
    ['2562048h', /invalid duration "2562048h"/],
    ['-2562048h', /invalid duration "-2562048h"/],
  ];
  for (const [text, message] of bad) {
    test(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => parseDuration(text), message));
  }
});

test('formatDuration prints like Go', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(300), '300ms');
  assert.equal(formatDuration(5_400_000), '1h30m0s');
  assert.equal(formatDuration(90_500), '1m30.5s');
});
