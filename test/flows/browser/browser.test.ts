/**
 * A real browser (Debian chromium via playwright-core) logs in through Ferry's pages: connector list, password
 * form (wrong password first), approval, then back to a relying party that redeems the code with openid-client.
 * Screenshots of each page are kept under test-results/browser/ as artifacts.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { grantAccess, launchBrowser, startRelyingParty, submitPasswordForm, type RelyingParty, type TestBrowser } from '../../helpers/browser.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { ADMIN, loginConfig } from '../login/login.config.js';

let f: TestFerry;
let rp: RelyingParty;
let rpURL = '';
let browser: TestBrowser;

before(async () => {
  browser = await launchBrowser('browser');
  const port = await freePort();
  rpURL = `http://127.0.0.1:${port}/callback`;
  const base = await loginConfig();
  f = await startTestFerry((issuer, listen) => base(issuer, listen).replace("redirectURIs: ['http://127.0.0.1:5555/callback']", `redirectURIs: ['${rpURL}']`));
  const config = await client.discovery(new URL(f.issuer), 'public-app', undefined, client.None(), { execute: [client.allowInsecureRequests] });
  rp = await startRelyingParty(config, port);
});

after(async () => {
  await browser?.close();
  rp?.close();
  await f?.stop();
});

test('a user logs in with a real browser and the client receives their identity', async () => {
  const { url } = await rp.authorize('openid email profile groups');
  const page = await browser.page();
  await page.goto(url.href);
  await browser.screenshot(page, '1-connectors.png');
  await page.getByRole('link', { name: /Email/ }).click();

  await submitPasswordForm(page, 'Email Address', ADMIN.email, 'not-the-password');
  await page.getByRole('alert').waitFor();
  await browser.screenshot(page, '2-wrong-password.png');
  assert.equal(await page.getByLabel('Email Address').inputValue(), ADMIN.email, 'the email is kept');

  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: /log in|sign in/i }).click();
  await grantAccess(page, rpURL, () => browser.screenshot(page, '3-approval.png'));
  const result = await page.locator('#result').textContent();
  await browser.screenshot(page, '4-client.png');
  assert.equal(result, `Welcome ${ADMIN.email}`);
  assert.equal(await page.locator('#groups').textContent(), JSON.stringify(['team-a', 'team-a/admins']));
});
