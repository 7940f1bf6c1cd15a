/**
 * A real browser (Debian chromium via playwright-core) logs in through Ferry's pages: connector list, password
 * form (wrong password first), approval, then back to a relying party that redeems the code with openid-client.
 * Screenshots of each page are kept under test-results/browser/ as artifacts.
 */

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { chromium, type BrowserContext } from 'playwright-core';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { ADMIN, loginConfig } from '../login/login.config.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-results', 'browser');

let f: TestFerry;
let rp: Server;
let rpURL = '';
let browser: BrowserContext;
let profile = '';

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run test/peers/chromium/install.sh (apt-get install chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  rpURL = `http://127.0.0.1:${port}/callback`;
  const base = await loginConfig();
  f = await startTestFerry((issuer, listen) => base(issuer, listen).replace("redirectURIs: ['http://127.0.0.1:5555/callback']", `redirectURIs: ['${rpURL}']`));
  profile = mkdtempSync(join(tmpdir(), 'ferry-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  rp = await startRelyingParty(port);
});

after(async () => {
  await browser?.close();
  rp?.close();
  await f?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const pending = new Map<string, { verifier: string; nonce: string }>();

/** A minimal relying party: redeems the code with openid-client and shows who logged in. */
async function startRelyingParty(port: number): Promise<Server> {
  const config = await client.discovery(new URL(f.issuer), 'public-app', undefined, client.None(), { execute: [client.allowInsecureRequests] });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const state = url.searchParams.get('state') ?? '';
    const flow = pending.get(state);
    const done = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/html' }).end(body);
    if (!flow) return done(400, '<h1 id="result">unknown state</h1>');
    client
      .authorizationCodeGrant(config, url, { pkceCodeVerifier: flow.verifier, expectedState: state, expectedNonce: flow.nonce })
      .then((t) => done(200, `<h1 id="result">Welcome ${String(t.claims()?.email)}</h1><p id="groups">${JSON.stringify(t.claims()?.groups)}</p>`))
      .catch((err: unknown) => done(500, `<h1 id="result">failed: ${String(err)}</h1>`));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

test('a user logs in with a real browser and the client receives their identity', async () => {
  const config = await client.discovery(new URL(f.issuer), 'public-app', undefined, client.None(), { execute: [client.allowInsecureRequests] });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  pending.set(state, { verifier, nonce });
  const authUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: rpURL,
    scope: 'openid email profile groups',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.setViewportSize({ width: 1024, height: 760 });
  await page.goto(authUrl.href);
  await page.screenshot({ path: join(ARTIFACTS, '1-connectors.png') });
  await page.getByRole('link', { name: /Email/ }).click();

  await page.getByLabel('Email Address').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: /log in|sign in/i }).click();
  await page.getByRole('alert').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, '2-wrong-password.png') });
  assert.equal(await page.getByLabel('Email Address').inputValue(), ADMIN.email, 'the email is kept');

  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: /log in|sign in/i }).click();
  await page.getByRole('button', { name: /grant access/i }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, '3-approval.png') });
  await page.getByRole('button', { name: /grant access/i }).click();

  await page.waitForURL((u) => u.href.startsWith(rpURL));
  const result = await page.locator('#result').textContent();
  await page.screenshot({ path: join(ARTIFACTS, '4-client.png') });
  assert.equal(result, `Welcome ${ADMIN.email}`);
  assert.equal(await page.locator('#groups').textContent(), JSON.stringify(['team-a', 'team-a/admins']));
});
