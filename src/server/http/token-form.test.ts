import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthError } from '../oauth2/oauth-error.js';
import { parseTokenForm } from './token-form.js';

const FORM = 'application/x-www-form-urlencoded';

test('reads single values; absent and empty are both ""', () => {
  const f = parseTokenForm(`${FORM}; charset=utf-8`, { grant_type: 'authorization_code', scope: '' });
  assert.equal(f.get('grant_type'), 'authorization_code');
  assert.equal(f.get('scope'), '');
  assert.equal(f.get('missing'), '');
});

test('rejects repeated parameters, non-form bodies and missing bodies', () => {
  const bad: Array<[string | undefined, unknown]> = [
    [FORM, { code: ['a', 'b'] }],
    [FORM, { code: { nested: true } }],
    ['application/json', { grant_type: 'authorization_code' }],
    [undefined, undefined],
    [FORM, undefined],
  ];
  for (const [type, body] of bad) {
    assert.throws(() => parseTokenForm(type, body), (e: unknown) => e instanceof OAuthError && e.code === 'invalid_request');
  }
});
