/**
 * MFA in a real browser (chromium through playwright-core): TOTP enrolment with the QR page and login with codes
 * computed here; backup codes shown once, one used in place of TOTP (the page says how many are left); WebAuthn
 * registration and login through Chromium's virtual authenticator (DevTools WebAuthn domain); attack regressions
 * (a reused TOTP code, a reused backup code, a second key registered by someone who only has the password);
 * and no MFA for a client with `mfaChain: []`; authenticators named `toString` and `hasOwnProperty` start as not
 * enrolled for every user (no lookup reads what a plain object inherits).
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { generateSync } from 'otplib';
import type { Page } from 'playwright-core';
import { launchBrowser, startRelyingParty, submitPasswordForm, type RelyingParty, type TestBrowser } from '../../helpers/browser.js';
import { freePort, type TestFerry } from '../../helpers/ferry.js';
import { ALICE, BOB, startMfaFerry } from './mfa.config.js';

let f: TestFerry;
let browser: TestBrowser;
const rps = new Map<string, RelyingParty>();
let totpSecret = '';
let lastStep = 0;
let backupCodes: string[] = [];

before(async () => {
  browser = await launchBrowser('mfa');
  const port = await freePort();
  f = await startMfaFerry(`http://127.0.0.1:${port}/callback`);
  for (const [i, id] of ['totp-app', 'key-app', 'plain-app', 'inherited-totp-app', 'inherited-key-app'].entries()) {
    const config = await client.discovery(new URL(f.issuer), id, undefined, client.None(), { execute: [client.allowInsecureRequests] });
    rps.set(id, await startRelyingParty(config, i === 0 ? port : await freePort()));
  }
});

after(async () => {
  await browser?.close();
  for (const rp of rps.values()) rp.close();
  await f?.stop();
});

const storage = () => f.ferry.deps.storage;
const step = (offset = 0) => Math.floor(Date.now() / 1000 / 30) + offset;
const code = (s: number) => generateSync({ strategy: 'hotp', secret: totpSecret, counter: s, digits: 6, algorithm: 'sha1' });

/** Starts a fresh login (no cookies) for `clientId` and signs in with the password; returns the page. */
async function signIn(clientId: string, user: { email: string; password: string }): Promise<{ page: Page; rp: RelyingParty }> {
  const rp = rps.get(clientId)!;
  await browser.context.clearCookies();
  const page = await browser.page();
  await page.goto((await rp.authorize('openid email')).url.href);
  await submitPasswordForm(page, 'Email Address', user.email, user.password);
  return { page, rp };
}

async function welcomed(page: Page, rp: RelyingParty, email: string): Promise<Record<string, unknown>> {
  await page.waitForURL((u) => u.href.startsWith(rp.redirectUri));
  assert.equal(await page.locator('#result').textContent(), `Welcome ${email}`);
  return JSON.parse((await page.locator('#claims').textContent()) ?? '{}') as Record<string, unknown>;
}

test('TOTP: enrolment shows a QR code and the secret; the first code confirms it and shows ten backup codes', async () => {
  const { page, rp } = await signIn('totp-app', ALICE);
  await page.waitForURL(/\/dex\/mfa\/totp\?/);
  assert.equal(await page.locator('#totp-qr svg').count(), 1, 'the QR code is inline SVG');
  totpSecret = ((await page.locator('#totp-secret').textContent()) ?? '').trim();
  assert.match(totpSecret, /^[A-Z2-7]{32}$/);
  await browser.screenshot(page, '1-totp-enrol.png');
  lastStep = step();
  await page.getByLabel('One-time code').fill(code(lastStep));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('#new-backup-codes').waitFor();
  backupCodes = (await page.locator('#new-backup-codes li').allTextContents()).map((c) => c.trim());
  assert.equal(backupCodes.length, 10);
  await browser.screenshot(page, '2-backup-codes.png');
  await page.locator('#continue').click();
  await welcomed(page, rp, ALICE.email);

  const identity = await storage().getUserIdentity(ALICE.userId, 'local');
  const secret = identity.mfaSecrets['totp'];
  assert.ok(secret?.confirmed);
  assert.match(secret.secret, /^ferry-aes256gcm:v1:/, 'encrypted at rest');
  assert.ok(!secret.secret.includes(totpSecret));
  assert.equal(identity.backupCodes?.hashes.length, 10);
});

