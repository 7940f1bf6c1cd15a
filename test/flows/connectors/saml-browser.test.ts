/**
 * End to end through a real browser (Debian chromium via playwright-core): a relying party (openid-client) sends
 * the user to Ferry, Ferry auto-POSTs an AuthnRequest to a real SAML IdP, the user signs in on the IdP's own form,
 * the IdP auto-POSTs the signed response to Ferry's /callback, the user approves, and the client's ID token
 * carries the IdP's groups and `federated_claims` {connector_id, user_id}. Once with the samlify IdP (Ferry on a
 * random port: that IdP trusts any loopback ACS URL ending in /callback) and once with SimpleSAMLphp (Ferry on the
 * fixed ACS port its metadata lists). Afterwards the captured SAMLResponse is replayed against the spent request.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { startFerry } from '../../../src/cli/start.js';
import { parseConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { grantAccess, launchBrowser, startRelyingParty, type TestBrowser } from '../../helpers/browser.js';
import { freePort } from '../../helpers/ferry.js';

let browser: TestBrowser;

function env(name: string, script: string): string {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: start the IdP with ${script} (node scripts/test.mjs --peers saml-idp,simplesamlphp does it)`);
  return v;
}

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

interface IdpSetup {
  /** The connector's config lines (YAML, indented under `config:`), given Ferry's issuer. */
  connector(issuer: string): string;
  /** Ferry's port: fixed when the IdP only knows one ACS URL. */
  port: number | null;
  /** The NameID this IdP sends for janedoe (Ferry's user id). */
  userId: string;
}

const yaml = (issuer: string, listen: string, rp: string, connector: string) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
connectors:
- type: saml
  id: corp-idp
  name: Corporate SSO
  config:
${connector}
staticClients:
- id: public-app
  name: Public App
  public: true
  redirectURIs: ['${rp}']
`;

async function loginThroughFerry(setup: IdpSetup): Promise<void> {
  const port = setup.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}/dex`;
  const rpPort = await freePort();
  const rpURL = `http://127.0.0.1:${rpPort}/callback`;
  const { config } = parseConfig(yaml(issuer, `127.0.0.1:${port}`, rpURL, setup.connector(issuer)), {});
  const ferry = await startFerry(config, { logger: silentLogger(), env: {} });
  const oidc = await client.discovery(new URL(issuer), 'public-app', undefined, client.None(), { execute: [client.allowInsecureRequests] });
  const rp = await startRelyingParty(oidc, rpPort);
  try {
    const { url: authUrl } = await rp.authorize('openid email profile groups federated:id');
    const page = await browser.context.newPage();
    let samlPost = '';
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url() === `${issuer}/callback`) samlPost = r.postData() ?? '';
    });
    await page.goto(authUrl.href);
    if (await page.getByRole('link', { name: /Corporate SSO/ }).count()) await page.getByRole('link', { name: /Corporate SSO/ }).click();
    await page.getByLabel(/username/i).fill('janedoe');
    await page.getByLabel(/password/i).fill('foo');
    await page.getByRole('button', { name: /sign in|login|log in/i }).click();
    await grantAccess(page, rpURL);
    const claims = JSON.parse((await page.locator('#claims').textContent()) ?? '{}') as Record<string, unknown>;
    await page.close();

    assert.equal(claims.email, 'janedoe@example.org');
    assert.deepEqual(claims.groups, ['admins', 'developers']);
    const fed = claims.federated_claims as { connector_id: string; user_id: string };
    assert.equal(fed.connector_id, 'corp-idp');
    assert.equal(fed.user_id, setup.userId, 'the IdP NameID is the user id');

    // The response, replayed against the request it answered (now spent), logs nobody in.
    assert.ok(samlPost.includes('SAMLResponse='), 'the browser posted a SAMLResponse to /callback');
    const replay = await fetch(`${issuer}/callback`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: samlPost, redirect: 'manual' });
    assert.equal(replay.status, 400, 'a replay against the spent auth request is refused');
    assert.equal(replay.headers.get('location'), null);
  } finally {
    rp.close();
    await ferry.stop();
  }
}

test('a user signs in through Ferry at the samlify IdP in a real browser', async () => {
  const s = 'test/peers/saml-idp/start.sh';
  await loginThroughFerry({
    port: null,
    userId: 'janedoe@example.org',
    connector: (issuer) => `
    ssoURL: ${env('FERRY_SAML_IDP_SSO_URL', s)}
    ca: ${env('FERRY_SAML_IDP_CA', s)}
    redirectURI: ${issuer}/callback
    entityIssuer: ${env('FERRY_SAML_IDP_SP_ENTITY_ID', s)}
    ssoIssuer: ${env('FERRY_SAML_IDP_ENTITY_ID', s)}
    usernameAttr: name
    emailAttr: email
    groupsAttr: groups
    nameIDPolicyFormat: emailAddress`,
  });
});

test('a user signs in through Ferry at SimpleSAMLphp in a real browser', async () => {
  const s = 'test/peers/simplesamlphp/start.sh';
  const acs = new URL(env('FERRY_SAML_SSP_ACS_URL', s));
  await loginThroughFerry({
    port: Number(acs.port),
    userId: 'janedoe',
    connector: () => `
    ssoURL: ${env('FERRY_SAML_SSP_SSO_URL', s)}
    ca: ${env('FERRY_SAML_SSP_CA', s)}
    redirectURI: ${acs.href}
    entityIssuer: ${env('FERRY_SAML_SSP_SP_ENTITY_ID', s)}
    ssoIssuer: ${env('FERRY_SAML_SSP_ENTITY_ID', s)}
    usernameAttr: name
    emailAttr: email
    groupsAttr: groups`,
  });
});
