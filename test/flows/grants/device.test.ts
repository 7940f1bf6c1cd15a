/**
 * The device flow (RFC 8628) as a device sees it: `openid-client` asks for codes and polls while a scripted user
 * types the user code, logs in and approves in a browser. The server clock moves 6 s per poll (through the RP's
 * fetch), so polls never come "too early" and the test never waits 5 s; slow_down and expiry are driven by hand.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { decodeEntities, readForm, UserAgent, type Page } from '../../helpers/user-agent.js';
import { assertNoLeaks, assertOAuthError, DEVICE_GRANT, type GrantsFixture, SECRETS, startGrantsFerry } from './grants.config.js';

let g: GrantsFixture;
before(async () => {
  g = await startGrantsFerry();
});
after(async () => {
  assertNoLeaks(g.answers);
  await g.stop();
});

/** An RP whose every token request moves the server clock past the poll interval. */
async function deviceRp(clientId: string, auth: client.ClientAuth): Promise<client.Configuration> {
  const config = await g.rp(clientId, auth);
  config[client.customFetch] = (url, options) => {
    if (String(url).endsWith('/token')) g.clock.advance(6_000);
    return fetch(url, options as RequestInit);
  };
  return config;
}

/** The user's browser: the verification page, the user code, the connector, consent. Returns the last page. */
async function userCompletes(verificationURI: string, userCode: string | null, approval = 'approve'): Promise<Page> {
  const ua = new UserAgent(g.f.issuer);
  let page = await ua.browse(verificationURI);
  assert.equal(page.status, 200);
  assert.match(page.html, /Connect a device/);
  page = await ua.submit(readForm(page), userCode === null ? {} : { user_code: userCode });
  assert.equal(page.status, 200, page.html.slice(0, 300));
  const link = [...page.html.matchAll(/href="([^"]*\/auth\/mock\?[^"]*)"/g)][0]?.[1];
  assert.ok(link, 'the connector list offers the mock connector');
  page = await ua.browse(new URL(decodeEntities(link), g.f.issuer).href);
  assert.match(page.html, /TV App|Confidential Device/, 'the approval page names the client');
  return ua.submit(readForm(page), { approval });
}

const fast = (r: client.DeviceAuthorizationResponse) => ({ ...r, interval: 0.05 });

describe('device flow with openid-client', () => {
  test('public client: codes, user completes in the browser, polling yields tokens for the user', async () => {
    const config = await deviceRp('device-public', client.None());
    const resp = await client.initiateDeviceAuthorization(config, { scope: 'openid email profile offline_access' });
    assert.match(resp.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    assert.equal(resp.verification_uri, `${g.f.issuer}/device`);
    assert.equal(resp.verification_uri_complete, `${g.f.issuer}/device?user_code=${resp.user_code}`);
    assert.equal(resp.expires_in, 300);
    assert.equal(resp.interval, 5);
    const [tokens, page] = await Promise.all([
      client.pollDeviceAuthorizationGrant(config, fast(resp)),
      userCompletes(resp.verification_uri_complete!, null),
    ]);
    assert.equal(page.status, 200);
    assert.match(page.html, /Login successful for TV App/);
    const claims = tokens.claims();
    assert.equal(claims?.sub, encodeSubject('0-385-28089-0', 'mock'));
    assert.equal(claims?.aud, 'device-public');
    assert.equal(claims?.email, 'kilgore@kilgore.trout');
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');
    assert.equal(decodeJwt(tokens.access_token).sub, claims?.sub);
  });

  test('confidential client with its secret and PKCE S256; the user types the code in lower case', async () => {
    const config = await deviceRp('device-conf', client.ClientSecretBasic(SECRETS.device));
    const verifier = client.randomPKCECodeVerifier();
    const resp = await client.initiateDeviceAuthorization(config, {
      scope: 'openid groups',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const typed = resp.user_code.toLowerCase().replace('-', ' ');
    const [tokens] = await Promise.all([
      client.pollDeviceAuthorizationGrant(config, fast(resp), { code_verifier: verifier }),
      userCompletes(resp.verification_uri, typed),
    ]);
    assert.deepEqual(tokens.claims()?.groups, ['authors']);
    assert.equal(tokens.claims()?.aud, 'device-conf');
    // Polling again returns the same tokens until the code expires (as dex), and still needs the verifier.
    const again = await g.post('/token', { grant_type: DEVICE_GRANT, device_code: resp.device_code, code_verifier: verifier });
    assert.equal(again.status, 200);
    assert.equal(again.json.access_token, tokens.access_token);
    const wrong = await g.post('/token', { grant_type: DEVICE_GRANT, device_code: resp.device_code, code_verifier: 'x'.repeat(43) });
    assertOAuthError(wrong, 400, 'invalid_grant', 'Invalid code_verifier.');
    const other = await g.post('/token', { grant_type: DEVICE_GRANT, device_code: resp.device_code, code_verifier: verifier, client_id: 'device-public' });
    assertOAuthError(other, 400, 'invalid_grant', 'The device code was issued to another client.');
  });

  test('the user denies consent: the device gets access_denied', async () => {
    const config = await deviceRp('device-public', client.None());
    const resp = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
    const [polled, page] = await Promise.all([
      client.pollDeviceAuthorizationGrant(config, fast(resp)).then(() => null, (err: unknown) => err),
      userCompletes(resp.verification_uri_complete!, null, 'deny'),
    ]);
    assert.equal(page.status, 403);
    assert.match(page.html, /You denied the request/);
    assert.ok(polled instanceof client.ResponseBodyError, String(polled));
    assert.equal(polled.error, 'access_denied');
  });
});

describe('device flow polling protocol', () => {
  const start = async () => (await g.post('/device/code', { client_id: 'device-public' })).json as Record<string, string>;
  const poll = (deviceCode: string) => g.post('/token', { grant_type: DEVICE_GRANT, device_code: deviceCode });

  test('authorization_pending, then slow_down with the interval growing by 5 s and staying grown', async () => {
    const { device_code: code } = await start();
    assertOAuthError(await poll(code!), 400, 'authorization_pending');
    assertOAuthError(await poll(code!), 400, 'slow_down', 'Polling too frequently: wait longer between requests.');
    g.clock.advance(6_000); // interval is now 10 s
    assertOAuthError(await poll(code!), 400, 'slow_down');
    g.clock.advance(14_000); // interval 15 s: 14 s is still too early
    assertOAuthError(await poll(code!), 400, 'slow_down');
    g.clock.advance(21_000);
    assertOAuthError(await poll(code!), 400, 'authorization_pending');
  });

  test('expired device code: expired_token; the user code is refused on the page', async () => {
    const { device_code: code, user_code: userCode } = await start();
    g.clock.advance(301_000);
    assertOAuthError(await poll(code!), 400, 'expired_token');
    const ua = new UserAgent(g.f.issuer);
    const page = await ua.browse(`${g.f.issuer}/device`);
    const again = await ua.submit(readForm(page), { user_code: userCode! });
    assert.equal(again.status, 400);
    assert.match(again.html, /Invalid or expired user code/);
  });

  test('a used user code cannot be entered again', async () => {
    const config = await deviceRp('device-public', client.None());
    const resp = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
    await Promise.all([client.pollDeviceAuthorizationGrant(config, fast(resp)), userCompletes(resp.verification_uri_complete!, null)]);
    const ua = new UserAgent(g.f.issuer);
    const page = await ua.browse(`${g.f.issuer}/device`);
    const again = await ua.submit(readForm(page), { user_code: resp.user_code });
    assert.equal(again.status, 400);
    assert.match(again.html, /Invalid or expired user code/);
  });
});
