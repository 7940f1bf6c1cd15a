/**
 * RP-initiated logout in a real browser (chromium), with openid-client building the end-session URL and a
 * back-channel receiver verifying each logout token against Ferry's JWKS (OpenID Connect RP-Initiated Logout 1.0,
 * Back-Channel Logout 1.0). Attack regressions: an open redirect through post_logout_redirect_uri, a forged
 * id_token_hint, a cross-origin POST of the confirmation.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import * as client from 'openid-client';
import type { Page } from 'playwright-core';
import { grantAccess, launchBrowser, startRelyingParty, submitPasswordForm, type RelyingParty, type TestBrowser } from '../../helpers/browser.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { type BackchannelReceiver, startBackchannelReceiver } from './backchannel-receiver.js';
import { CLIENT, type LogoutPorts, logoutConfig, postLogoutURI, USER } from './logout.config.js';

let f: TestFerry;
let rp: RelyingParty;
let receiver: BackchannelReceiver;
let browser: TestBrowser;
let config: client.Configuration;
let ports: LogoutPorts;
let lastIdToken = '';

before(async () => {
  browser = await launchBrowser('logout');
  ports = { rp: await freePort(), backchannel: await freePort() };
  f = await startTestFerry(await logoutConfig(ports));
  config = await client.discovery(new URL(f.issuer), CLIENT.id, CLIENT.secret, undefined, { execute: [client.allowInsecureRequests] });
  rp = await startRelyingParty(config, ports.rp);
  receiver = await startBackchannelReceiver(ports.backchannel, f.issuer, CLIENT.id);
});

after(async () => {
  await browser?.close();
  rp?.close();
  receiver?.close();
  await f?.stop();
});

const sessions = () => f.ferry.deps.storage.listAuthSessions();

/** Logs in through Ferry's pages (password form; approval the first time only: consent is remembered). */
async function login(page: Page): Promise<{ idToken: string; sid: string }> {
  const { url, state } = await rp.authorize('openid email offline_access');
  await page.goto(url.href);
  await submitPasswordForm(page, 'Email Address', USER.email, USER.password);
  const grant = page.getByRole('button', { name: /grant access/i });
  await Promise.race([page.waitForURL((u) => u.href.startsWith(rp.redirectUri)), grant.waitFor()]);
  if (!page.url().startsWith(rp.redirectUri)) await grantAccess(page, rp.redirectUri);
  await page.locator('#result').waitFor();
  const tokens = rp.tokens(state);
  assert.ok(tokens?.id_token, 'the relying party redeemed an ID token');
  const sid = tokens.claims()?.sid;
  assert.equal(typeof sid, 'string', 'the ID token carries sid');
  return { idToken: tokens.id_token, sid: sid as string };
}

test('discovery advertises RP-initiated and back-channel logout', () => {
  const m = config.serverMetadata();
  assert.equal(m.end_session_endpoint, `${f.issuer}/logout`);
  assert.equal(m.backchannel_logout_supported, true);
  assert.equal(m.backchannel_logout_session_supported, true);
  assert.equal(m.frontchannel_logout_supported, false);
});

test('with a valid hint: no confirmation, back to the registered URI with state, and a verified logout token with the sid', async () => {
  const page = await browser.page();
  const { idToken, sid } = await login(page);
  assert.equal((await sessions()).length, 1);
  const issued = (await f.ferry.deps.storage.listRefreshTokens()).filter((t) => t.clientId === CLIENT.id);
  assert.equal(issued.length, 1, 'a refresh token was issued under the session');
  const before = receiver.received.length;
  const url = client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutURI(ports), state: 'bye-1' });
  await page.goto(url.href);
  await page.waitForURL((u) => u.href.startsWith(postLogoutURI(ports)));
  assert.equal(new URL(page.url()).searchParams.get('state'), 'bye-1');
  assert.deepEqual(await sessions(), [], 'the session is gone');
  const cookies = await browser.context.cookies(f.issuer);
  assert.equal(cookies.find((c) => c.name === 'dex_session'), undefined, 'the session cookie is cleared');

  const [got] = (await receiver.waitFor(before + 1, 10_000)).slice(before);
  assert.equal(got?.header.typ, 'logout+jwt');
  assert.equal(got?.claims.sid, sid, 'the logout token names the ID token\'s session');
  assert.equal(got?.claims.aud, CLIENT.id);
  assert.equal(got?.claims.iss, f.issuer);
  const refresh = (await f.ferry.deps.storage.listRefreshTokens()).filter((t) => t.clientId === CLIENT.id);
  assert.deepEqual(refresh, [], 'refreshTokenLifetime: session: the session\'s refresh token is revoked');
});

