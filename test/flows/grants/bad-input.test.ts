/**
 * Bad input on every endpoint of issue 5 gets its exact OAuth error (or, for browser pages, the right page and
 * status) and never a 5xx: one table per endpoint, each row a request and the answer it must get.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { assertNoLeaks, assertOAuthError, basic, DEVICE_GRANT, type GrantsFixture, SECRETS, startGrantsFerry } from './grants.config.js';

let g: GrantsFixture;
before(async () => {
  g = await startGrantsFerry();
});
after(async () => {
  assertNoLeaks(g.answers);
  await g.stop();
});

interface Row {
  name: string;
  method?: string;
  body?: string | Record<string, string>;
  headers?: Record<string, string>;
  status: number;
  error: string;
  description?: string | RegExp;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const appBasic = { authorization: basic('app', SECRETS.app) };

/** The rows every form endpoint shares: method, media type, repeated parameters, malformed Basic. */
const shapeRows: Row[] = [
  { name: 'GET', method: 'GET', status: 400, error: 'invalid_request', description: 'method not allowed' },
  { name: 'DELETE', method: 'DELETE', status: 400, error: 'invalid_request', description: 'method not allowed' },
  { name: 'JSON body', body: '{"token":"x"}', headers: { 'content-type': 'application/json' }, status: 400, error: 'invalid_request' },
  { name: 'broken JSON body', body: '{', headers: { 'content-type': 'application/json' }, status: 400, error: 'invalid_request' },
  { name: 'text body', body: 'token=x', headers: { 'content-type': 'text/plain' }, status: 400, error: 'invalid_request' },
  { name: 'repeated parameter', body: 'token=a&token=b&client_id=app&client_id=app', headers: FORM, status: 400, error: 'invalid_request', description: /must not be repeated/ },
  { name: 'Basic without colon', body: 'token=a', headers: { ...FORM, authorization: `Basic ${Buffer.from('app').toString('base64')}` }, status: 401, error: 'invalid_client' },
  { name: 'Basic with a bad escape', body: 'token=a', headers: { ...FORM, authorization: `Basic ${Buffer.from('app:%zz').toString('base64')}` }, status: 400, error: 'invalid_request', description: 'client_secret improperly encoded' },
];

async function run(path: string, rows: Row[]): Promise<void> {
  for (const r of rows) {
    const body = typeof r.body === 'string' ? r.body : r.body ? new URLSearchParams(r.body).toString() : undefined;
    const a = await g.request(path, { method: r.method ?? 'POST', headers: r.headers ?? FORM, body: r.method === 'GET' ? undefined : body });
    assertOAuthError(a, r.status, r.error, r.description);
    assert.ok(a.status < 500, `${path} ${r.name}`);
  }
}

describe('POST /device/code', () => {
  test('request shape', () => run('/device/code', shapeRows));
  test('clients, scopes and PKCE', () =>
    run('/device/code', [
      { name: 'no client', body: {}, status: 401, error: 'invalid_client' },
      { name: 'unknown client', body: { client_id: 'nobody' }, status: 401, error: 'invalid_client' },
      { name: 'wrong secret', body: { client_id: 'device-conf', client_secret: 'nope' }, status: 401, error: 'invalid_client' },
      { name: 'confidential client without secret', body: { client_id: 'device-conf' }, status: 401, error: 'invalid_client' },
      { name: 'client without a device callback', body: {}, headers: { ...FORM, ...appBasic }, status: 400, error: 'unauthorized_client', description: /\/dex\/device\/callback/ },
      { name: 'no openid', body: { client_id: 'device-public', scope: 'email' }, status: 400, error: 'invalid_scope', description: 'Missing required scope(s) ["openid"].' },
      { name: 'unknown scope', body: { client_id: 'device-public', scope: 'openid admin' }, status: 400, error: 'invalid_scope', description: 'Unrecognized scope(s) ["admin"]' },
      { name: 'untrusted peer', body: { client_id: 'device-public', scope: 'openid audience:server:client_id:app' }, status: 400, error: 'invalid_scope' },
      { name: 'method without challenge', body: { client_id: 'device-public', code_challenge_method: 'S256' }, status: 400, error: 'invalid_request' },
      { name: 'unknown method', body: { client_id: 'device-public', code_challenge: 'a'.repeat(43), code_challenge_method: 'S512' }, status: 400, error: 'invalid_request', description: 'Unsupported PKCE challenge method ("S512").' },
      { name: 'short challenge', body: { client_id: 'device-public', code_challenge: 'abc' }, status: 400, error: 'invalid_request', description: 'Invalid code_challenge.' },
    ]));
});

