/**
 * The generic `oauth` connector's options against the real upstream (oidc-provider 9.13.3 from
 * test/peers/oidc-upstream): config keys and defaults, the authorization request, groups from the userinfo
 * response and from a JWT access token, configurable claim keys, client authentication detection, offline data.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { oauth, type OauthConnector } from '../../../src/connectors/oauth/index.js';
import type { Scopes } from '../../../src/connectors/types.js';
import { ConfigError, ConnectorError, UserRefusedError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { callbackLogin, callbackRequest, startLogin } from '../../peers/oidc-upstream/callback-login.js';
import { opLogin, TEST_CALLBACK, TEST_ISSUER, upstreamEnv } from '../../peers/oidc-upstream/op-login.js';

const up = upstreamEnv();
const deps = { logger: silentLogger(), now: () => new Date(), issuer: TEST_ISSUER };
const PLAIN: Scopes = { offlineAccess: false, groups: false };
const GROUPS: Scopes = { offlineAccess: false, groups: true };
const base = {
  clientID: up.clientID,
  clientSecret: up.clientSecret,
  redirectURI: TEST_CALLBACK,
  authorizationURL: `${up.issuer}/auth`,
  tokenURL: `${up.issuer}/token`,
  userInfoURL: `${up.issuer}/me`,
  scopes: ['openid', 'profile', 'email', 'groups'],
  userIDKey: 'sub',
  claimMapping: { userNameKey: 'name' },
};
const open = async (extra: Record<string, unknown> = {}) =>
  (await oauth.open('generic', oauth.parseConfig({ ...base, ...extra }, 'connectors[1].config'), deps)) as OauthConnector;

const connectorError = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ConnectorError, `expected a ConnectorError, got ${String(err)}`);
  assert.match(err.message, pattern);
  return true;
};

describe('config', () => {
  test('dex’s defaults for the claim keys; camelCase *Key names, case-insensitive', () => {
    const c = oauth.parseConfig({ ...base, userIDKey: undefined, claimMapping: { EMAILKEY: 'mail' } }, 'c');
    assert.equal(c.userIDKey, 'id');
    assert.deepEqual(c.claimMapping, {
      userNameKey: 'user_name', preferredUsernameKey: 'preferred_username', groupsKey: 'groups', emailKey: 'mail', emailVerifiedKey: 'email_verified',
    });
  });

  test('missing endpoints are reported with their key paths', () => {
    assert.throws(
      () => oauth.parseConfig({ clientID: 'x', redirectURI: TEST_CALLBACK, tokenURL: 'nope' }, 'connectors[1].config'),
      (err: unknown) =>
        err instanceof ConfigError &&
        JSON.stringify(err.issues.map((i) => i.path).sort()) ===
          JSON.stringify(['connectors[1].config.authorizationURL', 'connectors[1].config.tokenURL', 'connectors[1].config.userInfoURL']),
    );
  });

  test('redirectURI must be <issuer>/callback', async () => {
    await assert.rejects(open({ redirectURI: 'http://127.0.0.1:9/elsewhere/callback' }), (err: unknown) => err instanceof ConfigError && /^redirectURI: must be/.test(err.message));
    await assert.rejects((await open()).loginURL(PLAIN, `${TEST_ISSUER}/callback/x`, 's'), connectorError(/did not match/));
  });
});

describe('login', () => {
  test('the authorization request carries client_id, redirect_uri, scope and state', async () => {
    const { url, state } = await startLogin(await open(), PLAIN);
    assert.equal(url.origin + url.pathname, `${up.issuer}/auth`);
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      client_id: 'ferry', redirect_uri: TEST_CALLBACK, response_type: 'code', scope: 'openid profile email groups', state,
    });
  });

  test('userinfo claims map to the identity; groups only with the groups scope', async () => {
    const conn = await open({ claimMapping: { userNameKey: 'name', preferredUsernameKey: 'preferred_username' } });
    const id = await callbackLogin(conn, GROUPS, 'janedoe');
    assert.deepEqual({ ...id }, {
      userId: 'janedoe', username: 'Jane Doe', preferredUsername: 'janedoe', email: 'janedoe@example.org',
      emailVerified: true, groups: ['admins', 'developers'], connectorData: null,
    });
    assert.deepEqual((await callbackLogin(conn, PLAIN, 'janedoe')).groups, []);
    assert.equal((await callbackLogin(conn, PLAIN, 'johndoe')).emailVerified, false);
  });

  test('configurable claim keys: userIDKey, userNameKey, emailKey, groupsKey (objects with name)', async () => {
    const conn = await open({
      scopes: ['openid', 'profile', 'email', 'groups', 'extra'],
      userIDKey: 'employee_id',
      claimMapping: { userNameKey: 'login_name', preferredUsernameKey: 'nickname', emailKey: 'mail', groupsKey: 'roles' },
    });
    const id = await callbackLogin(conn, GROUPS, 'mapped');
    assert.deepEqual([id.userId, id.username, id.preferredUsername, id.email, id.groups], ['E-1001', 'mapped.user', 'mappy', 'mapped@corp.example', ['role-a', 'role-b']]);
    await assert.rejects(callbackLogin(await open({ userIDKey: 'no_such_claim' }), PLAIN, 'janedoe'), connectorError(/not found no_such_claim claim/));
  });

  test('groups from a JWT access token are merged with (here: absent) userinfo groups', async () => {
    const conn = await open({ clientID: 'ferry-jwt', userInfoURL: `${up.issuer}/ext/userinfo` });
    const scopes: Scopes = { offlineAccess: true, groups: true };
    const id = await callbackLogin(conn, scopes, 'janedoe');
    assert.deepEqual(id.groups, ['admins', 'developers']);
    assert.equal(id.email, 'janedoe@example.org');
    // What the upstream gave: a JWT access token carrying the groups, and a userinfo response without them.
    const { AccessToken: at = '' } = JSON.parse(new TextDecoder().decode(id.connectorData ?? new Uint8Array())) as Record<string, string>;
    assert.deepEqual(decodeJwt(at).groups, ['admins', 'developers']);
    const info = (await (await fetch(`${up.issuer}/ext/userinfo`, { headers: { authorization: `Bearer ${at}` } })).json()) as Record<string, unknown>;
    assert.equal(info.sub, 'janedoe');
    assert.equal(info.groups, undefined);
    const plain = await open({ userInfoURL: `${up.issuer}/ext/userinfo` });
    await assert.rejects(callbackLogin(plain, GROUPS, 'janedoe'), connectorError(/userinfo: status 401/), 'the JWT userinfo refuses opaque tokens');
  });

  test('client authentication: Basic first, the form body when the provider refuses Basic', async () => {
    const conn = await open({ clientID: 'ferry-post' });
    assert.equal((await callbackLogin(conn, PLAIN, 'janedoe')).userId, 'janedoe');
    assert.equal((await callbackLogin(conn, PLAIN, 'johndoe')).userId, 'johndoe', 'the detected style is kept');
    const wrong = await open({ clientSecret: 'wrong-secret' });
    await assert.rejects(callbackLogin(wrong, PLAIN, 'janedoe'), connectorError(/HTTP 401 \(invalid_client\)/));
  });

  test('offline access keeps the access token as dex does; a wrong state is refused, an upstream server_error is a ConnectorError', async () => {
    const conn = await open();
    const id = await callbackLogin(conn, { offlineAccess: true, groups: false }, 'janedoe');
    const data = JSON.parse(new TextDecoder().decode(id.connectorData ?? new Uint8Array())) as Record<string, string>;
    assert.deepEqual(Object.keys(data), ['AccessToken']);
    const { url, connectorData } = await startLogin(conn, PLAIN);
    const cb = await opLogin(url.href, 'janedoe');
    cb.searchParams.set('state', 'other');
    await assert.rejects(conn.handleCallback(PLAIN, connectorData, callbackRequest(cb)), (e: unknown) => e instanceof UserRefusedError && e.reason === 'bad_callback' && /state mismatch/.test(e.message));
    const err = new URL(`${TEST_CALLBACK}?error=server_error&error_description=secret%20detail`);
    await assert.rejects(conn.handleCallback(PLAIN, connectorData, callbackRequest(err)), (e: unknown) => e instanceof ConnectorError && !/secret detail/.test(e.message));
  });
});
