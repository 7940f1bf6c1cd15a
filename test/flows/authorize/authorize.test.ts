/**
 * /auth and the login steps under bad input: unknown clients and unregistered redirect URIs get an error page
 * and are never redirected to; every other problem is an OAuth error redirected to the verified URI with `state`;
 * nothing answers 5xx. Also: the flow is bound to the browser that started it.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEX_V2_45_ENV, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { authorizeConfig, REDIRECT } from './authorize.config.js';

let f: TestFerry;
before(async () => {
  // dex v2.45.1's flow (login → /approval); the dispatcher's equivalents: test/flows/sessions/.
  f = await startTestFerry(authorizeConfig, { env: DEX_V2_45_ENV });
});
after(() => f.stop());

const S256 = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
const base = { client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'st-1' };

async function get(path: string, query: string | Record<string, string>) {
  const qs = typeof query === 'string' ? query : new URLSearchParams(query).toString();
  return fetch(`${f.issuer}${path}?${qs}`, { redirect: 'manual' });
}

describe('/auth request validation', () => {
  const pageCases: [string, Record<string, string> | string, number][] = [
    ['unknown client', { ...base, client_id: 'nope' }, 404],
    ['missing client_id', { redirect_uri: REDIRECT, response_type: 'code', scope: 'openid' }, 400],
    ['unregistered redirect_uri', { ...base, redirect_uri: 'https://evil.example.com/cb' }, 400],
    ['redirect_uri differing by a trailing slash', { ...base, redirect_uri: `${REDIRECT}/` }, 400],
    ['missing redirect_uri', { client_id: 'app', response_type: 'code', scope: 'openid' }, 400],
    ['repeated client_id', `${new URLSearchParams(base)}&client_id=app`, 400],
    ['oversized state', { ...base, state: 'x'.repeat(5000) }, 400],
    ['loopback redirect with another path for a native client', { ...base, client_id: 'native', redirect_uri: 'http://127.0.0.1:7777/other' }, 400],
  ];
  for (const [name, q, status] of pageCases) {
    test(`${name}: error page ${status}, no redirect`, async () => {
      const r = await get('/auth', q);
      assert.equal(r.status, status);
      assert.equal(r.headers.get('location'), null);
      const html = await r.text();
      assert.match(html, /<html/i);
      assert.doesNotMatch(html, /at .*\.(ts|js):\d+/, 'no stack trace');
    });
  }

  const redirectCases: [string, Record<string, string>, string][] = [
    ['missing openid scope', { ...base, scope: 'email' }, 'invalid_scope'],
    ['unknown scope', { ...base, scope: 'openid admin' }, 'invalid_scope'],
    ['untrusted cross-client audience', { ...base, scope: 'openid audience:server:client_id:stranger' }, 'invalid_scope'],
    ['missing response_type', { ...base, response_type: '' }, 'invalid_request'],
    ['unknown response_type', { ...base, response_type: 'code magic' }, 'invalid_request'],
    ['token alone', { ...base, response_type: 'token', nonce: 'n' }, 'invalid_request'],
    ['id_token without nonce', { ...base, response_type: 'id_token' }, 'invalid_request'],
    ['request object', { ...base, request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
    ['unsupported PKCE method', { ...base, code_challenge: 'a'.repeat(43), code_challenge_method: 'S512' }, 'invalid_request'],
    ['malformed PKCE challenge', { ...base, code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
    ['unknown prompt', { ...base, prompt: 'sometimes' }, 'invalid_request'],
    ['prompt none combined', { ...base, prompt: 'none login' }, 'invalid_request'],
    ['prompt none without a session', { ...base, prompt: 'none' }, 'login_required'],
    ['negative max_age', { ...base, max_age: '-1' }, 'invalid_request'],
    ['bad id_token_hint', { ...base, id_token_hint: 'not.a.jwt' }, 'invalid_request'],
    ['unknown connector_id', { ...base, connector_id: 'ghost' }, 'invalid_request'],
  ];
  for (const [name, q, error] of redirectCases) {
    test(`${name}: redirected with ${error}`, async () => {
      const r = await get('/auth', q);
      assert.equal(r.status, 303);
      const loc = new URL(r.headers.get('location') ?? '');
      const params = loc.hash ? new URLSearchParams(loc.hash.slice(1)) : loc.searchParams;
      assert.equal(loc.origin + loc.pathname, REDIRECT);
      assert.equal(params.get('error'), error);
      assert.ok(params.get('error_description'));
      assert.equal(params.get('state'), 'st-1');
    });
  }

  test('trusted cross-client audience and a loopback port for a native client are accepted', async () => {
    const r1 = await get('/auth', { ...base, scope: 'openid audience:server:client_id:peer' });
    assert.equal(r1.status, 302);
    const form = await fetch(new URL(r1.headers.get('location') ?? '', f.issuer));
    assert.equal(form.status, 200);
    assert.match(await form.text(), /type="password"/);
    const r2 = await get('/auth', { ...base, client_id: 'native', redirect_uri: 'http://127.0.0.1:49152/callback', ...S256 });
    assert.equal(r2.status, 302);
  });

  test('attack: a public client without PKCE, or with plain (explicit or by default), is refused at /auth (issue 12 item 7)', async () => {
    const native = { ...base, client_id: 'native', redirect_uri: 'http://127.0.0.1:49152/callback' };
    for (const q of [native, { ...native, code_challenge: 'a'.repeat(43) }, { ...native, code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }]) {
      const r = await get('/auth', q);
      assert.equal(r.status, 303);
      const loc = new URL(r.headers.get('location') ?? '');
      assert.equal(loc.searchParams.get('error'), 'invalid_request');
      assert.match(loc.searchParams.get('error_description') ?? '', /S256/);
    }
  });

  test("a single password connector: /auth and /auth/{id} redirect to dex's form path, which posts to itself", async () => {
    for (const path of ['/auth', '/auth/mock']) {
      const r = await get(path, base);
      assert.equal(r.status, 302, path);
      const loc = new URL(r.headers.get('location') ?? '', f.issuer);
      assert.equal(loc.pathname, '/dex/auth/mock/login', path);
      assert.equal(loc.searchParams.get('client_id'), 'app');
      const page = await fetch(loc);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /type="password"/);
      assert.equal(readForm({ url: loc.href, status: 200, html, headers: page.headers }).action, loc.href, 'the form posts to its own URL');
    }
  });
});

describe('login steps', () => {
  async function startLogin(ua: UserAgent) {
    const page = await ua.browse(`${f.issuer}/auth?${new URLSearchParams(base)}`);
    assert.equal(page.status, 200);
    assert.match(page.html, /type="password"/);
    return page;
  }

  test('wrong password re-renders the form with 401; right one reaches approval; approve issues a code', async () => {
    const ua = new UserAgent(f.issuer);
    const form = await startLogin(ua);
    const bad = await ua.submit(readForm(form), { login: 'kilgore', password: 'wrong' });
    assert.equal(bad.status, 401);
    assert.match(bad.html, /Invalid/);
    const approval = await ua.submit(readForm(bad), { login: 'kilgore', password: 'trout' });
    assert.equal(approval.status, 200);
    assert.match(approval.html, /App/);
    const done = await ua.submit(readForm(approval), { approval: 'approve' });
    assert.equal(done.redirect?.origin + (done.redirect?.pathname ?? ''), REDIRECT);
    assert.ok(done.redirect?.searchParams.get('code'));
    assert.equal(done.redirect?.searchParams.get('state'), 'st-1');
    const again = await ua.submit(readForm(approval), { approval: 'approve' });
    assert.equal(again.status, 400, 'an approval cannot be replayed');
  });

  test('denying consent redirects access_denied', async () => {
    const ua = new UserAgent(f.issuer);
    const approval = await ua.submit(readForm(await startLogin(ua)), { login: 'kilgore', password: 'trout' });
    const done = await ua.submit(readForm(approval), { approval: 'rejected' });
    assert.equal(done.redirect?.searchParams.get('error'), 'access_denied');
  });

  test('another browser cannot use the login form or the approval link', async () => {
    const victim = new UserAgent(f.issuer);
    const attacker = new UserAgent(f.issuer);
    const form = await startLogin(attacker);
    const stolen = await victim.submit(readForm(form), { login: 'kilgore', password: 'trout' });
    assert.equal(stolen.status, 403, 'the password form is bound to the starting browser');
    const approval = await attacker.submit(readForm(form), { login: 'kilgore', password: 'trout' });
    const viaVictim = await victim.browse(approval.url);
    assert.equal(viaVictim.status, 403, 'the approval link is bound to the starting browser');
    const post = await victim.submit(readForm(approval), { approval: 'approve' });
    assert.equal(post.status, 403);
    assert.equal(post.redirect, undefined);
  });

  test('a wrong CSRF token is refused; a token minted for another browser is refused', async () => {
    const ua = new UserAgent(f.issuer);
    const form = readForm(await startLogin(ua));
    const r = await ua.submit({ ...form, fields: { ...form.fields, csrf_token: 'AAAA' } }, { login: 'kilgore', password: 'trout' });
    assert.equal(r.status, 403);
    const other = new UserAgent(f.issuer);
    const theirs = readForm(await startLogin(other));
    const swapped = await ua.submit({ ...form, fields: { ...form.fields, csrf_token: theirs.fields.csrf_token ?? '' } }, { login: 'kilgore', password: 'trout' });
    assert.equal(swapped.status, 403);
  });

  test('a tampered approval hmac is refused', async () => {
    const ua = new UserAgent(f.issuer);
    const approval = await ua.submit(readForm(await startLogin(ua)), { login: 'kilgore', password: 'trout' });
    const url = new URL(approval.url);
    url.searchParams.set('hmac', 'AAAA');
    const r = await ua.browse(url.href);
    assert.equal(r.status, 400);
  });

  test('unknown state on the password form and callback is a 400 page, not a 5xx', async () => {
    for (const path of ['/auth/mock/login?state=nope', '/callback?state=nope', '/approval?req=nope&hmac=x']) {
      const r = await fetch(`${f.issuer}${path}`, { redirect: 'manual' });
      assert.equal(r.status, 400, path);
    }
  });
});
