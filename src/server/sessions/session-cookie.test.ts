/**
 * The session cookie against dex HEAD's format: server/internal/types.proto `message SessionCookie { string
 * session_id = 1; string secret = 2; }`, marshalled and base64url-encoded without padding (server/internal/codec.go),
 * optionally sealed with AES-GCM: a 12-byte nonce, then ciphertext and 16-byte tag, base64url (server/internal/
 * cookie.go). The fixtures below are written out byte by byte from those facts, not produced by Ferry's encoder.
 */

import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeSessionCookie, encodeSessionCookie } from './session-cookie.js';

const NO_KEY = Buffer.alloc(0);
// 0x0a = field 1, wire type 2; 0x12 = field 2, wire type 2; then the length and the UTF-8 bytes.
const DEX_BYTES = Buffer.from([0x0a, 0x04, ...Buffer.from('sess'), 0x12, 0x06, ...Buffer.from('s3cr3t')]);
const DEX_COOKIE = DEX_BYTES.toString('base64url');

test('a cookie in dex HEAD\'s format decodes, and Ferry writes the same bytes', () => {
  assert.equal(DEX_COOKIE, 'CgRzZXNzEgZzM2NyM3Q');
  assert.deepEqual(decodeSessionCookie(DEX_COOKIE, NO_KEY), { id: 'sess', secret: 's3cr3t' });
  assert.equal(encodeSessionCookie('sess', 's3cr3t', NO_KEY), DEX_COOKIE);
});

test('an encrypted cookie sealed as dex seals it opens with the key (AES-128, -192 and -256)', () => {
  for (const size of [16, 24, 32]) {
    const key = Buffer.from('k'.repeat(size));
    const nonce = Buffer.alloc(12, 7);
    const cipher = createCipheriv(`aes-${size * 8}-gcm` as 'aes-256-gcm', key, nonce);
    // dex seals the base64url text of the message, not the raw bytes.
    const body = Buffer.concat([cipher.update(DEX_COOKIE, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const value = Buffer.concat([nonce, body]).toString('base64url');
    assert.deepEqual(decodeSessionCookie(value, key), { id: 'sess', secret: 's3cr3t' }, `AES-${size * 8}`);
    const mine = encodeSessionCookie('sess', 's3cr3t', key);
    assert.notEqual(mine, encodeSessionCookie('sess', 's3cr3t', key), 'a fresh nonce every time');
    assert.deepEqual(decodeSessionCookie(mine, key), { id: 'sess', secret: 's3cr3t' });
    assert.equal(decodeSessionCookie(mine, NO_KEY), null, 'an encrypted cookie is not read as plain');
  }
});

test('attack: tampered, foreign-key, truncated and plain-when-encrypted cookies are refused, never thrown', () => {
  const key = Buffer.from('0123456789abcdef');
  const sealed = encodeSessionCookie('sess', 's3cr3t', key);
  const flipped = Buffer.from(sealed, 'base64url');
  flipped[14] = (flipped[14] ?? 0) ^ 1;
  const cases: Array<[string, Buffer]> = [
    [flipped.toString('base64url'), key],
    [sealed, Buffer.from('fedcba9876543210')],
    [sealed.slice(0, 20), key],
    [DEX_COOKIE, key],
    ['', NO_KEY],
    ['!!!', NO_KEY],
    [Buffer.from([0x0a, 0x09, 0x61]).toString('base64url'), NO_KEY],
    [Buffer.from([0x0a, 0x01, 0x61]).toString('base64url'), NO_KEY],
    ['A'.repeat(5000), NO_KEY],
  ];
  for (const [value, k] of cases) assert.equal(decodeSessionCookie(value, k), null, `refused: ${value.slice(0, 30)}`);
});

test('any id and secret round-trip, plain and encrypted; random text never throws', () => {
  const key = Buffer.from('0123456789abcdef0123456789abcdef');
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.string({ minLength: 1, maxLength: 80 }), (id, secret) => {
      assert.deepEqual(decodeSessionCookie(encodeSessionCookie(id, secret, NO_KEY), NO_KEY), { id, secret });
      assert.deepEqual(decodeSessionCookie(encodeSessionCookie(id, secret, key), key), { id, secret });
    }),
  );
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (junk) => {
    decodeSessionCookie(junk, NO_KEY);
    decodeSessionCookie(junk, key);
  }));
});
