/**
 * client_credentials, password and token exchange as clients see them, driven by `openid-client`
 * (`clientCredentialsGrant`, `genericGrantRequest`), with exact errors for what a client gets wrong.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { encodeSubject } from '../../../src/server/tokens/subject.js';
import {
  ACCESS_TOKEN_TYPE, ADMIN, assertNoLeaks, assertOAuthError, EXCHANGE_GRANT, type GrantsFixture, ID_TOKEN_TYPE, SECRETS, startGrantsFerry,
} from './grants.config.js';

let g: GrantsFixture;
let app: client.Configuration;
before(async () => {
  g = await startGrantsFerry();
  app = await g.rp('app', client.ClientSecretBasic(SECRETS.app));
});
after(async () => {
  assertNoLeaks(g.answers);
  await g.stop();
});

const appAuth: { auth: [string, string] } = { auth: ['app', SECRETS.app] };

describe('client_credentials', () => {
  test('the client gets tokens for itself: sub without a connector, name from profile, no refresh token', async () => {
    const tokens = await client.clientCredentialsGrant(app, { scope: 'openid profile email' });
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.refresh_token, undefined);
    const claims = decodeJwt(tokens.id_token!);
    assert.equal(claims.sub, encodeSubject('app', ''));
    assert.equal(claims.aud, 'app');
    assert.equal(claims.name, 'App');
    assert.equal(claims.preferred_username, 'App');
    assert.equal(claims.email_verified, false);
    assert.equal(decodeJwt(tokens.access_token).sub, claims.sub);
  });

  test('no openid scope: an access token only', async () => {
    const tokens = await client.clientCredentialsGrant(app, {});
    assert.equal(tokens.id_token, undefined);
    assert.equal(decodeJwt(tokens.access_token).aud, 'app');
  });

  test('refused and unknown scopes, public clients, cross-client trust', async () => {
    const cc = (scope: string, init = appAuth) => g.post('/token', { grant_type: 'client_credentials', scope }, init);
    assertOAuthError(await cc('openid offline_access'), 400, 'invalid_scope', 'client_credentials grant does not support offline_access scope.');
    assertOAuthError(await cc('openid federated:id'), 400, 'invalid_scope', 'client_credentials grant does not support federated:id scope.');
    assertOAuthError(await cc('openid admin'), 400, 'invalid_scope', 'Unrecognized scope(s) ["admin"]');
    assertOAuthError(await cc('openid audience:server:client_id:public-app'), 400, 'invalid_scope', /Client can't request scope/);
    const trusted = await cc('openid audience:server:client_id:other');
    assert.equal(trusted.status, 200, trusted.text);
    assert.deepEqual(decodeJwt(String(trusted.json.id_token)).aud, ['other', 'app']);
    const pub = await g.post('/token', { grant_type: 'client_credentials', client_id: 'public-app' });
    assertOAuthError(pub, 400, 'unauthorized_client', 'Public clients cannot use client_credentials grant.');
    assertOAuthError(await cc('openid', { auth: ['app', 'wrong'] }), 401, 'invalid_client');
  });
});

describe('password grant (oauth2.passwordConnector: local)', () => {
  const pw = (form: Record<string, string>) =>
    client.genericGrantRequest(app, 'password', { username: ADMIN.email, password: ADMIN.password, scope: 'openid email groups offline_access', ...form });

  test('the password DB user gets tokens and a refresh token that refreshes', async () => {
    const tokens = await pw({});
    const claims = tokens.claims();
    assert.equal(claims?.sub, encodeSubject(ADMIN.userId, 'local'));
    assert.equal(claims?.email, ADMIN.email);
    assert.deepEqual(claims?.groups, ['team-a']);
    assert.ok(tokens.refresh_token);
    const refreshed = await client.refreshTokenGrant(app, tokens.refresh_token);
    assert.equal(refreshed.claims()?.sub, claims?.sub);
  });

  test('wrong password: 401 access_denied; scope and parameter errors are invalid_request', async () => {
    const post = (form: Record<string, string>) =>
      g.post('/token', { grant_type: 'password', username: ADMIN.email, password: ADMIN.password, scope: 'openid', ...form }, appAuth);
    assertOAuthError(await post({ password: 'wrong' }), 401, 'access_denied', 'Invalid username or password.');
    assertOAuthError(await post({ username: 'nobody@example.com' }), 401, 'access_denied');
    assertOAuthError(await post({ scope: 'email' }), 400, 'invalid_request', 'Missing required scope(s) ["openid"].');
    assertOAuthError(await post({ scope: 'openid admin' }), 400, 'invalid_request', 'Unrecognized scope(s) ["admin"]');
    assertOAuthError(await post({ username: '' }), 400, 'invalid_request', 'Required param: username.');
    assertOAuthError(await post({ password: '' }), 400, 'invalid_request', 'Required param: password.');
  });
});

describe('token exchange (RFC 8693) with the mockCallback connector', () => {
  const exchange = (form: Record<string, string>) =>
    client.genericGrantRequest(app, EXCHANGE_GRANT, { connector_id: 'mock', subject_token: 'upstream-token', subject_token_type: ID_TOKEN_TYPE, scope: 'openid email', ...form });

  test('an upstream ID token becomes a Ferry access token (default) or ID token', async () => {
    const access = await exchange({});
    assert.equal(access.issued_token_type, ACCESS_TOKEN_TYPE);
    assert.equal(access.refresh_token, undefined);
    assert.equal(access.id_token, undefined);
    const claims = decodeJwt(access.access_token);
    assert.equal(claims.sub, encodeSubject('0-385-28089-0', 'mock'));
    assert.equal(claims.email, 'kilgore@kilgore.trout');
    assert.equal(claims.aud, 'app');

    const id = await exchange({ subject_token_type: ACCESS_TOKEN_TYPE, requested_token_type: ID_TOKEN_TYPE });
    assert.equal(id.issued_token_type, ID_TOKEN_TYPE);
    assert.equal(decodeJwt(id.access_token).at_hash, undefined, 'an exchanged ID token has no at_hash');
    assert.ok(typeof id.expires_in === 'number' && id.expires_in > 0);
  });

  test('bad token types, missing subject token, connectors that cannot exchange', async () => {
    const post = (form: Record<string, string>) =>
      g.post('/token', { grant_type: EXCHANGE_GRANT, connector_id: 'mock', subject_token: 't', subject_token_type: ID_TOKEN_TYPE, ...form }, appAuth);
    assertOAuthError(await post({ subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' }), 400, 'request_not_supported', 'Invalid subject_token_type.');
    assertOAuthError(await post({ subject_token_type: '' }), 400, 'request_not_supported');
    assertOAuthError(await post({ requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }), 400, 'request_not_supported', 'Invalid requested_token_type.');
    assertOAuthError(await post({ subject_token: '' }), 400, 'invalid_request', 'Missing subject_token.');
    assertOAuthError(await post({ connector_id: '' }), 400, 'invalid_request', 'Requested connector does not exist.');
    assertOAuthError(await post({ connector_id: 'nope' }), 400, 'invalid_request', 'Requested connector does not exist.');
    assertOAuthError(await post({ connector_id: 'local' }), 400, 'invalid_request', 'Requested connector does not support token exchange.');
    assertOAuthError(await post({ scope: 'openid audience:server:client_id:public-app' }), 400, 'invalid_scope');
  });

  test('attack: a public client may not exchange an upstream access token (issue 12 item 7)', async () => {
    const r = await g.post('/token', { grant_type: EXCHANGE_GRANT, client_id: 'public-app', connector_id: 'mock', subject_token: 'stolen', subject_token_type: ACCESS_TOKEN_TYPE, scope: 'openid' });
    assertOAuthError(r, 400, 'unauthorized_client', 'Public clients may not exchange access tokens.');
  });
});
