import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GRANT_TYPES, offeredTokenGrantTypes } from './grant-types.js';

test('offered /token grant types: the configured ones once each, password only with a password connector, never implicit', () => {
  const grantTypes = [GRANT_TYPES.refreshToken, 'implicit', 'password', 'made_up', GRANT_TYPES.deviceCode, GRANT_TYPES.refreshToken];
  assert.deepEqual(offeredTokenGrantTypes({ grantTypes, passwordConnector: '' }), [GRANT_TYPES.refreshToken, GRANT_TYPES.deviceCode]);
  assert.deepEqual(offeredTokenGrantTypes({ grantTypes, passwordConnector: 'local' }), [GRANT_TYPES.refreshToken, 'password', GRANT_TYPES.deviceCode]);
});
