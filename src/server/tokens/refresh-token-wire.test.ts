import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRefreshToken, encodeRefreshToken } from './refresh-token-wire.js';

test('encodes {1: id, 2: secret} as unpadded base64url protobuf', () => {
  const value = encodeRefreshToken('abc', 'xyz');
  assert.deepEqual([...Buffer.from(value, 'base64url')], [0x0a, 3, 0x61, 0x62, 0x63, 0x12, 3, 0x78, 0x79, 0x7a]);
  assert.equal(value, 'CgNhYmMSA3h5eg');
  assert.deepEqual(decodeRefreshToken(value), { id: 'abc', secret: 'xyz' });
});

test('round-trips typical ids and secrets', () => {
  const id = 'u6cqkw2ofq5ywcf3ntcrxhvwl';
  const secret = 'kd5vw3ozrhocthyoqcjdgnxbj';
  assert.deepEqual(decodeRefreshToken(encodeRefreshToken(id, secret)), { id, secret });
});

test('a value that does not decode is a legacy raw id with an empty secret', () => {
  for (const legacy of ['legacy id!', 'CgNhYmMSA3h5eg==', 'Cg5hYmM']) {
    assert.deepEqual(decodeRefreshToken(legacy), { id: legacy, secret: '' });
  }
});