test('TOTP login: a code already used is refused (replay), the next step passes; no QR code any more', async () => {
  const { page, rp } = await signIn('totp-app', ALICE);
  await page.waitForURL(/\/dex\/mfa\/totp\?/);
  assert.equal(await page.locator('#totp-qr').count(), 0, 'a confirmed secret is never shown again');
  await page.getByLabel('One-time code').fill(code(lastStep));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('#login-error').waitFor();
  assert.match((await page.locator('#login-error').textContent()) ?? '', /Invalid code/);
  await page.getByLabel('One-time code').fill(code(lastStep + 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  const claims = await welcomed(page, rp, ALICE.email);
  assert.deepEqual(claims['amr'], ['pwd', 'otp', 'mfa'], 'the ID token says how the user signed in');
});

test('a backup code in place of TOTP: the page says how many are left; the same code again is refused', async () => {
  const { page, rp } = await signIn('totp-app', ALICE);
  await page.getByRole('link', { name: 'Use a backup code instead' }).click();
  await page.getByLabel('Backup code', { exact: true }).fill(backupCodes[0]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('#codes-left').waitFor();
  assert.match((await page.locator('#codes-left').textContent()) ?? '', /You have 9 backup codes left/);
  await browser.screenshot(page, '3-backup-code-used.png');
  await page.locator('#continue').click();
  await welcomed(page, rp, ALICE.email);

  const again = await signIn('totp-app', ALICE);
  await again.page.getByRole('link', { name: 'Use a backup code instead' }).click();
  await again.page.getByLabel('Backup code', { exact: true }).fill(backupCodes[0]!);
  await again.page.getByRole('button', { name: 'Verify' }).click();
  await again.page.locator('#login-error').waitFor();
  assert.match((await again.page.locator('#login-error').textContent()) ?? '', /Invalid or already used/);
  assert.equal((await storage().getUserIdentity(ALICE.userId, 'local')).backupCodes?.hashes.length, 9);
});

test('WebAuthn: a passkey is registered and then used through the virtual authenticator', async () => {
  const page = await browser.page();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });

  const first = await signIn('key-app', BOB);
  await first.page.waitForURL(/\/dex\/mfa\/webauthn\?/);
  await browser.screenshot(first.page, '4-webauthn-register.png');
  await first.page.getByRole('button', { name: 'Register security key' }).click();
  await first.page.locator('#new-backup-codes').waitFor();
  assert.equal(await first.page.locator('#new-backup-codes li').count(), 10, 'first enrolment: backup codes');
  await first.page.locator('#continue').click();
  await welcomed(first.page, first.rp, BOB.email);
  const registered = (await storage().getUserIdentity(BOB.userId, 'local')).webauthnCredentials['key'] ?? [];
  assert.equal(registered.length, 1);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url'), registered[0]!.credentialId);

  const second = await signIn('key-app', BOB);
  await second.page.getByRole('button', { name: 'Use security key' }).click();
  const claims = await welcomed(second.page, second.rp, BOB.email);
  assert.deepEqual(claims['amr'], ['pwd', 'hwk', 'mfa']);
  const used = (await storage().getUserIdentity(BOB.userId, 'local')).webauthnCredentials['key']?.[0];
  assert.ok(used && used.signCount > registered[0]!.signCount, 'the sign counter grew');
  assert.equal(used.cloneWarning, false);
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
});

test('attack: with only the password, nobody registers a second key for a user who has one', async () => {
  const { page } = await signIn('key-app', BOB);
  await page.waitForURL(/\/dex\/mfa\/webauthn\?/);
  const csrf = await page.locator('#webauthn').getAttribute('data-csrf');
  const url = new URL(page.url());
  const begin = await page.request.post(`${url.origin}${url.pathname}/register/begin${url.search}`, { data: { csrf_token: csrf } });
  assert.equal(begin.status(), 409);
  assert.deepEqual(await begin.json(), { error: 'A security key is already registered.' });
  const crossSite = await page.request.post(`${url.origin}${url.pathname}/login/begin${url.search}`, {
    data: { csrf_token: csrf },
    headers: { 'sec-fetch-site': 'cross-site' },
  });
  assert.equal(crossSite.status(), 403, 'a cross-site call is refused');
  assert.equal((await fetch(page.url())).status, 403, 'the MFA link is useless in another browser (no flow cookie)');
  const forged = new URL(page.url());
  forged.searchParams.set('authenticator', 'totp');
  assert.equal((await page.request.get(forged.href)).status(), 401, "another authenticator's page needs its own verifier");
});

test('no MFA for a client with mfaChain: []', async () => {
  const seen: string[] = [];
  const page = await browser.page();
  const listener = (r: { url(): string }) => seen.push(r.url());
  page.on('request', listener);
  const { rp } = await signIn('plain-app', ALICE);
  const claims = await welcomed(page, rp, ALICE.email);
  assert.equal(claims['amr'], undefined);
  page.off('request', listener);
  assert.ok(seen.some((u) => u.includes('/dex/auth')), 'the flow was observed');
  assert.deepEqual(seen.filter((u) => u.includes('/dex/mfa')), []);
});

test('attack: guessing TOTP codes is throttled (429 with Retry-After) before the keyspace can be searched', async () => {
  const { page } = await signIn('totp-app', BOB);
  await page.waitForURL(/\/dex\/mfa\/totp\?/);
  const action = new URL((await page.locator('form').getAttribute('action'))!, page.url()).href;
  const csrf = (await page.locator('input[name=csrf_token]').getAttribute('value'))!;
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) {
    const r = await page.request.post(action, { form: { csrf_token: csrf, totp: String(100000 + i) } });
    statuses.push(r.status());
    if (r.status() === 429) assert.ok(Number(r.headers()['retry-after']) >= 1);
  }
  assert.deepEqual(statuses.slice(0, 6), [200, 200, 200, 200, 200, 200], 'wrong codes re-show the form');
  assert.ok(statuses.slice(6).every((s) => s === 429), `then refused: ${statuses.join(',')}`);
});

