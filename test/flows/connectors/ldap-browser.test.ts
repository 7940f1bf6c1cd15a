/**
 * A real browser (Debian chromium via playwright-core) logs in through Ferry with the LDAP connector, configured
 * in dex-format YAML (`type: ldap`, StartTLS, nested and POSIX groups) against the OpenLDAP peer; the relying party
 * (openid-client) redeems the code and the groups are in the ID token. A second login asks for `federated:id`
 * and `offline_access`, then refreshes through Ferry, which re-reads the user in LDAP.
 * Screenshots are kept under test-results/ldap-browser/.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { GROUPS, JOHN, ldapPeer, PEOPLE, SERVICE } from '../../fixtures/ldap/peer.js';
import { grantAccess, launchBrowser, startRelyingParty, submitPasswordForm, type RelyingParty, type TestBrowser, type Tokens } from '../../helpers/browser.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';

const JOHN_GROUPS = ['developers', 'engineering', 'all-staff', 'posix-users', 'posix-ops'];
const peer = ldapPeer();

let f: TestFerry;
let rp: RelyingParty;
let rpURL = '';
let browser: TestBrowser;
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
  browser = await launchBrowser('ldap-browser');
  const port = await freePort();
  rpURL = `http://127.0.0.1:${port}/callback`;
  f = await startTestFerry(ferryYaml);
  oidc = await client.discovery(new URL(f.issuer), 'public-app', undefined, client.None(), { execute: [client.allowInsecureRequests] });
  rp = await startRelyingParty(oidc, port);
});

after(async () => {
  await browser?.close();
  rp?.close();
  await f?.stop();
});

/** Drives chromium through Ferry's LDAP login; a wrong password first when `shots` is set. */
async function browserLogin(scope: string, shots: boolean): Promise<{ tokens?: Tokens }> {
  const { url, state } = await rp.authorize(scope);
  const page = await browser.page();
  await browser.context.clearCookies(); // a fresh browser: no session from the test before
  await page.goto(url.href);
  const shot = async (name: string) => (shots ? browser.screenshot(page, name) : undefined);

  if (shots) {
    await submitPasswordForm(page, 'Email or username', JOHN.email, 'not-the-password');
    await page.getByRole('alert').waitFor();
    await shot('1-wrong-password.png');
  }
  await submitPasswordForm(page, 'Email or username', JOHN.email, JOHN.password);
  await grantAccess(page, rpURL, () => shot('2-approval.png'));
  await shot('3-client.png');
  assert.equal(await page.locator('#result').textContent(), `Welcome ${JOHN.email}`);
  const tokens = rp.tokens(state);
  assert.ok(tokens, 'the relying party redeemed the code');
  return { tokens };
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
