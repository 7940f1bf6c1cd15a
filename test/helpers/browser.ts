/**
 * Real-browser plumbing for flow tests: Debian's chromium through playwright-core (flags below: no sandbox, GPU or QUIC,
 * with a fresh profile dir removed on close), screenshots under test-results/<name>/, and a relying party on
 * loopback that redeems the code with openid-client (PKCE S256, state, nonce) and shows the ID token's claims.
 */

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { listenOn } from './listen.js';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TestBrowser {
  readonly context: BrowserContext;
  /** The window's first page (a new one when there is none), sized 1024x760 for the screenshots. */
  page(): Promise<Page>;
  /** Saves a screenshot of `page` as test-results/<artifacts>/<name>; nothing without an artifacts folder. */
  screenshot(page: Page, name: string): Promise<void>;
  /** Closes chromium and removes its profile dir. */
  close(): Promise<void>;
}

/** Launches headless chromium in a fresh profile; `artifacts` names the folder under test-results/ for screenshots. */
export async function launchBrowser(artifacts?: string): Promise<TestBrowser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run test/peers/chromium/install.sh (apt-get install chromium)`);
  const dir = artifacts ? join(process.cwd(), 'test-results', artifacts) : '';
  if (dir) mkdirSync(dir, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'ferry-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    context,
    async page() {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.setViewportSize({ width: 1024, height: 760 });
      return page;
    },
    async screenshot(page, name) {
      if (dir) await page.screenshot({ path: join(dir, name) });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Fills Ferry's password form (the username field is labelled `userLabel`) and submits it. */
export async function submitPasswordForm(page: Page, userLabel: string, username: string, password: string): Promise<void> {
  await page.getByLabel(userLabel).fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: /log in|sign in/i }).click();
}

/** On Ferry's approval page: runs `before` (a screenshot, say) once it shows, grants access, waits to reach `redirectUri`. */
export async function grantAccess(page: Page, redirectUri: string, before?: () => Promise<unknown>): Promise<void> {
  if (before) {
    await page.getByRole('button', { name: /grant access/i }).waitFor();
    await before();
  }
  await page.getByRole('button', { name: /grant access/i }).click();
  await page.waitForURL((u) => u.href.startsWith(redirectUri));
}

export interface AuthRequest {
  url: URL;
  checks: { pkceCodeVerifier: string; expectedState: string; expectedNonce: string };
}

/** An authorization request for `scope` with PKCE S256, a state and a nonce, and the checks to redeem its code. */
export async function authRequest(config: client.Configuration, redirectUri: string, scope: string): Promise<AuthRequest> {
  const checks = { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: client.randomState(), expectedNonce: client.randomNonce() };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: checks.expectedState,
    nonce: checks.expectedNonce,
  });
  return { url, checks };
}

export type Tokens = client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;

export interface RelyingParty {
  readonly redirectUri: string;
  /** Starts a login for `scope`: the URL to send the browser to; the relying party accepts the answer to it. */
  authorize(scope: string): Promise<{ url: URL; state: string }>;
  /** The tokens redeemed for the login with this state, once the browser came back. */
  tokens(state: string): Tokens | undefined;
  close(): void;
}

/**
 * A relying party on 127.0.0.1:<port>/callback. Its page shows `#result` ("Welcome <email>" or "failed: …"),
 * `#groups` (the groups claim as JSON) and `#claims` (the ID token's claims as JSON).
 */
export async function startRelyingParty(config: client.Configuration, port: number): Promise<RelyingParty> {
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const pending = new Map<string, AuthRequest['checks']>();
  const redeemed = new Map<string, Tokens>();
  const html = (result: string, groups: string, claims: string) =>
    `<h1 id="result">${result}</h1><p id="groups">${groups}</p><pre id="claims">${claims.replace(/</g, '&lt;')}</pre>`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    const state = url.searchParams.get('state') ?? '';
    const checks = pending.get(state);
    const done = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/html' }).end(body);
    if (!checks) return done(400, html('unknown state', 'unknown state', 'unknown state'));
    client
      .authorizationCodeGrant(config, url, checks)
      .then((t) => {
        redeemed.set(state, t);
        const claims = t.claims();
        done(200, html(`Welcome ${String(claims?.email)}`, JSON.stringify(claims?.groups), JSON.stringify(claims)));
      })
      .catch((err: unknown) => done(500, html(`failed: ${String(err)}`, 'failed', `failed: ${String(err)}`)));
  });
  await listenOn(server, port);
  return {
    redirectUri,
    async authorize(scope) {
      const { url, checks } = await authRequest(config, redirectUri, scope);
      pending.set(checks.expectedState, checks);
      return { url, state: checks.expectedState };
    },
    tokens: (state) => redeemed.get(state),
    close: () => server.close(),
  };
}
