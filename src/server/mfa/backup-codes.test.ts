import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { BACKUP_CODE_COUNT, BackupCodeHasher } from './backup-codes.js';

const NOW = new Date('2031-05-06T07:08:09Z');

test('ten distinct codes of 60 bits, shown as xxxx-xxxx-xxxx; only hashes are stored', () => {
  const { codes, stored } = new BackupCodeHasher(null).generate(NOW);
  assert.equal(codes.length, BACKUP_CODE_COUNT);
  assert.equal(new Set(codes).size, BACKUP_CODE_COUNT);
  for (const c of codes) assert.match(c, /^[a-hj-km-np-z02-9]{4}-[a-hj-km-np-z02-9]{4}-[a-hj-km-np-z02-9]{4}$/);
  assert.equal(stored.hashes.length, BACKUP_CODE_COUNT);
  const text = JSON.stringify(stored);
  for (const c of codes) assert.ok(!text.includes(c.replaceAll('-', '')), 'no code in clear');
  assert.equal(stored.createdAt, NOW);
});

test('each code works once, typed in any case with or without dashes; the count left goes down', () => {
  const h = new BackupCodeHasher(randomBytes(32));
  const { codes, stored } = h.generate(NOW);
  const first = h.consume(stored, codes[0]!.toUpperCase().replaceAll('-', ' '));
  assert.ok(first);
  assert.equal(first.hashes.length, 9);
  assert.equal(h.consume(first, codes[0]!), null, 'the same code again is refused');
  const second = h.consume(first, codes[5]!);
  assert.equal(second?.hashes.length, 8);
});

test('wrong codes, codes of another generation, another key, and no codes are refused', () => {
  const key = randomBytes(32);
  const h = new BackupCodeHasher(key);
  const a = h.generate(NOW);
  const b = h.generate(NOW);
  assert.equal(h.consume(a.stored, b.codes[0]!), null, 'a code of another set');
  assert.equal(h.consume(a.stored, 'aaaa-aaaa-aaaa'), null);
  assert.equal(h.consume(a.stored, ''), null);
  assert.equal(h.consume(null, a.codes[0]!), null);
  assert.equal(new BackupCodeHasher(randomBytes(32)).consume(a.stored, a.codes[0]!), null, 'the hash is keyed');
  assert.equal(new BackupCodeHasher(null).consume(a.stored, a.codes[0]!), null);
});
