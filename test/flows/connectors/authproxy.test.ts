/**
 * Logins through Ferry with the `authproxy` connector, where the test plays the authenticating reverse proxy:
 * it follows Ferry's redirect to `/callback/<connector id>` and adds the identity headers there. Groups come from
 * the header and `staticGroups`; the bare `/callback` refuses an authproxy login whatever its header names, and a callback without the
 * user header fails without showing why.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { UserAgent } from '../../helpers/user-agent.js';

const REDIRECT = 'http://127.0.0.1:5555/callback';

const yaml = (issuer: string, listen: string) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
oauth2:
  skipApprovalScreen: true
connectors:
- type: authproxy
  id: proxy
  name: Corporate SSO
  config:
    staticGroups: [employees]
- type: authproxy
  id: custom
  name: Custom headers
  config:
    userHeader: X-Forwarded-User
    emailHeader: X-Forwarded-Email
    groupHeader: X-Forwarded-Groups
    groupHeaderSeparator: ";"
staticClients:
- id: public-app
  name: Public App
  public: true
  redirectURIs: ['${REDIRECT}']
`;

let f: TestFerry;
let oidc: client.Configuration;
before(async () => {
  f = await startTestFerry(yaml);
  oidc = await client.discovery(new URL(f.issuer), 'public-app', undefined, client.None(), { execute: [client.allowInsecureRequests] });
});
after(() => f?.stop());

interface Started {
  ua: UserAgent;
  /** Where Ferry sent the browser: the URL the proxy protects. */
  loginURL: URL;
  finish(callback: URL): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers>;
}

/** Starts a login at /auth/<connector> and follows Ferry's redirects up to the connector's login URL. */
async function start(connector: string, scope: string): Promise<Started> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authUrl = client.buildAuthorizationUrl(oidc, {
    redirect_uri: REDIRECT,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const ua = new UserAgent(f.issuer);
  const r = await ua.request(`${f.issuer}/auth/${connector}${authUrl.search}`);
  assert.ok(r.status >= 300 && r.status < 400, `a redirect from /auth/${connector}, got ${r.status}`);
  const loginURL = new URL(r.headers.get('location') ?? '', f.issuer);
  const finish = (callback: URL) => client.authorizationCodeGrant(oidc, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  return { ua, loginURL, finish };
}

describe('authproxy through /auth', () => {
  test('the login URL is <issuer>/callback/<connector id>?state=…', async () => {
    const { loginURL } = await start('proxy', 'openid');
    assert.equal(loginURL.origin + loginURL.pathname, `${f.issuer}/callback/proxy`);
    assert.ok(loginURL.searchParams.get('state'), 'carries the auth request id');
  });

  test('the proxy adds the headers: claims and groups (header, then staticGroups) reach the ID token', async () => {
    const s = await start('proxy', 'openid email profile groups');
    const page = await s.ua.browse(s.loginURL.href, {
      headers: { 'X-Remote-User': 'jane', 'X-Remote-User-Id': 'u-1001', 'X-Remote-User-Email': 'jane@example.org', 'X-Remote-User-Name': 'jdoe', 'X-Remote-Group': 'admins, developers' },
    });
    assert.ok(page.redirect, `redirected to the client (got ${page.status})`);
    const claims = (await s.finish(page.redirect)).claims();
    assert.equal(claims?.sub, encodeSubject('u-1001', 'proxy'));
    assert.equal(claims?.email, 'jane@example.org');
    assert.equal(claims?.email_verified, true);
    assert.equal(claims?.name, 'jane');
    assert.equal(claims?.preferred_username, 'jdoe');
    assert.deepEqual(claims?.groups, ['admins', 'developers', 'employees']);
  });

  test('only the user header: it is the id and email; without the groups scope no groups claim', async () => {
    const s = await start('proxy', 'openid email');
    const page = await s.ua.browse(s.loginURL.href, { headers: { 'X-Remote-User': 'bob', 'X-Remote-Group': 'admins' } });
    assert.ok(page.redirect);
    const claims = (await s.finish(page.redirect)).claims();
    assert.equal(claims?.sub, encodeSubject('bob', 'proxy'));
    assert.equal(claims?.email, 'bob');
    assert.equal(claims?.groups, undefined);
  });

  test('custom header names and separator', async () => {
    const s = await start('custom', 'openid email groups');
    const page = await s.ua.browse(s.loginURL.href, { headers: { 'X-Forwarded-User': 'carol', 'X-Forwarded-Email': 'carol@example.org', 'X-Forwarded-Groups': 'ops;sre' } });
    assert.ok(page.redirect);
    const claims = (await s.finish(page.redirect)).claims();
    assert.equal(claims?.email, 'carol@example.org');
    assert.deepEqual(claims?.groups, ['ops', 'sre']);
  });

  test('the bare /callback refuses an authproxy login (X-Remote-* headers): no code, no details', async () => {
    const s = await start('proxy', 'openid email');
    const bare = new URL(`${f.issuer}/callback`);
    bare.search = s.loginURL.search;
    const page = await s.ua.browse(bare.href, { headers: { 'X-Remote-User': 'mallory', 'X-Remote-User-Email': 'admin@example.org' } });
    assert.equal(page.redirect, undefined, 'no code for the client');
    assert.equal(page.status, 400);
    assert.doesNotMatch(page.html, /X-Remote-User|HTTP header|is not set/i, 'the upstream detail stays in the logs');
  });

  test('attack: a custom userHeader sent to the bare /callback does not log in as anyone (issue 12 item 3)', async () => {
    const s = await start('custom', 'openid email');
    const bare = new URL(`${f.issuer}/callback`);
    bare.search = s.loginURL.search;
    const page = await s.ua.browse(bare.href, { headers: { 'X-Forwarded-User': 'admin', 'X-Forwarded-Email': 'admin@example.org' } });
    assert.equal(page.redirect, undefined, 'no code for the client');
    assert.equal(page.status, 400);
    const ok = await s.ua.browse(s.loginURL.href, { headers: { 'X-Forwarded-User': 'carol' } });
    assert.ok(ok.redirect, 'the same auth request still completes on /callback/custom');
    assert.equal((await s.finish(ok.redirect)).claims()?.sub, encodeSubject('carol', 'custom'));
  });

  test('a callback without the user header fails (401), and a later proxied callback still works', async () => {
    const s = await start('proxy', 'openid email');
    const missing = await s.ua.browse(s.loginURL.href);
    assert.equal(missing.redirect, undefined);
    assert.equal(missing.status, 401);
    const ok = await s.ua.browse(s.loginURL.href, { headers: { 'X-Remote-User': 'dave' } });
    assert.ok(ok.redirect, 'the auth request is still usable');
    assert.equal((await s.finish(ok.redirect)).claims()?.sub, encodeSubject('dave', 'proxy'));
  });

  test('the callback of one connector cannot finish another connector\'s login', async () => {
    const s = await start('proxy', 'openid');
    const other = new URL(`${f.issuer}/callback/custom`);
    other.search = s.loginURL.search;
    const page = await s.ua.browse(other.href, { headers: { 'X-Forwarded-User': 'eve' } });
    assert.equal(page.redirect, undefined);
    assert.equal(page.status, 400);
  });
});