describe('POST /token with the new grants', () => {
  test('device_code', () =>
    run('/token', [
      { name: 'no device code', body: { grant_type: DEVICE_GRANT }, status: 400, error: 'invalid_request', description: 'No device code received.' },
      { name: 'unknown device code', body: { grant_type: DEVICE_GRANT, device_code: 'x'.repeat(51) }, status: 400, error: 'invalid_request', description: 'Invalid device code.' },
      { name: 'huge device code', body: { grant_type: DEVICE_GRANT, device_code: 'x'.repeat(20_000) }, status: 400, error: 'invalid_request' },
    ]));
  test('client_credentials, password and token exchange without client authentication', () =>
    run('/token', ['client_credentials', 'password', 'urn:ietf:params:oauth:grant-type:token-exchange'].map((grant_type) => ({
      name: grant_type, body: { grant_type }, status: 401, error: 'invalid_client',
    }))));
});

for (const path of ['/token/introspect', '/token/revoke']) {
  describe(`POST ${path}`, () => {
    test('request shape', () => run(path, shapeRows));
    test('missing token, bad credentials', () =>
      run(path, [
        { name: 'no token', body: {}, headers: { ...FORM, ...appBasic }, status: 400, error: 'invalid_request' },
        { name: 'wrong secret', body: { token: 'x' }, headers: { ...FORM, authorization: basic('app', 'nope') }, status: 401, error: 'invalid_client' },
        { name: 'Basic and form secret', body: { token: 'x', client_secret: SECRETS.app }, headers: { ...FORM, ...appBasic }, status: 400, error: 'invalid_request', description: 'Client authentication must use only one method.' },
      ]));
  });
}

describe('device pages', () => {
  test('GET /device never fails on odd input; repeated parameters get a 400 page', async () => {
    const ua = new UserAgent(g.f.issuer);
    const page = await ua.browse(`${g.f.issuer}/device?user_code=${'<script>'.repeat(10)}&invalid=maybe`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.html, /<script>/);
    const repeated = await ua.browse(`${g.f.issuer}/device?user_code=a&user_code=b`);
    assert.equal(repeated.status, 400);
  });

  test('POST /device/auth/verify_code: CSRF, missing and unknown codes', async () => {
    const ua = new UserAgent(g.f.issuer);
    const form = readForm(await ua.browse(`${g.f.issuer}/device`));
    const badCsrf = await ua.submit(form, { csrf_token: 'x'.repeat(43), user_code: 'BCDF-GHJK' });
    assert.equal(badCsrf.status, 403, 'a CSRF field that is sent must be right');
    const crossSite = await ua.browse(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      body: new URLSearchParams({ user_code: 'BCDF-GHJK' }).toString(),
    });
    assert.equal(crossSite.status, 403, 'a cross-site post is refused');
    const dexFields = await ua.submit({ ...form, fields: {} }, { user_code: 'BCDF-GHJK' });
    assert.equal(dexFields.status, 400, "dex's form (user_code only) from the cookie's browser is checked like any other");
    const otherBrowser = await new UserAgent(g.f.issuer).submit(form, { user_code: 'BCDF-GHJK' });
    assert.equal(otherBrowser.status, 403, 'the token is bound to the cookie of the browser that got the page');
    assert.equal((await ua.submit(form, { user_code: '' })).status, 400);
    const unknown = await ua.submit(form, { user_code: 'bcdf ghjk' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.html, /value="BCDF-GHJK"/, 'the normalized code is shown again');
    assert.equal((await ua.submit(form, { user_code: 'x'.repeat(5000) })).status, 400);
  });

  test('GET /device/callback: missing or unknown state and code', async () => {
    const ua = new UserAgent(g.f.issuer);
    const device = (await g.post('/device/code', { client_id: 'device-public' })).json;
    for (const [query, status] of [
      ['', 400],
      ['state=NOPE-NOPE&code=x', 400],
      [`state=${device.user_code}`, 400],
      [`state=${device.user_code}&code=not-a-code`, 400],
      [`state=${device.user_code}&error=server_error`, 400],
    ] as const) {
      const page = await ua.browse(`${g.f.issuer}/device/callback?${query}`);
      assert.equal(page.status, status, query);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    }
    const poll = await g.post('/token', { grant_type: DEVICE_GRANT, device_code: String(device.device_code) });
    assertOAuthError(poll, 400, 'authorization_pending', undefined);
  });
});
