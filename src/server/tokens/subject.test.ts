import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSubject, encodeSubject } from './subject.js';

test('dex vectors encode byte-exactly and decode back', () => {
  for (const [sub, userId, connectorId] of [
    ['CgcyMzQyNzQ5EgZnaXRodWI', '2342749', 'github'],
    ['Cg0wLTM4NS0yODA4OS0wEgRtb2Nr', '0-385-28089-0', 'mock'],
  ] as const) {
    assert.equal(encodeSubject(userId, connectorId), sub);
    assert.deepEqual(decodeSubject(sub), { userId, connectorId });
  }
});

test('an empty connector id is omitted (proto3), as for client_credentials', () => {
  const sub = encodeSubject('client-a', '');
  assert.deepEqual([...Buffer.from(sub, 'base64url')], [0x0a, 8, ...Buffer.from('client-a')]);
  assert.deepEqual(decodeSubject(sub), { userId: 'client-a', connectorId: '' });
});

test('a user id over 127 bytes gets a two-byte varint length', () => {
  const userId = 'u'.repeat(300);
  const bytes = Buffer.from(encodeSubject(userId, 'ldap'), 'base64url');
  assert.deepEqual([...bytes.subarray(0, 3)], [0x0a, 0xac, 0x02]); // 300 = 0b10_0101100
  assert.equal(bytes[3 + 300], 0x12);
  assert.deepEqual(decodeSubject(encodeSubject(userId, 'ldap')), { userId, connectorId: 'ldap' });
});

test('non-ASCII ids are UTF-8 with byte lengths', () => {
  const userId = 'Jöhn Døe — 用户 🦊';
  const sub = encodeSubject(userId, 'conn-ä');
  const bytes = Buffer.from(sub, 'base64url');
  assert.equal(bytes[1], Buffer.byteLength(userId));
  assert.doesNotMatch(sub, /[=+/]/);
  assert.deepEqual(decodeSubject(sub), { userId, connectorId: 'conn-ä' });
});

test('garbage does not decode', () => {
  for (const bad of [
    '',
    'not a subject!',
    'CgcyMzQyNzQ5EgZnaXRodWI=', // padding is not allowed
    'CgcyMzQy', // length 7 announced, 3 bytes present
    Buffer.from([0x0a, 0x02, 0xff, 0xfe]).toString('base64url'), // invalid UTF-8
    Buffer.from([0x0b, 0x00]).toString('base64url'), // wire type 3 (group)
    Buffer.from([0x0a, 0x80]).toString('base64url'), // truncated varint
    'garbage',
  ]) {
    assert.throws(() => decodeSubject(bad), /decode subject/, bad);
  }
});

test('unknown fields are skipped, the last occurrence of a field wins (protobuf rules)', () => {
  const bytes = Buffer.from([0x0a, 1, 0x61, 0x18, 0x05, 0x0a, 1, 0x62, 0x12, 1, 0x63]);
  assert.deepEqual(decodeSubject(bytes.toString('base64url')), { userId: 'b', connectorId: 'c' });
});
