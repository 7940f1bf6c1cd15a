/**
 * What a user of `npm start` meets, in Chromium, on examples/config-dev.yaml (only its addresses and storage
 * swapped for the test's): sign in to Example App with the password, enrol TOTP (codes computed here), keep the
 * ten backup codes, register a passkey (Chromium's virtual authenticator); reach Example CLI without a password
 * (single sign-on); sign in to Example App again with a backup code and the passkey; then "Sign out everywhere" on
 * the account page: Example App receives a verified back-channel logout token for that session, and Example CLI's
 * refresh token (`refreshTokenLifetime: session`) stops working.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { generateSync } from 'otplib';
import type { CDPSession, Page } from 'playwright-core';
import { startFerry, type RunningFerry } from '../../../src/cli/start.js';
import { parseConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { launchBrowser, startRelyingParty, submitPasswordForm, type RelyingParty, type TestBrowser } from '../../helpers/browser.js';
import { freePort } from '../../helpers/ferry.js';
import { startBackchannelReceiver, type BackchannelReceiver } from '../logout/backchannel-receiver.js';

const ADMIN = { email: 'admin@example.com', password: 'password', userId: '08a8684b-db88-4b73-90a9-3cd1661f5466' };

let ferry: RunningFerry;
let issuer = '';
let browser: TestBrowser;
let page: Page;
let cdp: CDPSession;
let app: RelyingParty;
let cli: RelyingParty;
let cliConfig: client.Configuration;
let receiver: BackchannelReceiver;

before(async () => {
  const [port, appPort, cliPort, bcPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  issuer = `http://localhost:${port}/dex`;
  const dev = readFileSync(new URL('../../../examples/config-dev.yaml', import.meta.url), 'utf8');
  const yaml = dev
    .replace('issuer: http://localhost:5556/dex', `issuer: ${issuer}`)
    .replace('  http: 127.0.0.1:5556', `  http: 127.0.0.1:${port}`)
    .replace('http://127.0.0.1:5555/backchannel-logout', `http://127.0.0.1:${bcPort}/backchannel-logout`)
    .replaceAll('http://127.0.0.1:5555/', `http://127.0.0.1:${appPort}/`)
    .replace(/storage:\n {2}type: sqlite3\n {2}config:\n {4}file: var\/sqlite\/ferry.db/, 'storage:\n  type: memory')
    .replace(/telemetry:\n {2}http: 127.0.0.1:5558\n/, '');
  assert.ok(yaml.includes(`${issuer}\n`) && yaml.includes(`:${bcPort}/backchannel-logout`) && !yaml.includes('127.0.0.1:5555/'), 'every address swapped');
  ferry = await startFerry(parseConfig(yaml, {}).config, { logger: silentLogger(), env: {} });

  const insecure = { execute: [client.allowInsecureRequests] };
  const appConfig = await client.discovery(new URL(issuer), 'example-app', 'ZXhhbXBsZS1hcHAtc2VjcmV0', undefined, insecure);
  cliConfig = await client.discovery(new URL(issuer), 'example-cli', undefined, client.None(), insecure);
  app = await startRelyingParty(appConfig, appPort);
  cli = await startRelyingParty(cliConfig, cliPort);
  receiver = await startBackchannelReceiver(bcPort, issuer, 'example-app');

  browser = await launchBrowser('example-journey');
  page = await browser.page();
  cdp = await browser.context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
});

after(async () => {
  await browser?.close();
  app?.close();
  cli?.close();
  receiver?.close();
  await ferry?.stop();
});

let totpSecret = '';
let lastStep = 0;
let backupCodes: string[] = [];
let cliRefreshToken = '';
let appSid = '';
let appSub = '';

const code = (step: number) => generateSync({ strategy: 'hotp', secret: totpSecret, counter: step, digits: 6, algorithm: 'sha1' });
/** A TOTP step newer than any used so far (each code works once). */
const nextStep = () => (lastStep = Math.max(lastStep + 1, Math.floor(Date.now() / 30_000)));

/** Waits for `rp`'s callback page and returns the ID token's claims it shows. */
async function welcomed(rp: RelyingParty): Promise<Record<string, unknown>> {
  await page.waitForURL((u) => u.href.startsWith(rp.redirectUri));
  assert.equal(await page.locator('#result').textContent(), `Welcome ${ADMIN.email}`);
  return JSON.parse((await page.locator('#claims').textContent()) ?? '{}') as Record<string, unknown>;
}

/** Collects the paths under the issuer that the page requests while `fn` runs. */
async function pathsDuring(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (r: { url(): string }) => {
    if (r.url().startsWith(issuer)) seen.push(new URL(r.url()).pathname);
  };
  page.on('request', listener);
  try {
    await fn();
  } finally {
    page.off('request', listener);
  }
  return seen;
}

