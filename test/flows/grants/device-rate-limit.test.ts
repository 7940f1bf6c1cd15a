/** Guessing user codes is rate limited: a client address may submit 30 a minute, then gets a clean 429 page. */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { USER_CODE_TRIES } from '../../../src/server/device/device-routes.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { type GrantsFixture, startGrantsFerry } from './grants.config.js';

let g: GrantsFixture;
before(async () => {
  g = await startGrantsFerry();
});
after(() => g.stop());

test(`after ${USER_CODE_TRIES} user codes a minute the device page answers 429`, async () => {
  const ua = new UserAgent(g.f.issuer);
  const form = readForm(await ua.browse(`${g.f.issuer}/device`));
  for (let i = 0; i < USER_CODE_TRIES; i++) {
    const page = await ua.submit(form, { user_code: 'BCDF-GHJK' });
    assert.equal(page.status, 400, `try ${i + 1}: an unknown code`);
  }
  const limited = await ua.submit(form, { user_code: 'BCDF-GHJK' });
  assert.equal(limited.status, 429);
  assert.match(limited.html, /Too many attempts/);
  assert.match(limited.headers.get('content-type') ?? '', /text\/html/);
});
