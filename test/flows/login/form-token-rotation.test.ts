/**
 * The password form's CSRF token is an HMAC under a secret derived from the signing key (form-token.ts), so a key
 * rotation while the form is open can leave it uncheckable. Such a form is not a 500 and not the "refused" error
 * page: the form comes back (403) with a notice and a fresh token, and sending it again logs in. An expired form
 * behaves the same; a token of another browser is still refused outright.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LocalSigner } from '../../../src/keys/local.js';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';

const ROTATE_S = 60;
const yaml = (issuer: string, listen: string) => `
issuer: ${issuer}
storage: {type: memory}
web: {http: ${listen}}
signer: {type: local, config: {keysRotationPeriod: ${ROTATE_S}s, algorithm: ES256}}
expiry: {authRequests: 1h}
connectors:
- {type: mockPassword, id: mock, name: Mock, config: {username: kilgore, password: trout}}
staticClients:
- {id: app, secret: s, name: App, redirectURIs: ['https://app.example.com/cb']}
`;
const query = new URLSearchParams({ client_id: 'app', redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid', state: 's' });
const NOTICE = 'This form has expired. Please enter your credentials again.';

let t = Date.parse('2026-04-01T00:00:00Z');
let f: TestFerry;
before(async () => {
  f = await startTestFerry(yaml, { now: () => new Date(t) });
});
after(() => f.stop());

async function openForm() {
  const ua = new UserAgent(f.issuer);
  const page = await ua.browse(`${f.issuer}/auth?${query}`);
  assert.equal(page.status, 200);
  return { ua, form: readForm(page) };
}

const CREDENTIALS = { login: 'kilgore', password: 'trout' };

test('a form open across two key rotations is shown again with a notice; the new form logs in', async () => {
  const { ua, form } = await openForm();
  const signer = f.ferry.deps.signer as LocalSigner;
  for (let i = 0; i < 2; i++) {
    t += (ROTATE_S + 1) * 1000;
    assert.equal((await signer.rotate()).rotated, true);
  }
  const again = await ua.submit(form, CREDENTIALS);
  assert.equal(again.status, 403);
  assert.ok(again.html.includes(NOTICE), again.html.slice(0, 500));
  const next = readForm(again);
  assert.notEqual(next.fields.csrf_token, form.fields.csrf_token);
  const done = await ua.submit(next, CREDENTIALS);
  assert.ok(done.redirect?.searchParams.get('code'), `a code: ${done.status} ${done.html.slice(0, 300)}`);
});

test('an expired form is shown again too; a token of another browser gets the refusal page', async () => {
  const { ua, form } = await openForm();
  const other = await openForm();
  const stolen = await ua.submit({ ...form, fields: { ...form.fields, csrf_token: other.form.fields.csrf_token ?? '' } }, CREDENTIALS);
  assert.equal(stolen.status, 403);
  assert.ok(!stolen.html.includes(NOTICE) && !stolen.html.includes('name="password"'), 'the error page, not a form');
  t += 3600_000 + 1000;
  const again = await ua.submit(form, CREDENTIALS);
  assert.equal(again.status, 403);
  assert.ok(again.html.includes(NOTICE));
});
