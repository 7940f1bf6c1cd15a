/**
 * Introspection (RFC 7662, dex's fields) and revocation (RFC 7009, beyond dex) driven by `openid-client`
 * (`tokenIntrospection`, `tokenRevocation`): revoked access tokens turn inactive at introspection and invalid at
 * userinfo, revoked refresh tokens stop refreshing, and other clients' tokens are left alone with a 200.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import { ADMIN, assertNoLeaks, assertOAuthError, type GrantsFixture, SECRETS, startGrantsFerry } from './grants.config.js';

let g: GrantsFixture;
let app: client.Configuration;
let other: client.Configuration;
before(async () => {
  g = await startGrantsFerry();
  app = await g.rp('app', client.ClientSecretPost(SECRETS.app));
  other = await g.rp('other', client.ClientSecretBasic(SECRETS.other));
});
after(async () => {
  assertNoLeaks(g.answers);
  await g.stop();
});

const login = () =>
  client.genericGrantRequest(app, 'password', { username: ADMIN.email, password: ADMIN.password, scope: 'openid email profile groups offline_access' });

const userinfo = (token: string) => g.request('/userinfo', { headers: { authorization: `Bearer ${token}` } });

describe('introspection', () => {
  test('an access token: dex fields, in dex order', async () => {
    const tokens = await login();
    const r = await client.tokenIntrospection(app, tokens.access_token);
    assert.equal(r.active, true);
    assert.deepEqual(Object.keys(r), ['active', 'client_id', 'sub', 'exp', 'iat', 'nbf', 'username', 'aud', 'iss', 'token_type', 'token_use', 'ext']);
    assert.equal(r.client_id, 'app');
    assert.equal(r.sub, encodeSubject(ADMIN.userId, 'local'));
    assert.equal(r.username, 'admin');
    assert.equal(r.aud, 'app');
    assert.equal(r.iss, g.f.issuer);
    assert.equal(r.token_type, 'Bearer');
    assert.equal(r.token_use, 'access_token');
    assert.equal(r.nbf, r.iat);
    assert.deepEqual(r.ext, { email: ADMIN.email, email_verified: true, groups: ['team-a'], name: 'admin', preferred_username: 'admin' });
  });

  test('a refresh token: active with exp = iat (no absolute lifetime); garbage is inactive; no client auth needed', async () => {
    const tokens = await login();
    const r = await g.post('/token/introspect', { token: tokens.refresh_token!, token_type_hint: 'refresh_token' });
    assert.equal(r.status, 200);
    assert.equal(r.json.token_use, 'refresh_token');
    assert.equal(r.json.client_id, 'app');
    assert.equal(r.json.exp, r.json.iat);
    for (const token of ['garbage', `${tokens.access_token}x`, 'a.b.c']) {
      const inactive = await g.post('/token/introspect', { token });
      assert.equal(inactive.status, 200);
      assert.deepEqual(inactive.json, { active: false });
      assert.equal(inactive.headers.get('cache-control'), 'no-store');
    }
  });

  test('client authentication is optional but checked when sent', async () => {
    const tokens = await login();
    const bad = await g.post('/token/introspect', { token: tokens.access_token }, { auth: ['app', 'wrong'] });
    assertOAuthError(bad, 401, 'invalid_client');
    assert.match(bad.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    assertOAuthError(await g.post('/token/introspect', { token: tokens.access_token, client_id: 'nobody' }), 401, 'invalid_client');
    const ok = await client.tokenIntrospection(other, tokens.access_token);
    assert.equal(ok.active, true, 'another client may introspect, as in dex');
  });
});

describe('revocation', () => {
  test('revoking an access token: introspection inactive, userinfo invalid_token, the refresh token still works', async () => {
    const tokens = await login();
    assert.equal((await userinfo(tokens.access_token)).status, 200);
    await client.tokenRevocation(app, tokens.access_token, { token_type_hint: 'access_token' });
    assert.equal((await client.tokenIntrospection(app, tokens.access_token)).active, false);
    const ui = await userinfo(tokens.access_token);
    assert.equal(ui.status, 401);
    assert.match(ui.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    await client.tokenRevocation(app, tokens.access_token); // twice is fine
    const refreshed = await client.refreshTokenGrant(app, tokens.refresh_token!);
    assert.equal((await client.tokenIntrospection(app, refreshed.access_token)).active, true);
  });

  test('revoking a refresh token: it no longer refreshes or introspects', async () => {
    const tokens = await login();
    await client.tokenRevocation(app, tokens.refresh_token!);
    assert.equal((await client.tokenIntrospection(app, tokens.refresh_token!)).active, false);
    const r = await g.post('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: 'app', client_secret: SECRETS.app });
    assertOAuthError(r, 400, 'invalid_request', 'Refresh token is invalid or has already been claimed by another client.');
    // A new login gets a new refresh token; the OfflineSessions link was removed, not left dangling.
    const again = await login();
    assert.ok(again.refresh_token);
    assert.equal((await client.tokenIntrospection(app, again.refresh_token)).active, true);
  });

  test('another client\'s tokens are not revoked, and the answer is still 200 (RFC 7009 §2.2)', async () => {
    const tokens = await login();
    await client.tokenRevocation(other, tokens.access_token);
    await client.tokenRevocation(other, tokens.refresh_token!);
    await client.tokenRevocation(other, 'not-a-token-at-all');
    assert.equal((await client.tokenIntrospection(app, tokens.access_token)).active, true);
    assert.equal((await client.tokenIntrospection(app, tokens.refresh_token!)).active, true);
  });

  test('client authentication is required', async () => {
    const tokens = await login();
    assertOAuthError(await g.post('/token/revoke', { token: tokens.access_token }), 401, 'invalid_client');
    assertOAuthError(await g.post('/token/revoke', { token: tokens.access_token }, { auth: ['app', 'nope'] }), 401, 'invalid_client');
    assertOAuthError(await g.post('/token/revoke', {}, { auth: ['app', SECRETS.app] }), 400, 'invalid_request', 'Required param: token.');
    assert.equal((await client.tokenIntrospection(app, tokens.access_token)).active, true);
  });
});
