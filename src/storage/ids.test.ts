import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32Lower, newDeviceCode, newHmacKey, newId, newSecret, newUserCode } from './ids.js';

test('base32Lower matches RFC 4648 vectors (lower-case, unpadded)', () => {
  const vectors: [string, string][] = [['', ''], ['f', 'my'], ['fo', 'mzxq'], ['foo', 'mzxw6'], ['foob', 'mzxw6yq'], ['fooba', 'mzxw6ytb'], ['foobar', 'mzxw6ytboi']];
  for (const [input, want] of vectors) assert.equal(base32Lower(new TextEncoder().encode(input)), want);
});

test('newId: a letter then 24 base32 characters, valid as a Kubernetes name, unique', () => {
  const ids = new Set(Array.from({ length: 1000 }, newId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[a-z][a-z2-7]{24}$/);
});

test('newDeviceCode: 32 random bytes in the same scheme', () => {
  assert.match(newDeviceCode(), /^[a-z][a-z2-7]{50}$/);
});

test('newUserCode: XXXX-XXXX over the consonant alphabet, every letter used', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const code = newUserCode();
    assert.match(code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    for (const ch of code.replace('-', '')) seen.add(ch);
  }
  assert.equal(seen.size, 20);
});

test('newSecret and newHmacKey: 32 random bytes', () => {
  assert.match(newSecret(), /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(newSecret(), newSecret());
  const key = newHmacKey();
  assert.ok(key instanceof Uint8Array);
  assert.equal(key.length, 32);
});
