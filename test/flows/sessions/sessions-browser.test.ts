/**
 * Single sign-on in a real browser (Debian chromium via playwright-core): the user signs in once to App A and then
 * reaches App B without a password prompt (App A shares its sign-in with App B), and App A signs the user in again
 * silently with `prompt=none`. Both relying parties redeem their codes with openid-client.
 * Screenshots are kept under test-results/sessions/.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { grantAccess, launchBrowser, startRelyingParty, submitPasswordForm, type RelyingParty, type TestBrowser } from '../../helpers/browser.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { ALICE, sessionsConfig } from './sessions.config.js';

let f: TestFerry;
let browser: TestBrowser;
const rps: Record<string, RelyingParty> = {};

before(async () => {
  browser = await launchBrowser('sessions');
  const ports = { 'app-a': await freePort(), 'app-b': await freePort() };
  const redirects = Object.fromEntries(Object.entries(ports).map(([id, port]) => [id, [`http://127.0.0.1:${port}/callback`]]));
  f = await startTestFerry(await sessionsConfig({ redirects }));
  for (const [id, port] of Object.entries(ports)) {
    const secret = id === 'app-a' ? 'secret-a' : 'secret-b';
    const config = await client.discovery(new URL(f.issuer), id, secret, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
    rps[id] = await startRelyingParty(config, port);
  }
});

after(async () => {
  await browser?.close();
  for (const rp of Object.values(rps)) rp.close();
  await f?.stop();
});

test('signed in once to App A, the user reaches App B without a password; prompt=none signs in silently', async () => {
  const a = rps['app-a'];
  const b = rps['app-b'];
  assert.ok(a && b);
  const page = await browser.page();
  const first = await a.authorize('openid email');
  await page.goto(first.url.href);
  await assert.doesNotReject(page.getByLabel('Remember me').waitFor(), 'the remember-me box is shown');
  assert.equal(await page.getByLabel('Remember me').isChecked(), true, 'checked by default (rememberMeCheckedByDefault)');
  await browser.screenshot(page, '1-password.png');
  await submitPasswordForm(page, 'Email Address', ALICE.email, ALICE.password);
  await grantAccess(page, a.redirectUri, () => browser.screenshot(page, '2-approval-a.png'));
  assert.equal(await page.locator('#result').textContent(), `Welcome ${ALICE.email}`);
  const sidA = (a.tokens(first.state)?.claims() as { sid?: string } | undefined)?.sid;
  assert.ok(sidA, 'App A got a sid');
  const cookie = (await browser.context.cookies()).find((c) => c.name === 'dex_session');
  assert.ok(cookie, 'the session cookie is set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.equal(cookie.path, '/dex');
  assert.ok(cookie.expires > Date.now() / 1000 + 23 * 3600, 'remembered: a persistent cookie for absoluteLifetime');

  const second = await b.authorize('openid email');
  await page.goto(second.url.href);
  await page.getByRole('button', { name: /grant access/i }).waitFor();
  assert.equal(await page.getByLabel('Password').count(), 0, 'no password prompt on the way to App B');
  await grantAccess(page, b.redirectUri, () => browser.screenshot(page, '3-approval-b.png'));
  assert.equal(await page.locator('#result').textContent(), `Welcome ${ALICE.email}`);
  const claimsB = b.tokens(second.state)?.claims() as { sid?: string; sub?: string } | undefined;
  assert.equal(claimsB?.sid, sidA, 'the same browser session');
  await browser.screenshot(page, '4-client-b.png');

  const silent = await a.authorize('openid email');
  silent.url.searchParams.set('prompt', 'none');
  await page.goto(silent.url.href);
  await page.waitForURL((u) => u.href.startsWith(a.redirectUri));
  assert.equal(await page.locator('#result').textContent(), `Welcome ${ALICE.email}`, 'silent re-authentication');
  assert.equal((a.tokens(silent.state)?.claims() as { sid?: string } | undefined)?.sid, sidA);
});
