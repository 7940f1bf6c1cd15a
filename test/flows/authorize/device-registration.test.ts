/**
 * The device flow for every way dex lets a client register for it (dex v2.45.1 server/oauth2.go
 * validateRedirectURI and the `/device/callback` rewrite; server/deviceflowhandlers.go verifyUserCode), driven end
 * to end with `openid-client` as the device and a scripted browser as the user, at an issuer path (`/dex`):
 * - dex's documented registration `redirectURIs: [/device/callback]` (public, and confidential with a secret);
 * - a public client without redirect URIs;
 * - the full issuer path `/dex/device/callback` (a Ferry extension: dex sends `/device/callback` and refuses it).
 * Clients dex refuses stay refused: a confidential client without the device callback, a public client with only
 * other redirect URIs.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { DEX_V2_45_ENV, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
let offset = 0;
let f: TestFerry;

before(async () => {
  f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
oauth2:
  grantTypes: [authorization_code, refresh_token, '${DEVICE_GRANT}']
connectors:
- type: mockCallback
  id: mock
  name: Mock
staticClients:
- id: documented
  name: Documented Device
  public: true
  redirectURIs: [/device/callback]
- id: documented-conf
  name: Confidential Device
  secret: conf-secret
  redirectURIs: [/device/callback]
- id: bare-public
  name: Bare Public
  public: true
- id: full-path
  name: Full Path
  public: true
  redirectURIs: ['${new URL(issuer).pathname}/device/callback']
- id: web-only
  name: Web Only
  public: true
  redirectURIs: [https://app.example.com/cb]
- id: conf-no-uris
  name: Confidential Without URIs
  secret: s3
`, { now: () => new Date(Date.now() + offset), env: DEX_V2_45_ENV }); // dex v2.45.1's flow: approval on every login
});
after(() => f.stop());

async function rp(clientId: string, auth: client.ClientAuth): Promise<client.Configuration> {
  const config = await client.discovery(new URL(f.issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
  // Each poll moves the server clock past the 5 s interval, so no poll is "too early".
  config[client.customFetch] = (url, options) => {
    if (String(url).endsWith('/token')) offset += 6_000;
    return fetch(url, options as RequestInit);
  };
  return config;
}

/** The user types the code, logs in with the only connector, approves; returns the final page. */
async function userCompletes(userCode: string) {
  const ua = new UserAgent(f.issuer);
  let page = await ua.browse(`${f.issuer}/device`);
  assert.equal(page.status, 200);
  page = await ua.submit(readForm(page), { user_code: userCode });
  assert.equal(page.status, 200, page.html.slice(0, 400));
  page = await ua.submit(readForm(page), { approval: 'approve' });
  return { page, ua };
}

describe('device flow: every registration dex accepts', () => {
  const shapes: [string, string, client.ClientAuth][] = [
    ['dex documented: public, redirectURIs [/device/callback]', 'documented', client.None()],
    ['dex documented shape, confidential with its secret', 'documented-conf', client.ClientSecretBasic('conf-secret')],
    ['public client without redirect URIs', 'bare-public', client.None()],
    ['registered with the issuer path (/dex/device/callback)', 'full-path', client.None()],
  ];
  for (const [name, id, auth] of shapes) {
    test(`${name}: codes, browser login at /dex/device/callback, tokens by polling`, async () => {
      const config = await rp(id, auth);
      const resp = await client.initiateDeviceAuthorization(config, { scope: 'openid email' });
      const { page } = await userCompletes(resp.user_code);
      assert.equal(new URL(page.url).pathname, '/dex/device/callback', 'the browser came back to the issuer-path callback');
      assert.equal(page.status, 200, page.html.slice(0, 400));
      assert.match(page.html, /Login successful/);
      const tokens = await client.pollDeviceAuthorizationGrant(config, { ...resp, interval: 0.01 });
      assert.equal(tokens.claims()?.aud, id);
      assert.equal(tokens.claims()?.email, 'kilgore@kilgore.trout');
    });
  }

  test('/auth accepts the shorthand redirect_uri for the documented client and answers at the issuer path', async () => {
    const ua = new UserAgent(f.issuer);
    // A public client: Ferry requires S256 PKCE for it (oauth2.pkce.requireS256ForPublicClients), as its own device page sends.
    const q = new URLSearchParams({
      client_id: 'documented',
      redirect_uri: '/device/callback',
      response_type: 'code',
      scope: 'openid',
      state: 'BCDF-GHJK',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const approval = await ua.browse(`${f.issuer}/auth?${q}`);
    assert.equal(approval.status, 200);
    const r = await ua.request(readForm(approval).action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...readForm(approval).fields, approval: 'approve' }).toString(),
    });
    assert.equal(r.status, 303);
    const loc = new URL(r.headers.get('location') ?? '', f.issuer);
    assert.equal(loc.pathname, '/dex/device/callback');
    assert.match(loc.searchParams.get('code') ?? '', /^[a-z0-9]{20,}$/);
    assert.equal(loc.searchParams.get('state'), 'BCDF-GHJK');
  });
});

describe('device flow: registrations dex refuses stay refused', () => {
  for (const [id, secret] of [['web-only', ''], ['conf-no-uris', 's3']] as const) {
    test(`${id}: /device/code answers unauthorized_client, /auth refuses the shorthand`, async () => {
      const body = new URLSearchParams({ client_id: id, scope: 'openid' });
      if (secret) body.set('client_secret', secret);
      const r = await fetch(`${f.issuer}/device/code`, { method: 'POST', body });
      assert.equal(r.status, 400);
      assert.equal((await r.json() as { error: string }).error, 'unauthorized_client');
      const q = new URLSearchParams({ client_id: id, redirect_uri: '/device/callback', response_type: 'code', scope: 'openid', state: 'x' });
      const page = await fetch(`${f.issuer}/auth?${q}`, { redirect: 'manual' });
      assert.equal(page.status, 400);
      assert.match(await page.text(), /Unregistered redirect_uri/);
    });
  }
});
