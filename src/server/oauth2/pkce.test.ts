import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { OAuthError } from './oauth-error.js';
import { computeCodeChallenge, verifyPkce } from './pkce.js';

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
