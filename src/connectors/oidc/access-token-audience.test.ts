import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnsecuredJWT } from 'jose';
import { accessTokenHasAudience } from './access-token-audience.js';

const jwt = (aud?: string | string[]) => new UnsecuredJWT({ sub: 'u', ...(aud !== undefined && { aud }) }).encode();

test('the token must be a JWT naming a configured audience', () => {
  assert.ok(accessTokenHasAudience(jwt('ferry'), ['ferry']));
  assert.ok(accessTokenHasAudience(jwt(['api', 'ferry']), ['other', 'ferry']));
  assert.equal(accessTokenHasAudience(jwt('another-app'), ['ferry']), false, 'a token meant for another app');
  assert.equal(accessTokenHasAudience(jwt(), ['ferry']), false, 'no aud');
  assert.equal(accessTokenHasAudience('opaque-token', ['ferry']), false, 'opaque: cannot be bound');
  assert.equal(accessTokenHasAudience(jwt('ferry'), []), false, 'no audiences configured: off');
});
