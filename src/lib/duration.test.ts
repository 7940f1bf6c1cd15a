import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
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

test('any text: a finite number of milliseconds within Go\'s range, or an Error; never NaN', () => {
  // Units drawn from Go's, Object.prototype's member names and arbitrary text, after arbitrary numbers.
  const unit = fc.oneof(
    fc.constantFrom('ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h', 'd', ''),
    fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)),
    fc.string({ maxLength: 4 }),
  );
  const number = fc.oneof(fc.nat().map(String), fc.stringMatching(/^\d{0,25}(\.\d{0,12})?$/));
  const duration = fc.oneof(
    fc.tuple(fc.constantFrom('', '-', '+'), fc.array(fc.tuple(number, unit), { minLength: 1, maxLength: 4 })).map(
      ([sign, parts]) => sign + parts.map(([n, u]) => n + u).join(''),
    ),
    fc.string({ maxLength: 12 }),
  );
  fc.assert(
    fc.property(duration, (text) => {
      let ms: number;
      try {
        ms = parseDuration(text);
      } catch (err) {
        assert.ok(err instanceof Error && err.message.includes(JSON.stringify(text)), `the message quotes the text: ${String(err)}`);
        return;
      }
      assert.ok(Number.isFinite(ms) && Math.abs(ms) <= 9_223_372_036_854.775, `${JSON.stringify(text)} gave ${ms}`);
    }),
    { numRuns: 5000 },
  );
});

test('formatDuration prints like Go', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(300), '300ms');
  assert.equal(formatDuration(5_400_000), '1h30m0s');
  assert.equal(formatDuration(90_500), '1m30.5s');
});
