import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchTOTP, newTOTPKey, totpCode, totpSecretOf } from './totp.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const at = (step: number, offsetS = 0) => new Date((step * 30 + offsetS) * 1000);

test('RFC 6238 test vector: SHA-1, 6 digits, T = 59 s', () => {
  // RFC 6238 Appendix B: secret "12345678901234567890" (ASCII), time 59 → 94287082 (8 digits) → 287082 for 6.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  assert.equal(totpCode(secret, 1), '287082');
});

test('a code is accepted one step early or late, not two', () => {
  const code = totpCode(SECRET, 1000);
  assert.equal(matchTOTP(SECRET, code, at(1000, 5), 0), 1000);
  assert.equal(matchTOTP(SECRET, code, at(1001, 29), 0), 1000, 'one step late');
  assert.equal(matchTOTP(SECRET, code, at(999), 0), 1000, 'one step early');
  assert.equal(matchTOTP(SECRET, code, at(1002), 0), null, 'two steps late');
  assert.equal(matchTOTP(SECRET, code, at(998), 0), null, 'two steps early');
});

test('each code is usable once: its step and older steps are refused after use', () => {
  const code = totpCode(SECRET, 500);
  const used = matchTOTP(SECRET, code, at(500), 0);
  assert.equal(used, 500);
  assert.equal(matchTOTP(SECRET, code, at(500, 10), 500), null, 'replay of the same code');
  assert.equal(matchTOTP(SECRET, totpCode(SECRET, 499), at(500), 500), null, 'an older code after a newer one');
  assert.equal(matchTOTP(SECRET, totpCode(SECRET, 501), at(500), 500), 501, 'the next step still works');
});

test('wrong, malformed and empty codes are refused', () => {
  const good = totpCode(SECRET, 42);
  const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
  for (const code of [wrong, '', '12345', '1234567', 'abcdef', `${good}0`]) assert.equal(matchTOTP(SECRET, code, at(42), 0), null, code);
  assert.equal(matchTOTP(SECRET, `${good.slice(0, 3)} ${good.slice(3)}`, at(42), 0), 42, 'spaces are ignored');
  assert.equal(matchTOTP('', good, at(42), 0), null);
});

test("the otpauth URI names the issuer and `(<connector>) <email>`, as dex HEAD's", () => {
  const { secret, uri } = newTOTPKey('Acme SSO', 'ldap', 'jane@example.com');
  const u = new URL(uri);
  assert.equal(u.protocol, 'otpauth:');
  assert.equal(decodeURIComponent(u.pathname), '/Acme SSO:(ldap) jane@example.com');
  assert.equal(u.searchParams.get('issuer'), 'Acme SSO');
  assert.equal(totpSecretOf(uri), secret);
  assert.match(secret, /^[A-Z2-7]{32}$/, '20 random bytes in base32');
  assert.equal(totpSecretOf('jbsw y3dp'), 'JBSWY3DP', 'a bare secret');
});
