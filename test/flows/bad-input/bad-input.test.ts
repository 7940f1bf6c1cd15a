/**
 * Every endpoint under bad input (issue: "Malformed, missing, repeated or oversized parameters on every endpoint get
 * the right OAuth2/OIDC error and status, never a 5xx"). A table of hostile requests per endpoint, each sent as raw
 * bytes with `node:http` (so a path like `/theme/../../etc/passwd` reaches Ferry unnormalised, as an attacker would
 * send it), and each with its exact answer: the status, and the OAuth2 error JSON, the error page's message, or the
 * plain 404 body. Every answer must also be free of stack traces and of files from outside the web root.
 */

import assert from 'node:assert/strict';
import { request } from 'node:http';
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
/** Enough `..` to climb from any directory of the web root to `/`. */
const UP = '../'.repeat(12);

/** What the answer must be: OAuth2 error JSON, an HTML error page with this message, or a plain body. */
type Expect =
  | { status: number; error: string; description: string }
  | { status: number; page: string }
  | { status: number; text: string };

interface Case {
  name: string;
  /** Sent byte for byte after the issuer path. */
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  expect: Expect;
}

const NOT_FOUND: Expect = { status: 404, text: '404 page not found\n' };
const EXPIRED = 'This login session has expired or is invalid. Please go back to the application and sign in again.';
const MALFORMED = 'The request is malformed or too large.';
const invalidRequest = (description: string): Expect => ({ status: 400, error: 'invalid_request', description });

const cases: Case[] = [
  // token endpoint
  { name: 'token: empty body', path: '/token', method: 'POST', headers: { 'content-type': form }, body: '', expect: invalidRequest('Required param: grant_type.') },
  { name: 'token: JSON body', path: '/token', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"authorization_code"}', expect: invalidRequest('The request body must be application/x-www-form-urlencoded.') },
  { name: 'token: broken JSON body', path: '/token', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":', expect: invalidRequest('The request body could not be parsed.') },
  { name: 'token: XML body', path: '/token', method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>', expect: invalidRequest('The request body could not be parsed.') },
  { name: 'token: repeated grant_type', path: '/token', method: 'POST', headers: { 'content-type': form, authorization: basic }, body: 'grant_type=refresh_token&grant_type=authorization_code', expect: invalidRequest('Parameter grant_type must not be repeated.') },
  { name: 'token: oversized parameter', path: '/token', method: 'POST', headers: { 'content-type': form, authorization: basic }, body: `grant_type=authorization_code&code=${BIG}`, expect: { status: 400, error: 'invalid_grant', description: 'Invalid or expired code parameter.' } },
  { name: 'token: body over the limit', path: '/token', method: 'POST', headers: { 'content-type': form }, body: `a=${'y'.repeat(1_200_000)}`, expect: invalidRequest('The request body could not be parsed.') },
  { name: 'token: malformed Basic header', path: '/token', method: 'POST', headers: { 'content-type': form, authorization: 'Basic %%%' }, body: 'grant_type=authorization_code&code=x', expect: { status: 401, error: 'invalid_client', description: 'Invalid client credentials.' } },
  { name: 'token: refresh token garbage', path: '/token', method: 'POST', headers: { 'content-type': form, authorization: basic }, body: `grant_type=refresh_token&refresh_token=${'%00'.repeat(50)}`, expect: invalidRequest('Refresh token is invalid or has already been claimed by another client.') },
  { name: 'token: GET', path: '/token?grant_type=authorization_code', expect: invalidRequest('method not allowed') },
  // userinfo
  { name: 'userinfo: no token', path: '/userinfo', expect: { status: 401, error: 'invalid_request', description: 'No bearer token provided.' } },
  { name: 'userinfo: garbage token', path: '/userinfo', headers: { authorization: 'Bearer abc.def.ghi' }, expect: { status: 401, error: 'invalid_token', description: 'The access token is invalid or expired.' } },
  { name: 'userinfo: unsigned JWT', path: '/userinfo', headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }, expect: { status: 401, error: 'invalid_token', description: 'The access token is invalid or expired.' } },
  { name: 'userinfo: oversized header', path: '/userinfo', headers: { authorization: `Bearer ${'a'.repeat(12_000)}` }, expect: { status: 401, error: 'invalid_token', description: 'The access token is invalid or expired.' } },
  { name: 'userinfo: form token repeated', path: '/userinfo', method: 'POST', headers: { 'content-type': form }, body: 'access_token=a&access_token=b', expect: invalidRequest('Malformed access_token parameter.') },
  // browser flow
  { name: 'auth: no parameters', path: '/auth', expect: { status: 400, page: 'No client_id provided.' } },
  { name: 'auth: oversized query', path: `/auth?client_id=app&state=${'s'.repeat(6000)}`, expect: { status: 400, page: 'Parameter state is too long.' } },
  { name: 'auth: percent garbage', path: '/auth?client_id=%E0%A4%A&redirect_uri=%', expect: { status: 404, page: 'Invalid client_id.' } },
  { name: 'auth: POST with garbage form', path: '/auth', method: 'POST', headers: { 'content-type': form }, body: '%%%=%%%', expect: { status: 400, page: 'No client_id provided.' } },
  { name: 'connector: unknown, no redirect_uri', path: '/auth/nope?client_id=app', expect: { status: 400, page: 'Unregistered redirect_uri.' } },
  { name: 'connector: name over the router limit', path: `/auth/${'c'.repeat(300)}`, expect: { status: 414, page: MALFORMED } },
  { name: 'login form: no request', path: '/auth/pw/login', expect: { status: 400, page: 'No client_id provided.' } },
  { name: 'login form: POST without request', path: '/auth/pw/login', method: 'POST', headers: { 'content-type': form }, body: 'login=a&password=b', expect: { status: 400, page: 'No client_id provided.' } },
  { name: 'callback: no state', path: '/callback', expect: { status: 400, page: EXPIRED } },
  { name: 'callback: repeated state', path: '/callback?state=a&state=b', expect: { status: 400, page: 'Parameter state must not be repeated.' } },
  { name: 'callback: SAML POST without relay state', path: '/callback', method: 'POST', headers: { 'content-type': form }, body: 'SAMLResponse=abc', expect: { status: 400, page: EXPIRED } },
  { name: 'callback: oversized SAMLResponse', path: '/callback', method: 'POST', headers: { 'content-type': form }, body: `RelayState=x&SAMLResponse=${'A'.repeat(600_000)}`, expect: { status: 400, page: EXPIRED } },
  { name: 'approval: no request', path: '/approval', expect: { status: 400, page: EXPIRED } },
  { name: 'approval: POST garbage', path: '/approval', method: 'POST', headers: { 'content-type': form }, body: 'req=a&hmac=b&approval=approve', expect: { status: 400, page: EXPIRED } },
  { name: 'approval: JSON body', path: '/approval', method: 'POST', headers: { 'content-type': 'application/json' }, body: '[', expect: { status: 400, page: MALFORMED } },
  // static files: the traversals arrive unnormalised (the controls in the next describe prove the prefixes serve)
  { name: 'static: raw ../ traversal to package.json', path: '/static/../../package.json', expect: { status: 403, page: MALFORMED } },
  { name: 'static: encoded ..%2f traversal', path: '/static/..%2f..%2fpackage.json', expect: NOT_FOUND },
  { name: 'theme: raw ../ traversal to /etc/passwd', path: `/theme/${UP}etc/passwd`, expect: { status: 403, page: MALFORMED } },
  { name: 'theme: encoded ..%2f traversal to /etc/passwd', path: `/theme/${UP.replaceAll('/', '%2f')}etc%2fpasswd`, expect: NOT_FOUND },
  { name: 'theme: encoded backslash traversal', path: `/theme/${UP.replaceAll('/', '%5c')}etc%5cpasswd`, expect: { status: 403, page: MALFORMED } },
  { name: 'unknown path', path: '/nope', expect: NOT_FOUND },
];

interface Answer {
  status: number;
  type: string;
  location: string | undefined;
  body: string;
}

/** One request exactly as given: `node:http` sends `path` without resolving `.` or `..`. */
function raw(c: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const url = new URL(f.issuer);
  const length = c.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(c.body)) };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: c.method ?? 'GET', path: `${url.pathname}${c.path}`, headers: { ...c.headers, ...length } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', location: res.headers.location, body }));
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}

