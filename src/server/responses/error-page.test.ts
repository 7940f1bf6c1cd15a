import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectorError, StorageError, UserNotInRequiredGroupsError, UserRefusedError, type RefusalReason } from '../../lib/errors.js';
import { OAuthError } from '../oauth2/oauth-error.js';
import { connectorIdOf, errorPage, REFUSAL_PAGES } from './error-page.js';

const refusal = (reason: RefusalReason) => new UserRefusedError('gh', reason, `log-only detail for ${reason}`);

const TABLE: [string, unknown, number][] = [
  ['access_denied upstream', refusal('access_denied'), 403],
  ['no verified email', refusal('no_verified_email'), 403],
  ['account not allowed (hosted domain, inactive)', refusal('not_allowed'), 403],
  ['invalid or replayed SAML response', refusal('invalid_response'), 400],
  ['forged, stale or used callback', refusal('bad_callback'), 400],
  ['no proxy authentication', refusal('unauthenticated'), 401],
  ['not in the required groups', new UserNotInRequiredGroupsError('gh'), 403],
  ['upstream failure', new ConnectorError('gh', 'HTTP 503 from upstream'), 502],
  ['storage failure', new StorageError('connection lost'), 503],
  ['temporarily_unavailable', new OAuthError('temporarily_unavailable', 'x', { status: 503 }), 503],
  ['exposed OAuth error', new OAuthError('invalid_request', 'Bad thing.', { status: 400 }), 400],
  ['anything else', new Error('boom'), 500],
];

for (const [name, err, status] of TABLE) {
  test(`error page: ${name} → ${status}`, () => {
    const page = errorPage(err, 'GitHub');
    assert.equal(page.status, status);
    assert.doesNotMatch(page.message, /log-only|HTTP 503|boom|connection lost/, 'no internal detail on the page');
  });
}

test('every refusal reason is a 4xx page naming the connector, and names its connector', () => {
  for (const reason of Object.keys(REFUSAL_PAGES) as RefusalReason[]) {
    const page = errorPage(refusal(reason), 'GitHub');
    assert.ok(page.status >= 400 && page.status < 500, `${reason}: ${page.status}`);
    assert.match(page.message, /GitHub/);
    assert.equal(connectorIdOf(refusal(reason)), 'gh');
  }
});
