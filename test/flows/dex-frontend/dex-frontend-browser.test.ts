/**
 * Chromium logs in through the customized dex-format frontend (test/fixtures/dex-frontend/custom): its connector
 * buttons, its password page (with inline scripts that receive template values), a failed attempt whose username is
 * a script-injection attempt, then its consent page, back to a relying party that redeems the code.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { launchBrowser, startRelyingParty, type RelyingParty, type TestBrowser } from '../../helpers/browser.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { dexFrontendConfig, REDIRECT, USER } from './dex-frontend.config.js';

/** See dex-frontend.test.ts: set to `{}` once the compat branch (form posts without csrf_token) is merged. */

let f: TestFerry;
let rp: RelyingParty;
let rpURL = '';
let browser: TestBrowser;

before(async () => {
  browser = await launchBrowser('dex-frontend');
  const port = await freePort();
  rpURL = `http://127.0.0.1:${port}/callback`;
  const base = await dexFrontendConfig('custom', { skipApproval: false });
  f = await startTestFerry((issuer, listen) => base(issuer, listen).replace(REDIRECT, rpURL));
  const config = await client.discovery(new URL(f.issuer), 'web-app', 'web-secret', client.ClientSecretBasic('web-secret'), { execute: [client.allowInsecureRequests] });
  rp = await startRelyingParty(config, port);
});

after(async () => {
  await browser?.close();
  rp?.close();
  await f?.stop();
});

test('a browser logs in through the operator\'s dex-format pages; injected markup stays text', async () => {
  const { url } = await rp.authorize('openid email profile');
  const page = await browser.page();
  await page.goto(url.href);
  await browser.screenshot(page, '1-connectors.png');
  assert.equal(await page.locator('.sidebar .support a').getAttribute('href'), 'mailto:help@acme.example');
  await page.getByRole('link', { name: 'Email (username and password)' }).click();

  assert.equal(await page.locator('#login').getAttribute('placeholder'), 'email address', 'set by the page script from {{ .UsernamePrompt | lower }}');
  const hostile = '"></script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">';
  await page.locator('#login').fill(hostile);
  await page.locator('#password').fill('wrong');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('alert').waitFor();
  await browser.screenshot(page, '2-wrong-password.png');
  assert.equal(await page.locator('#login').inputValue(), hostile, 'the username comes back as text');
  assert.equal(await page.evaluate(() => (window as unknown as { lastUser: string }).lastUser), hostile, 'and as a JS string');
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined, 'nothing injected ran');

  await page.locator('#login').fill(USER.email);
  await page.locator('#password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  await browser.screenshot(page, '3-consent.png');
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL((u) => u.href.startsWith(rpURL));
  assert.equal(await page.locator('#result').textContent(), `Welcome ${USER.email}`);
});
