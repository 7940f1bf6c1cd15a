/**
 * `/device/callback` answers only the browser that typed the user code (issue 12 item 9): another browser holding
 * a known user code gets the very answer an unknown code gets, and failed callbacks count toward the throttle.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { UserAgent } from '../../helpers/user-agent.js';
import { assertNoLeaks, type GrantsFixture, startGrantsFerry } from './grants.config.js';

let g: GrantsFixture;
before(async () => {
  g = await startGrantsFerry();
});
after(async () => {
  assertNoLeaks(g.answers);
  await g.stop();
});

test('a known user code from a browser that did not type it looks exactly like an unknown one', async () => {
  const code = await g.post('/device/code', { client_id: 'device-public', scope: 'openid' });
  assert.equal(code.status, 200);
  const userCode = String(code.json.user_code);
  const other = new UserAgent(g.f.issuer);
  const known = await other.browse(`${g.f.issuer}/device/callback?${new URLSearchParams({ state: userCode, code: 'stolen' })}`);
  const unknown = await other.browse(`${g.f.issuer}/device/callback?${new URLSearchParams({ state: 'BCDF-GHJK', code: 'stolen' })}`);
  assert.equal(known.status, 400);
  assert.equal(unknown.status, 400);
  assert.equal(known.html, unknown.html);
  assert.match(known.html, /Invalid or expired user code/);
});

test('guessing at /device/callback is throttled per client address (429 page with Retry-After)', async () => {
  const ua = new UserAgent(g.f.issuer);
  let last = 0;
  let retryAfter = '';
  for (let i = 0; i < 40 && last !== 429; i++) {
    const r = await ua.browse(`${g.f.issuer}/device/callback?${new URLSearchParams({ state: `BCDF-GH${i}K`, code: 'x' })}`);
    last = r.status;
    retryAfter = r.headers.get('retry-after') ?? '';
  }
  assert.equal(last, 429);
  assert.match(retryAfter, /^[1-9]\d*$/);
});