test('Example App: password, then TOTP enrolment with a QR code, ten backup codes, a passkey, consent', async () => {
  await page.goto((await app.authorize('openid email profile')).url.href);
  await page.getByRole('link', { name: 'Log in with Email' }).click();
  await submitPasswordForm(page, 'Email Address', ADMIN.email, ADMIN.password);

  await page.waitForURL(/\/dex\/mfa\/totp\?/);
  assert.equal(await page.locator('#totp-qr svg').count(), 1, 'the QR code is drawn on the server');
  totpSecret = ((await page.locator('#totp-secret').textContent()) ?? '').trim();
  assert.match(totpSecret, /^[A-Z2-7]{32}$/);
  await page.getByLabel('One-time code').fill(code(nextStep()));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('#new-backup-codes').waitFor();
  backupCodes = (await page.locator('#new-backup-codes li').allTextContents()).map((c) => c.trim());
  assert.equal(backupCodes.length, 10);
  assert.equal(new Set(backupCodes).size, 10);
  await browser.screenshot(page, '1-backup-codes.png');
  await page.locator('#continue').click();

  await page.waitForURL(/\/dex\/mfa\/webauthn\?/);
  await page.getByRole('button', { name: 'Register security key' }).click();
  await page.getByRole('button', { name: /grant access/i }).click();
  const claims = await welcomed(app);
  assert.deepEqual(claims['amr'], ['pwd', 'otp', 'hwk', 'mfa'], 'the ID token says both factors were used');
  assert.equal(typeof claims['sid'], 'string');
  appSid = String(claims['sid']);
  appSub = String(claims['sub']);

  const identity = await ferry.deps.storage.getUserIdentity(ADMIN.userId, 'local');
  assert.match(identity.mfaSecrets['totp']?.secret ?? '', /^ferry-aes256gcm:v1:/, 'the example encrypts TOTP secrets at rest');
  assert.equal(identity.webauthnCredentials['passkey']?.length, 1);
  assert.equal(identity.backupCodes?.hashes.length, 10);
});

test('Example CLI: single sign-on, no password and no second factor (its chain is empty), then consent', async () => {
  let state = '';
  const paths = await pathsDuring(async () => {
    const start = await cli.authorize('openid email offline_access');
    state = start.state;
    await page.goto(start.url.href);
    await page.getByRole('button', { name: /grant access/i }).click();
    await welcomed(cli);
  });
  assert.deepEqual(paths.filter((p) => p.startsWith('/dex/auth/') || p.startsWith('/dex/mfa')), [], `no login page: ${paths.join(' ')}`);
  const tokens = cli.tokens(state);
  assert.equal(tokens?.claims()?.['sid'], appSid, 'the same browser session');
  cliRefreshToken = tokens?.refresh_token ?? '';
  assert.ok(cliRefreshToken, 'offline access for the CLI');
  const refreshed = await client.refreshTokenGrant(cliConfig, cliRefreshToken);
  cliRefreshToken = refreshed.refresh_token ?? '';
  assert.ok(cliRefreshToken, 'the CLI refreshes while the session lives');
});

test('Example App again: no password; a backup code in place of TOTP (nine left), then the passkey', async () => {
  const paths = await pathsDuring(async () => {
    await page.goto((await app.authorize('openid email profile')).url.href);
    await page.waitForURL(/\/dex\/mfa\/totp\?/);
    assert.equal(await page.locator('#totp-qr').count(), 0, 'the QR code is never shown again');
    await page.getByRole('link', { name: 'Use a backup code instead' }).click();
    await page.getByLabel('Backup code', { exact: true }).fill(backupCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('#codes-left').waitFor();
    assert.match((await page.locator('#codes-left').textContent()) ?? '', /You have 9 backup codes left/);
    await page.locator('#continue').click();
    await page.waitForURL(/\/dex\/mfa\/webauthn\?/);
    await page.getByRole('button', { name: 'Use security key' }).click();
    const claims = await welcomed(app);
    assert.equal(claims['sid'], appSid);
  });
  assert.deepEqual(paths.filter((p) => p.startsWith('/dex/auth/')), [], 'no connector list and no password form');
  assert.ok(!paths.some((p) => p.endsWith('/approval')), 'consent is remembered');
});

test('the account page lists both applications and both factors; "Sign out everywhere" tells every application', async () => {
  await page.goto(`${issuer}/`);
  assert.equal(await page.locator('h1').textContent(), 'Signed in as Admin User');
  assert.deepEqual((await page.locator('article.app').evaluateAll((els) => els.map((e) => e.getAttribute('data-client')))).sort(), ['example-app', 'example-cli']);
  const factors = (await page.locator('#mfa li').allTextContents()).join(' | ');
  assert.match(factors, /TOTP totp/);
  assert.match(factors, /WebAuthn Security Key/);
  assert.match((await page.locator('#backup-codes').textContent()) ?? '', /^9 unused backup code/);
  await browser.screenshot(page, '2-account.png');

  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.waitForLoadState();
  const [logout] = await receiver.waitFor(1, 10_000);
  assert.equal(logout!.claims.sid, appSid, 'Example App is told which session ended');
  assert.equal(logout!.claims.sub, appSub);
  await assert.rejects(client.refreshTokenGrant(cliConfig, cliRefreshToken), (err: unknown) => {
    assert.ok(err instanceof client.ResponseBodyError, String(err));
    // dex's answer for a refresh token it no longer has (dex v2.45.1 server/refreshhandlers.go), kept for clients.
    assert.equal(err.error, 'invalid_request');
    assert.match(err.error_description ?? '', /invalid or has already been claimed/);
    return true;
  }, "Example CLI's refresh token ended with the session");

  await page.goto((await app.authorize('openid email profile')).url.href);
  await page.getByRole('link', { name: 'Log in with Email' }).waitFor();
  assert.equal(receiver.received.length, 1, 'one notice for one session and one application with a back-channel URI');
});
