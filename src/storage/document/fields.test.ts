import assert from 'node:assert/strict';
import { test } from 'node:test';
import { date, record, str } from './fields.js';

test('a record decodes and encodes every own key, including one named __proto__, without touching prototypes', () => {
  const dates = record(date());
  const raw = JSON.parse('{"a": "2026-12-07T10:00:00.000Z", "__proto__": "2026-12-07T11:00:00.000Z", "bad": 7}') as unknown;
  const decoded = dates.dec(raw);
  assert.deepStrictEqual(Object.keys(decoded), ['a', '__proto__', 'bad']);
  assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
  assert.equal(decoded.a?.toISOString(), '2026-12-07T10:00:00.000Z');
  assert.equal(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value.toISOString(), '2026-12-07T11:00:00.000Z');
  assert.equal(decoded.bad?.getTime(), 7, 'a number is a Date value');
  assert.deepStrictEqual(JSON.parse(JSON.stringify(dates.enc(decoded))), {
    a: '2026-12-07T10:00:00.000Z',
    ['__proto__']: '2026-12-07T11:00:00.000Z',
    bad: '1970-01-01T00:00:00.007Z',
  });
  assert.deepStrictEqual(record(str()).dec(['not', 'an', 'object']), {});
});
