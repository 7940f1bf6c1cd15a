import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { OAuthError } from './oauth-error.js';
import { checkPkceChallenge, computeCodeChallenge, verifyPkce } from './pkce.js';

const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
// RFC 7636 Appendix B.
const s256 = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const code = (fn: () => void): string => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof OAuthError);
    return `${err.status} ${err.code}`;
  }
};

test('computeCodeChallenge matches RFC 7636 Appendix B and plain is identity', () => {
  assert.equal(computeCodeChallenge(verifier, 'S256'), s256);
  assert.equal(createHash('sha256').update(verifier).digest('base64url'), s256);
  assert.equal(computeCodeChallenge(verifier, 'plain'), verifier);
});

test('verifyPkce follows the dex matrix', () => {
  const cases: Array<[string, string, string, string]> = [
    ['', '', '', 'ok'],
    [s256, 'S256', verifier, 'ok'],
    [verifier, 'plain', verifier, 'ok'],
    [verifier, '', verifier, 'ok'],
    [s256, 'S256', verifier + 'x', '400 invalid_grant'],
    [verifier, 'plain', 'other', '400 invalid_grant'],
    ['', '', verifier, '400 invalid_request'],
    [s256, 'S256', '', '400 invalid_grant'],
    [s256, 'S512', verifier, '500 server_error'],
  ];
  for (const [challenge, method, v, want] of cases) {
    assert.equal(code(() => verifyPkce(challenge, method, v)), want, `${challenge}/${method}/${v}`);
  }
});

test('checkPkceChallenge: the one check of a challenge at /auth and /device/code', () => {
  const both = { enforce: false, codeChallengeMethodsSupported: ['S256', 'plain'] };
  const check = (challenge: string, method: string, config = both, requireS256 = false) => {
    try {
      const r = checkPkceChallenge(challenge, method, config, requireS256);
      return `ok ${r.codeChallenge === challenge ? 'same' : 'other'} ${r.codeChallengeMethod || '-'}`;
    } catch (err) {
      assert.ok(err instanceof OAuthError);
      return `${err.code}: ${err.description}`;
    }
  };
  assert.equal(check('', ''), 'ok same -');
  assert.equal(check(s256, 'S256'), 'ok same S256');
  assert.equal(check(verifier, ''), 'ok same plain', 'no method means plain (RFC 7636 §4.3)');
  assert.equal(check('', 'S256'), 'invalid_request: code_challenge_method given without code_challenge.');
  assert.equal(check('', '', { ...both, enforce: true }), 'invalid_request: PKCE is required: missing code_challenge.');
  assert.equal(check('', '', both, true), 'invalid_request: PKCE is required for public clients: missing code_challenge (use S256).');
  assert.equal(check(verifier, 'plain', both, true), 'invalid_request: Public clients must use code_challenge_method=S256.');
  assert.equal(check(verifier, 'plain', { ...both, codeChallengeMethodsSupported: ['S256'] }), 'invalid_request: Unsupported PKCE challenge method ("plain").');
  assert.equal(check(verifier, 'x'.repeat(100)), `invalid_request: Unsupported PKCE challenge method (${JSON.stringify('x'.repeat(40))}).`);
  assert.equal(check('abc', 'S256'), 'invalid_request: Invalid code_challenge.');
  assert.equal(check('a'.repeat(129), 'plain'), 'invalid_request: Invalid code_challenge.');
});
