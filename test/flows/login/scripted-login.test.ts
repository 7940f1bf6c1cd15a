/**
 * Scripted logins exactly as Kubeflow's Pipelines SDK and CI scripts do them against dex (issue 10 item 2): an
 * HTTP session with a cookie jar follows redirects from `/auth`; on the connector list it swaps `/auth` for
 * `/auth/local` (several connectors) or lands on the form directly (one connector); it GETs until the path ends in
 * `/auth/<id>/login`, POSTs only `login` and `password` there, and follows redirects to the code.
 * And the login CSRF attempts against the same URL: a cross-site POST (Fetch Metadata or a foreign Origin) or a
 * POST without the flow's cookie logs nobody in.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { ADMIN, loginConfig, REDIRECT } from './login.config.js';

/** A `requests.Session`: a cookie jar, redirects followed (POST→GET on 302/303), stops when leaving Ferry. */
class Session {
  readonly jar = new Map<string, string>();
  private readonly origin: string;
  constructor(origin: string) {
    this.origin = origin;
  }

  async go(url: string, init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> } = {}) {
    let next = url;
    let method = init.method ?? 'GET';
    let body: URLSearchParams | undefined = init.body;
    const history: string[] = [];
    for (let i = 0; i < 15; i++) {
      if (new URL(next).origin !== this.origin) return { url: next, status: 0, text: '', history };
      const headers: Record<string, string> = { ...init.headers };
      if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const r = await fetch(next, { method, body, headers, redirect: 'manual' });
      for (const c of r.headers.getSetCookie()) {
        const kv = c.split(';')[0] ?? '';
        this.jar.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1));
      }
      const loc = r.headers.get('location');
      if (r.status >= 300 && r.status < 400 && loc) {
        history.push(next);
        next = new URL(loc, next).href;
        if (r.status !== 307 && r.status !== 308) [method, body] = ['GET', undefined];
        continue;
      }
      return { url: next, status: r.status, text: await r.text(), history };
    }
    throw new Error('too many redirects');
  }
}

// A public client: Ferry requires S256 PKCE for it (oauth2.pkce.requireS256ForPublicClients); the verifier is RFC 7636's
// appendix B example.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const authURL = (issuer: string) =>
  `${issuer}/auth?${new URLSearchParams({
    client_id: 'public-app',
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid email',
    state: 'kf-1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
  })}`;

/** The Kubeflow SDK's steps, line by line. Returns the final URL (the client's redirect URI with the code). */
async function kubeflowLogin(issuer: string, s: Session, creds = { login: ADMIN.email, password: ADMIN.password }) {
  let resp = await s.go(authURL(issuer));
  assert.equal(resp.status, 200);
  const url = new URL(resp.url);
  if (/\/auth$/.test(url.pathname)) url.pathname = url.pathname.replace(/\/auth$/, '/auth/local');
  let loginURL = url.href;
  if (!/\/auth\/.*\/login$/.test(url.pathname)) {
    resp = await s.go(url.href);
    assert.equal(resp.status, 200);
    loginURL = resp.url;
  }
  assert.match(new URL(loginURL).pathname, /\/dex\/auth\/local\/login$/);
  resp = await s.go(loginURL, { method: 'POST', body: new URLSearchParams(creds) });
  assert.ok(resp.history.length > 0, `the POST was answered with a redirect (status ${resp.status})`);
  return resp;
}

function withConnectors(several: boolean) {
  return async () => {
    const base = await loginConfig();
    return (issuer: string, listen: string) => {
      const yaml = base(issuer, listen).replace(/connectors:\n- type: mockCallback\n {2}id: mock\n {2}name: Example\n/, several ? '$&' : '');
      return `${yaml}oauth2:\n  skipApprovalScreen: true\n`;
    };
  };
}

for (const several of [false, true]) {
  describe(`scripted login, ${several ? 'several connectors' : 'one connector'}`, () => {
    let f: TestFerry;
    before(async () => {
      f = await startTestFerry(await withConnectors(several)());
    });
    after(() => f.stop());

    test('the Kubeflow SDK shape reaches the client with a code', async () => {
      const s = new Session(new URL(f.issuer).origin);
      const first = await s.go(authURL(f.issuer));
      assert.equal(new URL(first.url).pathname, several ? '/dex/auth' : '/dex/auth/local/login', 'where the first GET lands');
      const done = await kubeflowLogin(f.issuer, s);
      const back = new URL(done.url);
      assert.equal(back.origin + back.pathname, REDIRECT);
      assert.match(back.searchParams.get('code') ?? '', /^[a-z0-9]{20,}$/);
      assert.equal(back.searchParams.get('state'), 'kf-1');
      const token = await fetch(`${f.issuer}/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', client_id: 'public-app', redirect_uri: REDIRECT, code_verifier: VERIFIER }),
      });
      assert.equal(token.status, 200, 'the code redeems');
    });

    test('a wrong password re-renders the form (401) at the same URL, and no code is issued', async () => {
      const s = new Session(new URL(f.issuer).origin);
      await assert.rejects(kubeflowLogin(f.issuer, s, { login: ADMIN.email, password: 'nope' }), /answered with a redirect \(status 401\)/);
    });
  });
}

describe('login CSRF through the password form stays impossible', () => {
  let f: TestFerry;
  before(async () => {
    f = await startTestFerry(await withConnectors(false)());
  });
  after(() => f.stop());

  /** A victim's session that has opened the form (so it holds the flow cookie), and the form's URL. */
  async function victimAtForm() {
    const s = new Session(new URL(f.issuer).origin);
    const page = await s.go(authURL(f.issuer));
    assert.match(new URL(page.url).pathname, /\/auth\/local\/login$/);
    return { s, loginURL: page.url };
  }

  const attempts: [string, Record<string, string>][] = [
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a foreign Origin on the same host, another port', { origin: 'http://127.0.0.1:1' }],
  ];
  for (const [name, headers] of attempts) {
    test(`${name}: 403, nobody logged in`, async () => {
      const { s, loginURL } = await victimAtForm();
      const r = await s.go(loginURL, { method: 'POST', body: new URLSearchParams({ login: ADMIN.email, password: ADMIN.password }), headers });
      assert.equal(r.status, 403);
      assert.equal(r.history.length, 0, 'no redirect towards a code');
    });
  }

  test('a POST without the flow cookie (a cross-site form: SameSite=Lax keeps it home): 403', async () => {
    const { loginURL } = await victimAtForm();
    const r = await new Session(new URL(f.issuer).origin).go(loginURL, { method: 'POST', body: new URLSearchParams({ login: ADMIN.email, password: ADMIN.password }) });
    assert.equal(r.status, 403);
    assert.equal(r.history.length, 0);
  });

  test('same-origin browser posts (Sec-Fetch-Site same-origin, Origin of the issuer) are accepted', async () => {
    const { s, loginURL } = await victimAtForm();
    const headers = { 'sec-fetch-site': 'same-origin', origin: new URL(f.issuer).origin };
    const r = await s.go(loginURL, { method: 'POST', body: new URLSearchParams({ login: ADMIN.email, password: ADMIN.password }), headers });
    assert.equal(new URL(r.url).origin + new URL(r.url).pathname, REDIRECT);
  });
});
