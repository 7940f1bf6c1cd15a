/**
 * Brute force (issue 12 item 1): 40 wrong passwords used to get 40 × 401 and then the right password worked. Now
 * each account, and each client address, is throttled with exponential backoff: 429 with `Retry-After` — JSON
 * `temporarily_unavailable` at /token, the HTML error page on the form — and the right password is refused too
 * until the block ends. Unknown and known accounts get identical answers.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { ADMIN, assertNoLeaks, type GrantsFixture, REDIRECT, SECRETS, startGrantsFerry } from '../grants/grants.config.js';

let g: GrantsFixture;
before(async () => {
  g = await startGrantsFerry();
});
after(async () => {
  assertNoLeaks(g.answers);
  await g.stop();
});

const passwordGrant = (username: string, password: string, headers: Record<string, string> = {}) =>
  g.post('/token', { grant_type: 'password', username, password, scope: 'openid' }, { auth: ['app', SECRETS.app], headers });

/** Seconds of block an answer announces (0 when it is not a 429). */
const limitedFor = (a: { status: number; headers: Headers }) => (a.status === 429 ? Number(a.headers.get('retry-after')) : 0);

test('40 wrong password-grant attempts end in 429 with Retry-After, and the right password is refused until it passes', async () => {
  const statuses: number[] = [];
  let limited;
  for (let i = 0; i < 40; i++) {
    const a = await passwordGrant(ADMIN.email, `wrong-${i}`);
    statuses.push(a.status);
    if (a.status === 429) limited ??= a;
  }
  assert.ok(limited, `never throttled: ${statuses.join(',')}`);
  assert.ok(statuses.slice(0, 5).every((s) => s === 401), 'the first five are plain failures');
  assert.equal(limited.json.error, 'temporarily_unavailable');
  assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
  assert.equal(limited.headers.get('cache-control'), 'no-store');

  // Make sure a block of at least 2 s is running (the backoff doubles), then try the right password at once.
  for (let i = 0; i < 100 && !(limitedFor(await passwordGrant(ADMIN.email, 'still-wrong')) >= 2); i++);
  const right = await passwordGrant(ADMIN.email, ADMIN.password);
  assert.equal(right.status, 429, 'the right password is refused while the account is blocked');
  assert.equal(right.json.access_token, undefined);

  g.clock.advance(16 * 60_000);
  const later = await passwordGrant(ADMIN.email, ADMIN.password);
  assert.equal(later.status, 200, later.text);
  assert.equal(typeof later.json.access_token, 'string');
  const again = await passwordGrant(ADMIN.email, 'wrong-again');
  assert.equal(again.status, 401, 'a success clears the account: the next wrong password is a plain 401');
});

test('an unknown account gets exactly the answer a known one with a wrong password gets, throttled alike', async () => {
  g.clock.advance(25 * 3600_000); // every earlier count is forgotten
  const known = await passwordGrant(ADMIN.email, 'nope');
  const unknown = await passwordGrant('ghost@example.com', 'nope');
  assert.equal(known.status, 401);
  assert.equal(unknown.status, known.status);
  assert.equal(unknown.text, known.text);
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await passwordGrant('ghost@example.com', `x${i}`)).status);
  assert.ok(statuses.includes(429), `unknown accounts are throttled too: ${statuses.join(',')}`);
  g.clock.advance(16 * 60_000);
});

test('the password form: wrong posts end in a 429 page with Retry-After; the right password is refused too', async () => {
  g.clock.advance(25 * 3600_000);
  const q = new URLSearchParams({ client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', connector_id: 'local' });
  const ua = new UserAgent(g.f.issuer);
  const page = await ua.browse(`${g.f.issuer}/auth?${q}`);
  assert.equal(page.status, 200);
  const form = readForm(page);
  const statuses: number[] = [];
  let limited;
  for (let i = 0; i < 30; i++) {
    const r = await ua.submit(form, { login: ADMIN.email, password: `wrong-${i}` });
    statuses.push(r.status);
    if (r.status === 429) limited ??= r;
  }
  assert.ok(limited, `never throttled: ${statuses.join(',')}`);
  assert.match(limited.headers.get('content-type') ?? '', /text\/html/);
  assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
  assert.match(limited.html, /Too many failed attempts/);
  for (let i = 0; i < 100; i++) {
    const r = await ua.submit(form, { login: ADMIN.email, password: 'still-wrong' });
    if (r.status === 429 && Number(r.headers.get('retry-after')) >= 2) break;
  }
  const right = await ua.submit(form, { login: ADMIN.email, password: ADMIN.password });
  assert.equal(right.status, 429);
  g.clock.advance(16 * 60_000);
  const later = await ua.submit(form, { login: ADMIN.email, password: ADMIN.password });
  assert.ok(later.status === 200 || later.status === 303, `after the block the login goes on: ${later.status}`);
});

test('one address trying many accounts is throttled by address', async () => {
  g.clock.advance(25 * 3600_000); // forget the failures of the tests above
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) statuses.push((await passwordGrant(`user${i}@example.com`, 'guess')).status);
  assert.deepEqual(statuses.slice(0, 30), Array(30).fill(401), 'each account tried once: only the address counts');
  assert.ok(statuses.slice(30).includes(429), `the address is throttled: ${statuses.join(',')}`);
});

test('twelve parallel password grants of one account with the right password all succeed (a service account in CI)', async () => {
  g.clock.advance(25 * 3600_000); // every earlier count is forgotten
  const answers = await Promise.all(Array.from({ length: 12 }, () => passwordGrant(ADMIN.email, ADMIN.password)));
  assert.deepEqual(answers.map((a) => a.status), Array(12).fill(200), answers.map((a) => a.text).join('\n'));
  // Guessing is not helped by the turns: the account still blocks after its free failures.
  const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => passwordGrant(ADMIN.email, `guess-${i}`)));
  assert.deepEqual(guesses.map((a) => a.status).sort(), [...Array(6).fill(401), ...Array(6).fill(429)]);
});
