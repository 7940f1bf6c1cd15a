/**
 * End to end through Ferry with the `oidc` connector, configured in dex-format YAML, against the real upstream
 * (oidc-provider 9.13.3 from test/peers/oidc-upstream): a client (openid-client) logs in with a scripted browser
 * (Ferry's pages + the upstream's login and consent forms) and with headless Chromium. The groups reach the ID
 * token, `federated_claims` carry the connector id and the upstream user id, and a refresh through Ferry
 * refreshes upstream. An upstream refusal shows Ferry's generic error page, never the upstream's description.
 * Screenshots are kept under test-results/oidc-browser/.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { authRequest as buildAuthRequest, grantAccess, launchBrowser, startRelyingParty, type RelyingParty, type TestBrowser } from '../../helpers/browser.js';
import { DEX_V2_45_ENV, freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { admin, opLogin, upstreamEnv } from '../../peers/oidc-upstream/op-login.js';

const up = upstreamEnv();
const ERIN = { sub: 'erin', email: 'erin@example.org', name: 'Erin Enduser', groups: ['admins', 'developers'] };

let f: TestFerry;
let rpURL = '';
let rp: client.Configuration;

const ferryYaml = (issuer: string, listen: string) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
connectors:
- type: oidc
  id: upstream
  name: Upstream IdP
  config:
    issuer: ${up.issuer}
    clientID: ${up.clientID}
    clientSecret: ${up.clientSecret}
    redirectURI: ${issuer}/callback
    scopes: [profile, email, groups, offline_access]
    insecureEnableGroups: true
    getUserInfo: true
staticClients:
- id: rp
  name: Relying Party
  secret: rp-secret
  redirectURIs: ['${rpURL}']
`;

before(async () => {
  rpURL = `http://127.0.0.1:${await freePort()}/callback`;
  // dex v2.45.1's flow: each login ends on Ferry's approval page (with sessions, consent would be remembered).
  f = await startTestFerry(ferryYaml, { env: DEX_V2_45_ENV });
  rp = await client.discovery(new URL(f.issuer), 'rp', 'rp-secret', client.ClientSecretBasic('rp-secret'), { execute: [client.allowInsecureRequests] });
});
after(() => f?.stop());

const authRequest = (scope: string) => buildAuthRequest(rp, rpURL, scope);

function assertErin(claims: client.IDToken | undefined) {
  assert.ok(claims);
  assert.equal(claims.sub, encodeSubject(ERIN.sub, 'upstream'), 'dex’s sub encoding of (upstream user id, connector id)');
  assert.equal(claims.email, ERIN.email);
  assert.equal(claims.email_verified, true);
  assert.equal(claims.name, ERIN.name);
  assert.deepEqual(claims.groups, ERIN.groups);
  assert.deepEqual(claims.federated_claims, { connector_id: 'upstream', user_id: ERIN.sub });
}

describe('scripted browser', () => {
  test('login through Ferry and the upstream; groups and federated claims in the ID token; refresh goes upstream', async () => {
    const { url, checks } = await authRequest('openid email profile groups federated:id offline_access');
    const ua = new UserAgent(f.issuer);
    const toUpstream = await ua.browse(url.href);
    assert.ok(toUpstream.redirect, 'the only connector sends the browser straight upstream');
    assert.equal(toUpstream.redirect.origin, up.issuer);
    assert.equal(toUpstream.redirect.searchParams.get('redirect_uri'), `${f.issuer}/callback`);
    const back = await opLogin(toUpstream.redirect.href, ERIN.sub);
    assert.equal(back.origin + back.pathname, `${f.issuer}/callback`);
    let page = await ua.browse(back.href);
    assert.equal(page.status, 200, 'approval page');
    assert.match(page.html, /Relying Party/);
    page = await ua.submit(readForm(page), { approval: 'approve' });
    assert.ok(page.redirect && page.redirect.href.startsWith(rpURL), 'redirected to the client');
    const tokens = await client.authorizationCodeGrant(rp, page.redirect, checks);
    assertErin(tokens.claims());
    assert.ok(tokens.refresh_token, 'a Ferry refresh token (the connector can refresh)');

    await admin.setGroups(ERIN.sub, ['admins']);
    try {
      const refreshed = await client.refreshTokenGrant(rp, tokens.refresh_token);
      assert.deepEqual(refreshed.claims()?.groups, ['admins'], 'Ferry refreshed the identity upstream');
    } finally {
      await admin.setGroups(ERIN.sub, ERIN.groups);
    }
  });

  test('an upstream refusal (the user aborts) ends on Ferry’s error page without the upstream’s words', async () => {
    const { url } = await authRequest('openid email');
    const ua = new UserAgent(f.issuer);
    const toUpstream = await ua.browse(url.href);
    assert.ok(toUpstream.redirect);
    const back = await opLogin(toUpstream.redirect.href, ERIN.sub, { abort: true });
    assert.equal(back.searchParams.get('error'), 'access_denied');
    const page = await ua.browse(back.href);
    assert.equal(page.status, 403, "the user's own refusal is a 4xx, never a 5xx that pages someone");
    assert.doesNotMatch(page.html, /aborted|End-User/i);
  });
});

describe('headless Chromium', () => {
  let server: RelyingParty;
  let browser: TestBrowser;

  before(async () => {
    browser = await launchBrowser('oidc-browser');
    server = await startRelyingParty(rp, Number(new URL(rpURL).port));
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('a real browser logs in through Ferry and the upstream provider', async () => {
    const { url } = await server.authorize('openid email profile groups federated:id');
    const page = await browser.page();
    await page.goto(url.href);
    await page.waitForURL((u) => u.origin === up.issuer);
    await page.fill('input[name=login]', ERIN.sub);
    await page.fill('input[name=password]', 'any-password');
    await browser.screenshot(page, '1-upstream-login.png');
    await page.click('button[type=submit]');
    await page.waitForSelector('button[type=submit]');
    await browser.screenshot(page, '2-upstream-consent.png');
    await page.click('button[type=submit]');
    await grantAccess(page, rpURL, () => browser.screenshot(page, '3-ferry-approval.png'));
    await browser.screenshot(page, '4-client.png');
    assert.equal(await page.locator('#result').textContent(), `Welcome ${ERIN.email}`);
    assertErin(JSON.parse((await page.locator('#claims').textContent()) ?? '{}') as client.IDToken);
  });
});
