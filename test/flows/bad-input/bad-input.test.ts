/**
 * Every endpoint under bad input (issue: "Malformed, missing, repeated or oversized parameters on every endpoint get
 * the right OAuth2/OIDC error and status, never a 5xx"). A table of hostile requests per endpoint; each answer must
 * be a 4xx (or a redirect to a verified URI), carry no stack trace or internal detail, and JSON endpoints must
 * answer OAuth2 error JSON.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';

let f: TestFerry;
before(async () => {
  f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
connectors:
- { type: mockPassword, id: pw, name: Password, config: { username: kilgore, password: trout } }
- { type: mockCallback, id: cb, name: Callback }
staticClients:
- { id: app, secret: s3cret, name: App, redirectURIs: ['https://app.example.com/cb'] }
`);
});
after(() => f.stop());

const BIG = 'x'.repeat(200_000);
const form = 'application/x-www-form-urlencoded';
const basic = `Basic ${Buffer.from('app:s3cret').toString('base64')}`;

interface Case {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** JSON endpoints answer `{error}` JSON. */
  json?: boolean;
}

const cases: Case[] = [
  // token endpoint
  { name: 'token: empty body', path: '/token', method: 'POST', headers: { 'content-type': form }, body: '', json: true },
  { name: 'token: JSON body', path: '/token', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"authorization_code"}', json: true },
  { name: 'token: broken JSON body', path: '/token', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":', json: true },
  { name: 'token: XML body', path: '/token', method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>', json: true },
  { name: 'token: repeated grant_type', path: '/token', method: 'POST', headers: { 'content-type': form, authorization: basic }, body: 'grant_type=refresh_token&grant_type=authorization_code', json: true },
  { name: 'token: oversized parameter', path: '/token', method: 'POST', headers: { 'content-type': form, authorization: basic }, body: `grant_type=authorization_code&code=${BIG}`, json: true },
  { name: 'token: body over the limit', path: '/token', method: 'POST', headers: { 'content-type': form }, body: `a=${'y'.repeat(1_200_000)}`, json: true },
  { name: 'token: malformed Basic header', path: '/token', method: 'POST', headers: { 'content-type': form, authorization: 'Basic %%%' }, body: 'grant_type=authorization_code&code=x', json: true },
  { name: 'token: refresh token garbage', path: '/token', method: 'POST', headers: { 'content-type': form, authorization: basic }, body: `grant_type=refresh_token&refresh_token=${'%00'.repeat(50)}`, json: true },
  { name: 'token: GET', path: '/token?grant_type=authorization_code', json: true },
  // userinfo
  { name: 'userinfo: no token', path: '/userinfo', json: true },
  { name: 'userinfo: garbage token', path: '/userinfo', headers: { authorization: 'Bearer abc.def.ghi' }, json: true },
  { name: 'userinfo: unsigned JWT', path: '/userinfo', headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }, json: true },
  { name: 'userinfo: oversized header', path: '/userinfo', headers: { authorization: `Bearer ${'a'.repeat(12_000)}` }, json: true },
  { name: 'userinfo: form token repeated', path: '/userinfo', method: 'POST', headers: { 'content-type': form }, body: 'access_token=a&access_token=b', json: true },
  // browser flow
  { name: 'auth: no parameters', path: '/auth' },
  { name: 'auth: oversized query', path: `/auth?client_id=app&state=${'s'.repeat(6000)}` },
  { name: 'auth: percent garbage', path: '/auth?client_id=%E0%A4%A&redirect_uri=%' },
  { name: 'auth: POST with garbage form', path: '/auth', method: 'POST', headers: { 'content-type': form }, body: '%%%=%%%' },
  { name: 'connector: unknown', path: '/auth/nope?client_id=app' },
  { name: 'connector: very long name', path: `/auth/${'c'.repeat(300)}` },
  { name: 'login form: no request', path: '/auth/pw/login' },
  { name: 'login form: POST without request', path: '/auth/pw/login', method: 'POST', headers: { 'content-type': form }, body: 'login=a&password=b' },
  { name: 'callback: no state', path: '/callback' },
  { name: 'callback: repeated state', path: '/callback?state=a&state=b' },
  { name: 'callback: SAML POST without relay state', path: '/callback', method: 'POST', headers: { 'content-type': form }, body: 'SAMLResponse=abc' },
  { name: 'callback: oversized SAMLResponse', path: '/callback', method: 'POST', headers: { 'content-type': form }, body: `RelayState=x&SAMLResponse=${'A'.repeat(600_000)}` },
  { name: 'approval: no request', path: '/approval' },
  { name: 'approval: POST garbage', path: '/approval', method: 'POST', headers: { 'content-type': form }, body: 'req=a&hmac=b&approval=approve' },
  { name: 'approval: JSON body', path: '/approval', method: 'POST', headers: { 'content-type': 'application/json' }, body: '[' },
  // static and misc
  { name: 'static: path traversal', path: '/static/..%2f..%2fpackage.json' },
  { name: 'theme: path traversal', path: '/theme/../../../etc/passwd' },
  { name: 'unknown path', path: '/nope' },
];

describe('bad input on every endpoint', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const r = await fetch(`${f.issuer}${c.path}`, { method: c.method ?? 'GET', headers: c.headers, body: c.body, redirect: 'manual' });
      const body = await r.text();
      assert.ok(r.status >= 300 && r.status < 500, `status ${r.status}`);
      if (r.status >= 300 && r.status < 400) {
        const loc = r.headers.get('location') ?? '';
        assert.ok(loc.startsWith('/dex/') || loc.startsWith('https://app.example.com/cb'), `redirect only inside Ferry or to the verified URI: ${loc}`);
      }
      assert.doesNotMatch(body, /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|SqliteError|TypeError|ReferenceError/, 'no stack trace or internals');
      assert.doesNotMatch(body, /root:x:0:0|"name": "ferry"/, 'no file served from outside the web root');
      if (c.json) {
        const j = JSON.parse(body) as { error?: string };
        assert.equal(typeof j.error, 'string', 'OAuth2 error JSON');
      }
    });
  }
});
