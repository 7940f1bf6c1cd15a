/**
 * The browser-facing hardening of issue 12 item 8, each reproduced against a running Ferry:
 * - `__Host-` cookie names (Secure, Path=/, no Domain) when the issuer is https at the root path; plain names
 *   under an issuer path, where the prefix is impossible;
 * - `Strict-Transport-Security` when the issuer is https (none for http; the operator's own value wins);
 * - the operator's Content-Security-Policy merged with `frame-ancestors 'none'`, not replacing it;
 * - `Cache-Control: no-store` on the out-of-band code page;
 * - the password form's CSRF value keyed with a server secret: a token computed from the cookie alone (what the
 *   old unkeyed scheme accepted) is refused.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';

const yaml = (issuer: string, listen: string, headers = '') => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
${headers}
connectors:
- type: mockPassword
  id: mock
  name: Mock
  config:
    username: kilgore
    password: trout
staticClients:
- id: app
  secret: s
  name: App
  redirectURIs: ['https://app.example.com/cb']
- id: cli
  name: CLI
  public: true
`;

const authQuery = new URLSearchParams({ client_id: 'app', redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid', state: 's' });

describe('https issuer at the root path', () => {
  let f: TestFerry;
  let base = '';
  before(async () => {
    f = await startTestFerry((_issuer, listen) => {
      base = `http://${listen}`;
      return yaml('https://login.example.com', listen);
    });
  });
  after(() => f.stop());

  test('the flow cookie is __Host-ferry_flow with Secure and Path=/, and every answer carries HSTS', async () => {
    const r = await fetch(`${base}/auth?${authQuery}`, { redirect: 'manual' });
    assert.equal(r.status, 302);
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('__Host-ferry_flow='));
    assert.ok(cookie, `__Host- cookie set: ${r.headers.getSetCookie().join(' | ')}`);
    assert.match(cookie, /; Path=\/(;|$)/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; HttpOnly/);
    assert.doesNotMatch(cookie, /Domain=/i);
    assert.equal(r.headers.get('strict-transport-security'), 'max-age=31536000');
    const keys = await fetch(`${base}/keys`);
    assert.equal(keys.headers.get('strict-transport-security'), 'max-age=31536000');
  });

  test('a whole password login works with the prefixed cookie', async () => {
    const ua = new UserAgent(base);
    const form = await ua.browse(`${base}/auth?${authQuery}`);
    assert.equal(form.status, 200);
    assert.ok(ua.jar.has('__Host-ferry_flow'));
    // Sessions on: `openid` alone needs no consent, so the login goes straight back to the client with a code.
    const done = await ua.submit(readForm(form), { login: 'kilgore', password: 'trout' });
    assert.ok(done.redirect?.searchParams.get('code'), `a code for the client: ${done.status} ${done.html.slice(0, 300)}`);
    assert.ok(ua.jar.get('dex_session'), 'and a browser session');
  });
});

describe('http issuer under /dex, operator headers', () => {
  let f: TestFerry;
  before(async () => {
    f = await startTestFerry((issuer, listen) => yaml(issuer, listen, `  headers:
    Content-Security-Policy: "default-src 'self'; img-src https:"
    Strict-Transport-Security: max-age=600`));
  });
  after(() => f.stop());

  test('plain cookie name on the issuer path; no prefix is possible there', async () => {
    const r = await fetch(`${f.issuer}/auth?${authQuery}`, { redirect: 'manual' });
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('ferry_flow='));
    assert.ok(cookie);
    assert.match(cookie, /; Path=\/dex(;|$)/);
  });

  test("the operator's CSP keeps frame-ancestors 'none' on pages; their HSTS value is sent as configured", async () => {
    const r = await fetch(`${f.issuer}/auth/mock/login?${authQuery}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-security-policy'), "default-src 'self'; img-src https:; frame-ancestors 'none'");
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.equal(r.headers.get('strict-transport-security'), 'max-age=600');
  });

  test('a CSRF token computed from the cookie without the server key is refused', async () => {
    const ua = new UserAgent(f.issuer);
    const page = await ua.browse(`${f.issuer}/auth?${authQuery}`);
    const form = readForm(page);
    const cookie = ua.jar.get('ferry_flow') ?? '';
    assert.ok(cookie);
    const unkeyed = createHash('sha256').update(`password-form\0mock\0${cookie}`).digest('base64url');
    const r = await ua.submit({ ...form, fields: { ...form.fields, csrf_token: unkeyed } }, { login: 'kilgore', password: 'trout' });
    assert.equal(r.status, 403);
    const ok = await ua.submit(form, { login: 'kilgore', password: 'trout' });
    assert.ok(ok.redirect?.searchParams.get('code'), "the form's own signed token is accepted (a code: `openid` needs no consent)");
  });

  test('the out-of-band code page is Cache-Control: no-store', async () => {
    const ua = new UserAgent(f.issuer);
    const q = new URLSearchParams({
      client_id: 'cli',
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      response_type: 'code',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', // a public client needs S256 PKCE
      code_challenge_method: 'S256',
    });
    const form = await ua.browse(`${f.issuer}/auth?${q}`);
    // `openid` alone needs no consent with sessions on: the login leads straight to the out-of-band page.
    const oob = await ua.submit(readForm(form), { login: 'kilgore', password: 'trout' });
    assert.equal(oob.status, 200);
    assert.match(oob.html, /<textarea[^>]*>[a-z0-9]{20,}<\/textarea>/);
    assert.equal(oob.headers.get('cache-control'), 'no-store');
  });
});

describe('http issuer without operator headers', () => {
  let f: TestFerry;
  before(async () => {
    f = await startTestFerry((issuer, listen) => yaml(issuer, listen));
  });
  after(() => f.stop());

  test("no HSTS over http; pages get frame-ancestors 'none' alone", async () => {
    const r = await fetch(`${f.issuer}/auth/mock/login?${authQuery}`);
    assert.equal(r.headers.get('strict-transport-security'), null);
    assert.equal(r.headers.get('content-security-policy'), "frame-ancestors 'none'");
  });
});
