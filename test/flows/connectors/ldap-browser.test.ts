/**
 * A real browser (Debian chromium via playwright-core) logs in through Ferry with the LDAP connector, configured
 * in dex-format YAML (`type: ldap`, StartTLS, nested and POSIX groups) against the OpenLDAP peer; the relying party
 * (openid-client) redeems the code and the groups are in the ID token. A second login asks for `federated:id`
 * and `offline_access`, then refreshes through Ferry, which re-reads the user in LDAP.
 * Screenshots are kept under test-results/ldap-browser/.
 */

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { chromium, type BrowserContext } from 'playwright-core';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { GROUPS, JOHN, ldapPeer, PEOPLE, SERVICE } from '../../fixtures/ldap/peer.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-results', 'ldap-browser');
const JOHN_GROUPS = ['developers', 'engineering', 'all-staff', 'posix-users', 'posix-ops'];
const peer = ldapPeer();

let f: TestFerry;
let rp: Server;
let rpURL = '';
let browser: BrowserContext;
let profile = '';
let oidc: client.Configuration;

const ferryYaml = (issuer: string, listen: string) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
connectors:
- type: ldap
  id: ldap
  name: OpenLDAP
  config:
    host: ${peer.host}
    startTLS: true
    rootCA: ${peer.ca}
    bindDN: ${SERVICE.bindDN}
    bindPW: ${SERVICE.bindPW}
    usernamePrompt: Email or username
    userSearch:
      baseDN: ${PEOPLE}
      filter: "(objectClass=inetOrgPerson)"
      username: [uid, mail]
      idAttr: uid
      emailAttr: mail
      nameAttr: cn
      preferredUsernameAttr: uid
    groupSearch:
      baseDN: ${GROUPS}
      filter: "(|(objectClass=groupOfNames)(objectClass=posixGroup))"
      userMatchers:
      - userAttr: DN
        groupAttr: member
        recursionGroupAttr: member
      - userAttr: uid
        groupAttr: memberUid
      nameAttr: cn
staticClients:
- id: public-app
  name: Public App
  public: true
  redirectURIs: ['${rpURL}']
`;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run test/peers/chromium/install.sh (apt-get install chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  rpURL = `http://127.0.0.1:${port}/callback`;
  f = await startTestFerry(ferryYaml);
  oidc = await client.discovery(new URL(f.issuer), 'public-app', undefined, client.None(), { execute: [client.allowInsecureRequests] });
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

interface Flow {
  verifier: string;
  nonce: string;
  tokens?: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
}
const flows = new Map<string, Flow>();

/** The relying party: redeems the code with openid-client and shows the ID token's claims. */
async function startRelyingParty(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const state = url.searchParams.get('state') ?? '';
    const flow = flows.get(state);
    const done = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/html' }).end(body);
    if (!flow) return done(400, '<h1 id="result">unknown state</h1>');
    client
      .authorizationCodeGrant(oidc, url, { pkceCodeVerifier: flow.verifier, expectedState: state, expectedNonce: flow.nonce })
      .then((t) => {
        flow.tokens = t;
        done(200, `<h1 id="result">Welcome ${String(t.claims()?.email)}</h1>`);
      })
      .catch((err: unknown) => done(500, `<h1 id="result">failed: ${String(err)}</h1>`));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** Drives chromium through Ferry's LDAP login; a wrong password first when `shots` is set. */
async function browserLogin(scope: string, shots: boolean): Promise<Flow> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const flow: Flow = { verifier, nonce: client.randomNonce() };
  flows.set(state, flow);
  const authUrl = client.buildAuthorizationUrl(oidc, {
    redirect_uri: rpURL,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce: flow.nonce,
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.setViewportSize({ width: 1024, height: 760 });
  await page.goto(authUrl.href);
  const shot = async (name: string) => (shots ? page.screenshot({ path: join(ARTIFACTS, name) }) : undefined);

  if (shots) {
    await page.getByLabel('Email or username').fill(JOHN.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: /log in|sign in/i }).click();
    await page.getByRole('alert').waitFor();
    await shot('1-wrong-password.png');
  }
  await page.getByLabel('Email or username').fill(JOHN.email);
  await page.getByLabel('Password').fill(JOHN.password);
  await page.getByRole('button', { name: /log in|sign in/i }).click();
  await page.getByRole('button', { name: /grant access/i }).waitFor();
  await shot('2-approval.png');
  await page.getByRole('button', { name: /grant access/i }).click();
  await page.waitForURL((u) => u.href.startsWith(rpURL));
  await shot('3-client.png');
  assert.equal(await page.locator('#result').textContent(), `Welcome ${JOHN.email}`);
  assert.ok(flow.tokens, 'the relying party redeemed the code');
  return flow;
}

test('a user logs in with LDAP in a real browser and their LDAP groups reach the ID token', async () => {
  const { tokens } = await browserLogin('openid email profile groups', true);
  const claims = tokens?.claims();
  assert.equal(claims?.email, JOHN.email);
  assert.equal(claims?.email_verified, true);
  assert.equal(claims?.name, 'John Doe');
  assert.equal(claims?.preferred_username, JOHN.username);
  assert.deepEqual(claims?.groups, JOHN_GROUPS);
  assert.equal(claims?.sub, encodeSubject(JOHN.username, 'ldap'));
  assert.equal(claims?.federated_claims, undefined, 'federated claims only with federated:id');
});

test('with federated:id and offline_access: federated claims, then a refresh that re-reads LDAP', async () => {
  const { tokens } = await browserLogin('openid email groups federated:id offline_access', false);
  assert.deepEqual(tokens?.claims()?.federated_claims, { connector_id: 'ldap', user_id: JOHN.username });
  assert.deepEqual(tokens?.claims()?.groups, JOHN_GROUPS);
  assert.ok(tokens?.refresh_token, 'a refresh token is issued');
  const refreshed = await client.refreshTokenGrant(oidc, tokens.refresh_token);
  assert.deepEqual(refreshed.claims()?.groups, JOHN_GROUPS);
  assert.deepEqual(refreshed.claims()?.federated_claims, { connector_id: 'ldap', user_id: JOHN.username });
  assert.equal(refreshed.claims()?.sub, tokens.claims()?.sub);
});