test('without a hint: the confirmation page, then "Signed out"', async () => {
  const page = await browser.page();
  const { sid } = await login(page);
  const before = receiver.received.length;
  await page.goto(`${f.issuer}/logout`);
  await page.getByRole('button', { name: /sign out/i }).waitFor();
  await browser.screenshot(page, '1-confirm.png');
  assert.equal((await sessions()).length, 1, 'nothing ends before the user confirms');
  await page.getByRole('button', { name: /sign out/i }).click();
  await page.getByRole('heading', { name: 'Signed out' }).waitFor();
  await browser.screenshot(page, '2-signed-out.png');
  assert.deepEqual(await sessions(), []);
  const [got] = (await receiver.waitFor(before + 1, 10_000)).slice(before);
  assert.equal(got?.claims.sid, sid);
});

test('an unregistered post_logout_redirect_uri gets an error page, never a redirect (open redirect)', async () => {
  const page = await browser.page();
  const { idToken } = await login(page);
  lastIdToken = idToken;
  for (const target of ['https://evil.example/', `${postLogoutURI(ports)}/../evil`, `${postLogoutURI(ports)}?x=1`]) {
    const url = client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: target, state: 's' });
    const res = await page.goto(url.href);
    assert.equal(res?.status(), 400, target);
    assert.ok(page.url().startsWith(f.issuer), `stayed on Ferry for ${target}`);
    assert.match(await page.content(), /Unregistered post_logout_redirect_uri/);
  }
  assert.equal((await sessions()).length, 1, 'the session survives');
});

test('a forged id_token_hint (foreign key, same claims) is refused and ends nothing', async () => {
  const page = await browser.page();
  const sessionsBefore = (await sessions()).length;
  assert.ok(sessionsBefore >= 1, 'signed in from the previous test');
  const { privateKey } = await generateKeyPair('RS256');
  const keys = await f.ferry.deps.signer.validationKeys();
  // The real ID token's claims and kid, re-signed with a key Ferry never published.
  const forged = await new SignJWT(decodeJwt(lastIdToken)).setProtectedHeader({ alg: 'RS256', kid: keys[0]?.kid ?? '' }).sign(privateKey);
  const url = client.buildEndSessionUrl(config, { id_token_hint: forged, post_logout_redirect_uri: postLogoutURI(ports) });
  const res = await page.goto(url.href);
  assert.equal(res?.status(), 400);
  assert.match(await page.content(), /Invalid id_token_hint/);
  assert.equal((await sessions()).length, sessionsBefore);
});

test('a cross-origin POST of the confirmation does not log out (CSRF)', async () => {
  const page = await browser.page();
  if ((await sessions()).length === 0) await login(page);
  await page.goto(`${f.issuer}/logout`);
  await page.getByRole('button', { name: /sign out/i }).waitFor(); // the confirmation cookie is now set
  // An attacker page on another origin of the same site (so even SameSite cookies travel) auto-submits the form.
  const attacker = `http://127.0.0.1:${ports.rp}/attack`;
  await page.route(attacker, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<form id=f method=post action="${f.issuer}/logout"></form><script>f.submit()</script>` }),
  );
  await page.goto(attacker);
  await page.waitForURL((u) => u.href.startsWith(`${f.issuer}/logout`));
  await page.waitForLoadState();
  assert.doesNotMatch(await page.content(), /Signed out/);
  assert.equal((await sessions()).length, 1, 'the session survives a cross-origin confirmation');
});
