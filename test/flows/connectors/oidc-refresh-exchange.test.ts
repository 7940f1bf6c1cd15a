/**
 * The `oidc` connector's refresh and token-exchange hooks against the real upstream (oidc-provider 9.13.3 from
 * test/peers/oidc-upstream): upstream refresh with and without an ID token in the response, a revoked upstream
 * refresh token, dex's connector-data format, and `tokenIdentity` for upstream ID tokens and access tokens,
 * including forged, tampered, expired and foreign-audience tokens.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import * as client from 'openid-client';
import { ACCESS_TOKEN_TYPE, ID_TOKEN_TYPE, oidc, type OidcConnector } from '../../../src/connectors/oidc/index.js';
import type { Scopes } from '../../../src/connectors/types.js';
import { ConnectorError, UserRefusedError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { callbackLogin } from '../../peers/oidc-upstream/callback-login.js';
import { admin, opLogin, TEST_CALLBACK, TEST_ISSUER, upstreamEnv } from '../../peers/oidc-upstream/op-login.js';

const up = upstreamEnv();
const OFFLINE: Scopes = { offlineAccess: true, groups: true };
const CAROL = ['readers', 'writers'];
let clockOffset = 0;
const deps = { logger: silentLogger(), now: () => new Date(Date.now() + clockOffset), issuer: TEST_ISSUER };
const base = {
  issuer: up.issuer,
  clientID: up.clientID,
  clientSecret: up.clientSecret,
  redirectURI: TEST_CALLBACK,
  scopes: ['profile', 'email', 'groups', 'offline_access'],
  insecureEnableGroups: true,
};
const open = async (extra: Record<string, unknown> = {}) =>
  (await oidc.open('up', oidc.parseConfig({ ...base, ...extra }, 'connectors[0].config'), deps)) as OidcConnector;

const connectorError = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ConnectorError, `expected a ConnectorError, got ${String(err)}`);
  assert.match(err.message, pattern);
  return true;
};

describe('refresh', () => {
  after(() => admin.setGroups('carol', CAROL));

  test('connector data is dex’s {"RefreshToken": <base64>}, and refresh re-reads the upstream', async () => {
    const conn = await open();
    const id = await callbackLogin(conn, OFFLINE, 'carol');
    const data = JSON.parse(new TextDecoder().decode(id.connectorData ?? new Uint8Array())) as Record<string, string>;
    assert.deepEqual(Object.keys(data), ['RefreshToken']);
    assert.ok(Buffer.from(data.RefreshToken ?? '', 'base64').length > 10, 'an upstream refresh token, base64-encoded');
    await admin.setGroups('carol', ['readers']);
    const after = await conn.refresh(OFFLINE, id);
    assert.deepEqual(after.groups, ['readers']);
    assert.equal(after.userId, 'carol');
    await admin.setGroups('carol', CAROL);
  });

  test('a refresh response without an ID token keeps the login’s claims (or re-reads userinfo with getUserInfo)', async () => {
    const conn = await open({ clientID: 'ferry-noid' });
    const id = await callbackLogin(conn, OFFLINE, 'carol');
    assert.deepEqual(id.groups, CAROL);
    await admin.setGroups('carol', ['readers']);
    const kept = await conn.refresh(OFFLINE, id);
    assert.deepEqual({ ...kept, connectorData: null }, { ...id, connectorData: null }, 'no claims came back, so nothing changed');
    assert.ok(kept.connectorData && kept.connectorData.length > 0, 'the upstream refresh token is still there');
    const again = await conn.refresh(OFFLINE, kept);
    assert.equal(again.userId, 'carol', 'and it keeps working');

    const withInfo = await open({ clientID: 'ferry-noid', getUserInfo: true });
    await admin.setGroups('carol', CAROL);
    const id2 = await callbackLogin(withInfo, OFFLINE, 'carol');
    await admin.setGroups('carol', ['writers']);
    assert.deepEqual((await withInfo.refresh(OFFLINE, id2)).groups, ['writers'], 'userinfo supplies the fresh claims');
    await admin.setGroups('carol', CAROL);
  });

  test('a revoked upstream refresh token is refused as a dead grant (UserRefusedError, not an outage)', async () => {
    const conn = await open();
    const id = await callbackLogin(conn, OFFLINE, 'carol');
    const { revoked } = await admin.revoke('carol');
    assert.ok(revoked > 0, 'the upstream dropped the refresh token');
    await assert.rejects(conn.refresh(OFFLINE, id), (err: unknown) => {
      assert.ok(err instanceof UserRefusedError && err.reason === 'bad_callback', `got ${String(err)}`);
      assert.match(err.message, /failed to get refresh token.*invalid_grant/);
      return true;
    });
  });

  test('without an upstream refresh token, or with data that is not ours, refresh fails cleanly', async () => {
    const conn = await open({ scopes: ['profile', 'email', 'groups'] });
    const id = await callbackLogin(conn, OFFLINE, 'carol');
    await assert.rejects(conn.refresh(OFFLINE, id), connectorError(/no upstream refresh token/));
    await assert.rejects(conn.refresh(OFFLINE, { ...id, connectorData: new TextEncoder().encode('not json') }), connectorError(/unmarshal/));
  });
});

describe('tokenIdentity (token exchange)', () => {
  let tokens: { idToken: string; accessToken: string };
  let foreignIdToken = '';

  /** Logs janedoe in at the upstream as an ordinary relying party and returns its tokens. */
  async function upstreamTokens(clientID: string, auth: client.ClientAuth) {
    const rp = await client.discovery(new URL(up.issuer), clientID, undefined, auth, { execute: [client.allowInsecureRequests] });
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(rp, { redirect_uri: TEST_CALLBACK, scope: 'openid profile email groups', state });
    const t = await client.authorizationCodeGrant(rp, await opLogin(url.href, 'janedoe'), { expectedState: state });
    return { idToken: t.id_token ?? '', accessToken: t.access_token };
  }

  before(async () => {
    tokens = await upstreamTokens('ferry', client.ClientSecretBasic(up.clientSecret));
    foreignIdToken = (await upstreamTokens('ferry-post', client.ClientSecretPost(up.clientSecret))).idToken;
  });

  test('an upstream ID token is verified and mapped like a login', async () => {
    const id = await (await open()).tokenIdentity(ID_TOKEN_TYPE, tokens.idToken);
    assert.deepEqual({ ...id }, {
      userId: 'janedoe', username: 'Jane Doe', preferredUsername: 'janedoe', email: 'janedoe@example.org',
      emailVerified: true, groups: ['admins', 'developers'], connectorData: null,
    });
  });

  test('an access token is exchanged only with getUserInfo and a listed audience (issue 12 item 7)', async () => {
    await assert.rejects((await open()).tokenIdentity(ACCESS_TOKEN_TYPE, tokens.accessToken), connectorError(/getUserInfo is required/));
    // Attack: an opaque token that userinfo accepts, but that was issued to another application (dex accepted it).
    await assert.rejects((await open({ getUserInfo: true })).tokenIdentity(ACCESS_TOKEN_TYPE, tokens.accessToken), connectorError(/accessTokenExchangeAudiences/));
    await assert.rejects(
      (await open({ getUserInfo: true, accessTokenExchangeAudiences: ['urn:ferry:upstream-api'] })).tokenIdentity(ACCESS_TOKEN_TYPE, tokens.accessToken),
      connectorError(/accessTokenExchangeAudiences/),
      'an opaque token cannot be bound to an audience',
    );
    const jwt = await upstreamTokens('ferry-jwt', client.ClientSecretBasic(up.clientSecret));
    const jwtOpts = { clientID: 'ferry-jwt', getUserInfo: true, providerDiscoveryOverrides: { userInfoURL: `${up.issuer}/ext/userinfo` } };
    await assert.rejects((await open({ ...jwtOpts, accessTokenExchangeAudiences: ['urn:other-api'] })).tokenIdentity(ACCESS_TOKEN_TYPE, jwt.accessToken), connectorError(/accessTokenExchangeAudiences/));
    const conn = await open({ ...jwtOpts, accessTokenExchangeAudiences: ['urn:ferry:upstream-api'] });
    const id = await conn.tokenIdentity(ACCESS_TOKEN_TYPE, jwt.accessToken);
    assert.equal(id.userId, 'janedoe');
    await assert.rejects(conn.tokenIdentity(ACCESS_TOKEN_TYPE, 'not-a-token-the-upstream-issued'), connectorError(/accessTokenExchangeAudiences/));
  });

  test('forged, tampered, unsigned, expired and foreign-audience ID tokens are refused', async () => {
    const conn = await open();
    const claims = decodeJwt(tokens.idToken);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'upstream-1' }).sign(privateKey);
    const [h, , sig] = tokens.idToken.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${sig}`;
    const unsigned = new UnsecuredJWT(claims).encode();
    for (const [name, token] of [['forged', forged], ['tampered', tampered], ['unsigned', unsigned], ['foreign audience', foreignIdToken]]) {
      await assert.rejects(conn.tokenIdentity(ID_TOKEN_TYPE, token as string), connectorError(/failed to verify token/), name as string);
    }
    clockOffset = 2 * 3600_000; // the upstream's ID tokens live one hour
    try {
      await assert.rejects(conn.tokenIdentity(ID_TOKEN_TYPE, tokens.idToken), connectorError(/exp/), 'expired');
    } finally {
      clockOffset = 0;
    }
  });

  test('an unknown subject token type is refused', async () => {
    await assert.rejects((await open()).tokenIdentity('urn:ietf:params:oauth:token-type:saml2', tokens.idToken), connectorError(/unknown token type/));
  });
});