test('a secret sealed with another key is a clear error page (500, logged), never a crash', async () => {
  const { randomBytes } = await import('node:crypto');
  const other = `ferry-aes256gcm:v1:${randomBytes(60).toString('base64url')}`;
  await storage().updateUserIdentity(ALICE.userId, 'local', (old) => ({
    ...old,
    mfaSecrets: { ...old.mfaSecrets, totp: { ...old.mfaSecrets['totp']!, confirmed: false, secret: other } },
  }));
  const { page } = await signIn('totp-app', ALICE);
  await page.waitForURL(/\/dex\/mfa\/totp\?/);
  const response = await page.reload();
  assert.equal(response?.status(), 500);
  assert.match(await page.content(), /Internal server error/);
  assert.ok(!(await page.content()).includes('decrypt'), 'no internal detail to the user');
  assert.equal((await fetch(`${f.issuer}/.well-known/openid-configuration`)).status, 200, 'the server keeps running');
});

test('authenticators named toString and hasOwnProperty: not enrolled until the user enrols them (no inherited member read)', async () => {
  // ALICE has a confirmed secret under `totp` by now, so her stored map is a plain object with an own key.
  const totp = await signIn('inherited-totp-app', ALICE);
  const response = await totp.page.waitForURL(/\/dex\/mfa\/totp\?/).then(() => totp.page.reload());
  assert.equal(response?.status(), 200, 'the TOTP page, not a 500');
  assert.equal(await totp.page.locator('#totp-qr svg').count(), 1, 'enrolment: `toString` has no secret yet');
  const stored = await storage().getUserIdentity(ALICE.userId, 'local');
  assert.ok(Object.hasOwn(stored.mfaSecrets, 'toString'), 'the enrolment secret is stored under its own key');
  assert.equal(stored.mfaSecrets['toString']?.confirmed, false);

  const key = await signIn('inherited-key-app', BOB);
  await key.page.waitForURL(/\/dex\/mfa\/webauthn\?/);
  assert.equal(await key.page.locator('#webauthn').getAttribute('data-mode'), 'register', 'no key registered under `hasOwnProperty`');
  const csrf = await key.page.locator('#webauthn').getAttribute('data-csrf');
  const url = new URL(key.page.url());
  const begin = await key.page.request.post(`${url.origin}${url.pathname}/register/begin${url.search}`, { data: { csrf_token: csrf } });
  assert.equal(begin.status(), 200);
  assert.ok(typeof ((await begin.json()) as { challenge?: unknown }).challenge === 'string', 'registration options with a challenge');
});