/** The message of Ferry's error page (the alert inside `<main>`). */
const pageMessage = (html: string): string | undefined => /role="alert">\s*<p>([^<]*)<\/p>/.exec(html)?.[1];

describe('bad input on every endpoint: the exact answer', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const r = await raw(c);
      const e = c.expect;
      assert.equal(r.status, e.status, `status (body: ${r.body.slice(0, 200)})`);
      assert.equal(r.location, undefined, 'no redirect');
      if ('error' in e) {
        assert.match(r.type, /^application\/json/);
        assert.deepEqual(JSON.parse(r.body), { error: e.error, error_description: e.description });
      } else if ('page' in e) {
        assert.match(r.type, /^text\/html/);
        assert.equal(pageMessage(r.body), e.page);
      } else {
        assert.equal(r.body, e.text);
      }
      assert.doesNotMatch(r.body, /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|FST_ERR|SqliteError|TypeError|ReferenceError/, 'no stack trace or internals');
      assert.doesNotMatch(r.body, /root:x:0:0|"name": "ferry"/, 'no file served from outside the web root');
    });
  }
});

describe('the traversal cases aim at prefixes that do serve files', () => {
  test('/static/main.css and /theme/styles.css are served, so a 403/404 above is the traversal being refused', async () => {
    for (const path of ['/static/main.css', '/theme/styles.css']) {
      const r = await raw({ path });
      assert.equal(r.status, 200, path);
      assert.match(r.type, /^text\/css/, path);
    }
  });
});
