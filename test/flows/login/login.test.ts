/**
 * Complete logins as a relying party sees them, with `openid-client` as the client and a scripted browser:
 * code + PKCE for a public client, client_secret_basic and client_secret_post for a confidential one,
 * ID token verified against /keys, userinfo, refresh with rotation.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { DEX_V2_45_ENV, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { decodeEntities, readForm, UserAgent } from '../../helpers/user-agent.js';
import { ADMIN, loginConfig, REDIRECT } from './login.config.js';

let f: TestFerry;
before(async () => {
  // dex v2.45.1's flow: every login shows the approval page (sessions: test/flows/sessions/).
  f = await startTestFerry(await loginConfig(), { env: DEX_V2_45_ENV });
});
after(() => f.stop());

const insecure = { execute: [client.allowInsecureRequests] };

async function rp(clientId: string, auth: client.ClientAuth, secret?: string) {
  return client.discovery(new URL(f.issuer), clientId, secret, auth, insecure);
}

/** Drives the browser part: connector choice (when several), password form, approval. Returns the callback URL. */
async function browserLogin(authUrl: URL, connector: 'local' | 'mock'): Promise<URL> {
  const ua = new UserAgent(f.issuer);
  let page = await ua.browse(authUrl.href);
  assert.equal(page.status, 200, 'connector list shown');
  const link = [...page.html.matchAll(/href="([^"]*\/auth\/([^"?/]+)\?[^"]*)"/g)].find((m) => m[2] === connector);
  assert.ok(link?.[1], `a link to connector ${connector}`);
  page = await ua.browse(new URL(decodeEntities(link[1]), f.issuer).href);
  if (connector === 'local') {
    assert.match(page.html, /Email Address/);
    page = await ua.submit(readForm(page), { login: ADMIN.email, password: ADMIN.password });
  }
  assert.equal(page.status, 200, 'approval page shown');
  assert.match(page.html, /Public App|Confidential App/);
  page = await ua.submit(readForm(page), { approval: 'approve' });
  assert.ok(page.redirect, 'redirected to the client');
  return page.redirect;
}

describe('code flow with openid-client', () => {
  test('public client, PKCE S256, password DB: ID token, userinfo, refresh rotation', async () => {
    const config = await rp('public-app', client.None());
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid email profile groups offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await browserLogin(authUrl, 'local');
    assert.equal(callback.origin + callback.pathname, REDIRECT);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.iss, f.issuer);
    assert.equal(claims.aud, 'public-app');
    assert.equal(claims.sub, encodeSubject(ADMIN.userId, 'local'));
    assert.equal(claims.email, ADMIN.email);
    assert.equal(claims.email_verified, true);
    assert.deepEqual(claims.groups, ['team-a', 'team-a/admins']);
    assert.equal(claims.name, 'Admin User');
    assert.equal(claims.preferred_username, 'admin');
    assert.equal(typeof claims.at_hash, 'string');
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');

    const jwks = createRemoteJWKSet(new URL(`${f.issuer}/keys`));
    const { protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: f.issuer, audience: 'public-app' });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.match(protectedHeader.kid ?? '', /^[0-9a-f]{40}$/);

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.email, ADMIN.email);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'rotated');
    assert.equal(refreshed.claims()?.sub, claims.sub);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token!), (err: unknown) => {
      assert.ok(err instanceof client.ResponseBodyError);
      assert.equal(err.error, 'invalid_request');
      return true;
    });
  });

  for (const [name, auth] of [
    ['client_secret_basic', client.ClientSecretBasic('conf-secret')],
    ['client_secret_post', client.ClientSecretPost('conf-secret')],
  ] as const) {
    test(`confidential client with ${name}, mock callback connector`, async () => {
      const config = await rp('conf-app', auth, 'conf-secret');
      const state = client.randomState();
      const authUrl = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid email groups federated:id', state });
      const callback = await browserLogin(authUrl, 'mock');
      const tokens = await client.authorizationCodeGrant(config, callback, { expectedState: state });
      const claims = tokens.claims();
      assert.equal(claims?.sub, 'Cg0wLTM4NS0yODA4OS0wEgRtb2Nr', 'dex sub encoding of (0-385-28089-0, mock)');
      assert.deepEqual(claims?.groups, ['authors']);
      assert.deepEqual(claims?.federated_claims, { connector_id: 'mock', user_id: '0-385-28089-0' });
      assert.equal(tokens.refresh_token, undefined, 'no offline_access, no refresh token');
    });
  }

  test('wrong client secret is invalid_client', async () => {
    const config = await rp('conf-app', client.ClientSecretBasic('nope'), 'nope');
    const state = client.randomState();
    const authUrl = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', state });
    const callback = await browserLogin(authUrl, 'mock');
    await assert.rejects(client.authorizationCodeGrant(config, callback, { expectedState: state }), (err: unknown) => {
      // A 401 with WWW-Authenticate surfaces as a challenge error in openid-client; the body still says invalid_client.
      const e = err as { status?: number; error?: string; response?: Response; name?: string };
      assert.equal(e.status ?? e.response?.status, 401, String(e.name));
      return true;
    });
  });

  test('public client without registered URIs: out-of-band code page', async () => {
    const ua = new UserAgent(f.issuer);
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    const q = new URLSearchParams({ client_id: 'cli-app', redirect_uri: 'urn:ietf:wg:oauth:2.0:oob', response_type: 'code', scope: 'openid', connector_id: 'mock', code_challenge: challenge, code_challenge_method: 'S256' });
    let page = await ua.browse(`${f.issuer}/auth?${q}`);
    page = await ua.submit(readForm(page), { approval: 'approve' });
    assert.equal(page.status, 200);
    const code = /<textarea[^>]*>([a-z0-9]{20,})<\/textarea>/.exec(page.html)?.[1];
    assert.ok(code, 'the code is shown on the page');
    const r = await fetch(`${f.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: 'cli-app', redirect_uri: 'urn:ietf:wg:oauth:2.0:oob', code_verifier: verifier }),
    });
    assert.equal(r.status, 200, 'the out-of-band code redeems');
  });
});
