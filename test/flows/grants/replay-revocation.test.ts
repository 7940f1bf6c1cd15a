/**
 * Replays revoke (issue 12 item 6), through a running Ferry and `openid-client`:
 * - a replayed authorization code revokes what was issued from it (RFC 6749 §4.1.2): its access token is invalid at
 *   /userinfo and inactive at introspection, and its refresh token no longer refreshes;
 * - a rotated-out refresh token presented outside the reuse interval ends the whole family (RFC 9700 §4.14.2);
 * - revoking a refresh token (RFC 7009) also makes the access tokens minted from it inactive.
 * Revocations go through storage, so the checks are made on a fresh request each time (another replica would agree
 * within its recheck interval; this one forgets nothing it has not cached).
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { newId } from '../../../src/storage/ids.js';
import { ADMIN, assertNoLeaks, assertOAuthError, type GrantsFixture, REDIRECT, SECRETS, startGrantsFerry } from './grants.config.js';

let g: GrantsFixture;
let app: client.Configuration;
before(async () => {
  g = await startGrantsFerry();
  app = await g.rp('app', client.ClientSecretPost(SECRETS.app));
});
after(async () => {
  assertNoLeaks(g.answers);
  await g.stop();
});

/** A code as /auth would have stored it for the admin user of the password DB, with offline access. */
async function storedCode(): Promise<string> {
  const id = newId();
  await g.f.ferry.deps.storage.createAuthCode({
    id, clientId: 'app', redirectURI: REDIRECT, nonce: '', scopes: ['openid', 'email', 'offline_access'], connectorId: 'local', connectorData: null,
    claims: { userId: ADMIN.userId, username: 'admin', preferredUsername: 'admin', email: ADMIN.email, emailVerified: true, groups: [] },
    expiry: new Date(Date.now() + 600_000), pkce: { codeChallenge: '', codeChallengeMethod: '' }, authTime: new Date(), sessionId: '',
  });
  return id;
}

const redeem = (code: string) => g.post('/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'app', client_secret: SECRETS.app });
const refresh = (token: string) => g.post('/token', { grant_type: 'refresh_token', refresh_token: token, client_id: 'app', client_secret: SECRETS.app });
const userinfo = (token: string) => g.request('/userinfo', { headers: { authorization: `Bearer ${token}` } });
const active = async (token: string) => (await client.tokenIntrospection(app, token)).active;
/** Past the access-token checker's recheck interval (2 s), so a cached "not revoked" is looked up again. */
const pastRecheck = () => new Promise((r) => setTimeout(r, 2100));

describe('a replayed authorization code', () => {
  test('revokes the access and refresh tokens issued from it', async () => {
    const code = await storedCode();
    const first = await redeem(code);
    assert.equal(first.status, 200);
    const access = String(first.json.access_token);
    const refreshToken = String(first.json.refresh_token);
    assert.equal((await userinfo(access)).status, 200, 'valid before the replay');
    assert.equal(await active(access), true);

    assertOAuthError(await redeem(code), 400, 'invalid_grant');
    await pastRecheck();
    assertOAuthError(await userinfo(access), 401, 'invalid_token');
    assert.equal(await active(access), false);
    assert.equal((await g.post('/token/introspect', { token: refreshToken })).json.active, false);
    assertOAuthError(await refresh(refreshToken), 400, 'invalid_request');
  });

  test('a code that never existed revokes nothing and is invalid_grant', async () => {
    const code = await storedCode();
    const ok = await redeem(code);
    assertOAuthError(await redeem(newId()), 400, 'invalid_grant');
    assert.equal((await userinfo(String(ok.json.access_token))).status, 200);
  });
});

describe('refresh token families', () => {
  test('a rotated-out refresh token replayed outside the reuse interval ends the family', async () => {
    const first = await redeem(await storedCode());
    const t0 = String(first.json.refresh_token);
    const second = await refresh(t0);
    assert.equal(second.status, 200);
    const t1 = String(second.json.refresh_token);
    const access1 = String(second.json.access_token);
    assert.notEqual(t1, t0);
    assert.equal((await userinfo(access1)).status, 200);

    assertOAuthError(await refresh(t0), 400, 'invalid_request');
    await pastRecheck();
    assertOAuthError(await refresh(t1), 400, 'invalid_request', undefined);
    assertOAuthError(await userinfo(access1), 401, 'invalid_token');
    assert.equal(await active(access1), false);
    assert.equal(await active(String(first.json.access_token)), false, 'the first access token of the family too');
  });

  test('RFC 7009: revoking a refresh token makes its access tokens inactive', async () => {
    const tokens = await client.genericGrantRequest(app, 'password', { username: ADMIN.email, password: ADMIN.password, scope: 'openid offline_access' });
    const refreshed = await client.refreshTokenGrant(app, tokens.refresh_token!);
    assert.equal(await active(refreshed.access_token), true);
    await client.tokenRevocation(app, refreshed.refresh_token!);
    await pastRecheck();
    assert.equal(await active(tokens.access_token), false, 'minted with the refresh token by the password grant');
    assert.equal(await active(refreshed.access_token), false, 'minted from it by the refresh grant');
    assertOAuthError(await userinfo(refreshed.access_token), 401, 'invalid_token');
  });
});
