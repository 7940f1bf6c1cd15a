import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createSecretBox, isSealed, SecretUnavailableError, secretContext } from './secret-box.js';

const URI = 'otpauth://totp/Acme:(local)%20a%40b?secret=JBSWY3DPEHPK3PXP&issuer=Acme';
const CTX = secretContext('user-1', 'local', 'totp');

test('with a key: sealed with AES-256-GCM, opens back, never the clear text in storage', () => {
  const box = createSecretBox(randomBytes(32));
  const sealed = box.seal(URI, CTX);
  assert.ok(isSealed(sealed));
  assert.ok(!sealed.includes('JBSWY3DP'));
  assert.notEqual(box.seal(URI, CTX), sealed, 'a fresh nonce each time');
  assert.equal(box.open(sealed, CTX), URI);
});

test('without a key: stored in clear, as dex stores it; clear values are read with a key too (dex-written)', () => {
  assert.equal(createSecretBox(null).seal(URI, CTX), URI);
  assert.equal(createSecretBox(randomBytes(32)).open(URI, CTX), URI);
});

test('a wrong key, no key, another identity or a altered value is a clear error, not a crash', () => {
  const box = createSecretBox(randomBytes(32));
  const sealed = box.seal(URI, CTX);
  const cases: Array<[string, () => string, RegExp]> = [
    ['wrong key', () => createSecretBox(randomBytes(32)).open(sealed, CTX), /wrong mfa.encryptionKey/],
    ['no key', () => createSecretBox(null).open(sealed, CTX), /no mfa.encryptionKey is configured/],
    ['copied to another identity', () => box.open(sealed, secretContext('user-2', 'local', 'totp')), /does not decrypt/],
    ['altered', () => box.open(`${sealed.slice(0, -4)}AAAA`, CTX), /does not decrypt/],
    ['truncated', () => box.open('ferry-aes256gcm:v1:AAAA', CTX), /truncated/],
  ];
  for (const [name, run, message] of cases) {
    assert.throws(run, (err: unknown) => err instanceof SecretUnavailableError && message.test((err as Error).message), name);
  }
});

test('a key that is not 32 bytes is refused', () => {
  assert.throws(() => createSecretBox(randomBytes(16)), /32 bytes/);
});
