/**
 * Ferry's etcd codecs against documents written as dex v2.45.1 writes them (test/fixtures/dex-store, built from
 * dex's storage/etcd/types.go and storage/storage.go): every dex document decodes to the right entity at the
 * right key, and encoding that entity again gives back every field dex wrote, with the same value.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dexEtcdDocuments } from '../../../test/fixtures/dex-store/etcd-documents.js';
import { dexRefreshTokenString, dexScenario, PASSWORD_HASH } from '../../../test/fixtures/dex-store/scenario.js';
import { sameJson } from '../../../test/fixtures/dex-store/same-json.js';
import * as f from '../conformance/fixtures.js';
import { etcdAuthSession, etcdConnector, etcdKeys, etcdPassword, etcdRevokedToken, etcdUserIdentity } from './dex-etcd-account.js';
import {
  etcdAuthCode,
  etcdAuthRequest,
  etcdClient,
  etcdDeviceRequest,
  etcdDeviceToken,
  type EtcdCodec,
  etcdOfflineSessions,
  etcdRefreshToken,
} from './dex-etcd-flow.js';
import { asObject, goTime, readTimeOrNull } from './go-json.js';

const s = dexScenario('http://127.0.0.1:5555/callback?team=a&b=<c>');
const docs = new Map(dexEtcdDocuments(s));
const doc = (key: string): Record<string, unknown> => {
  const text = docs.get(key);
  assert.ok(text, `fixture has ${key}`);
  return JSON.parse(text) as Record<string, unknown>;
};

/** Decodes dex's document, checks the key, re-encodes and compares field by field; extra fields must be allowed ones. */
function roundTrip<T>(codec: EtcdCodec<T>, key: string, allowedExtra: string[] = []): T {
  const dex = doc(key);
  const value = codec.decode(dex);
  assert.equal(codec.key(value), key);
  const again = JSON.parse(JSON.stringify(codec.encode(value))) as Record<string, unknown>;
  sameJson(again, dex, key);
  for (const k of Object.keys(again)) if (!(k in dex)) assert.ok(allowedExtra.includes(k), `${key}: unexpected field ${k}`);
  return value;
}

const HEAD_CLIENT = ['postLogoutRedirectURIs', 'backchannelLogoutURI', 'refreshTokenLifetime', 'allowedConnectors', 'mfaChain', 'ssoSharedWith'];

describe('etcd codecs read and write what dex v2.45.1 stores', () => {
  test('client (storage.Client marshalled directly)', () => {
    const c = roundTrip(etcdClient, `client/${s.client.id}`, HEAD_CLIENT);
    assert.deepEqual([c.secret, c.redirectURIs, c.trustedPeers, c.name], [s.client.secret, [s.client.redirectURI], [], s.client.name]);
    assert.equal(c.ssoSharedWith, null);
    assert.ok(docs.get(`client/${s.client.id}`)!.includes('\\u0026'), 'the fixture is escaped like Go');
  });

  test('password: the bcrypt hash is []byte (base64); emailVerified unset stays unset', () => {
    const p = roundTrip(etcdPassword, `password/${s.password.email}`);
    assert.equal(p.hash, PASSWORD_HASH);
    assert.equal(p.emailVerified, null);
    assert.equal(etcdPassword.key({ ...p, email: 'Jane@Example.COM' }), 'password/jane@example.com');
  });

  test('connector: the config is []byte under the JSON name "email"', () => {
    const c = roundTrip(etcdConnector, `connector/${s.connector.id}`, ['grantTypes']);
    assert.equal(c.config, s.connector.config);
    assert.equal(c.resourceVersion, '1');
  });

  test('keys: untagged storage.Keys at openid-connect-keys', () => {
    const k = roundTrip(etcdKeys, 'openid-connect-keys');
    assert.equal(k.signingKey?.kid, s.keys.signing.kid);
    assert.equal(k.signingKey?.d, s.keys.signing.priv.d);
    assert.deepEqual(k.verificationKeys.map((v) => v.publicKey.kid), [s.keys.previous.kid]);
    assert.equal(k.nextRotation.getTime(), s.keys.nextRotation.getTime());
  });

  test('refresh token and offline session (zoned nanosecond times, lower-cased session key)', () => {
    const r = roundTrip(etcdRefreshToken, `refresh_token/${s.refresh.id}`);
    assert.equal(r.token, s.refresh.token);
    assert.equal(r.createdAt.getTime(), s.refresh.createdAt.getTime());
    assert.equal(r.claims.userId, s.password.userID);
    assert.deepEqual(r.claims.groups, []);
    const key = `offline_session/${`${s.password.userID}|local`.toLowerCase()}`;
    const o = roundTrip(etcdOfflineSessions, key);
    assert.equal(o.refresh[s.client.id]?.id, s.refresh.id);
    assert.equal(o.refresh[s.client.id]?.sessionId, '');
    assert.equal(etcdOfflineSessions.key({ ...o, userId: 'USER', connId: 'Local' }), 'offline_session/user|local');
    assert.match(dexRefreshTokenString(r.id, r.token), /^[A-Za-z0-9_-]+$/);
  });

  test('auth request, auth code, device request and token', () => {
    const a = roundTrip(etcdAuthRequest, `auth_req/${s.authRequest.id}`, ['mfa_validated', 'max_age', 'auth_time']);
    assert.deepEqual(Buffer.from(a.hmacKey), s.authRequest.hmacKey);
    assert.equal(a.maxAge, -1, 'v2.45.1 has no max_age: not requested');
    assert.equal(a.authTime, null);
    assert.deepEqual(a.prompt, []);
    const c = roundTrip(etcdAuthCode, `auth_code/${s.authCode.id}`, ['auth_time']);
    assert.equal(c.nonce, s.authCode.nonce);
    assert.deepEqual(c.pkce, { codeChallenge: '', codeChallengeMethod: '' });
    const d = roundTrip(etcdDeviceRequest, `device_req/${s.device.userCode}`);
    assert.equal(d.deviceCode, s.device.deviceCode);
    const t = roundTrip(etcdDeviceToken, `device_token/${s.device.deviceCode}`);
    assert.equal(t.pollIntervalSeconds, 5);
  });
});

describe('etcd codecs keep every Ferry field', () => {
  const cases: Array<[string, EtcdCodec<never>, unknown]> = [
    ['client', etcdClient as EtcdCodec<never>, f.client(1)],
    ['client (no MFA, no SSO)', etcdClient as EtcdCodec<never>, { ...f.client(0), mfaChain: [], ssoSharedWith: [] }],
    ['auth request', etcdAuthRequest as EtcdCodec<never>, f.authRequest(1)],
    ['auth code', etcdAuthCode as EtcdCodec<never>, f.authCode(1)],
    ['refresh token', etcdRefreshToken as EtcdCodec<never>, f.refreshToken(1)],
    ['offline sessions', etcdOfflineSessions as EtcdCodec<never>, f.offlineSessions(1)],
    ['password', etcdPassword as EtcdCodec<never>, f.password(1)],
    ['connector', etcdConnector as EtcdCodec<never>, f.connector(1)],
    ['device request', etcdDeviceRequest as EtcdCodec<never>, f.deviceRequest(1)],
    ['device token', etcdDeviceToken as EtcdCodec<never>, f.deviceToken(1)],
    ['user identity', etcdUserIdentity as EtcdCodec<never>, f.userIdentity(1)],
    ['user identity with MFA and backup codes', etcdUserIdentity as EtcdCodec<never>, f.userIdentity(0)],
    ['auth session', etcdAuthSession as EtcdCodec<never>, f.authSession(1)],
    ['revoked token', etcdRevokedToken as EtcdCodec<never>, f.revokedToken(1)],
  ];
  for (const [name, codec, value] of cases) {
    test(name, () => {
      const text = JSON.stringify(codec.encode(value as never));
      assert.deepEqual(codec.decode(JSON.parse(text)), value);
    });
  }

  test("Go's zero time stands for an absent time; times are written the way Go writes them", () => {
    assert.equal(readTimeOrNull('0001-01-01T00:00:00Z'), null);
    assert.equal(goTime(new Date(Date.UTC(2031, 0, 2, 3, 4, 5, 0))), '2031-01-02T03:04:05Z');
    assert.equal(goTime(new Date(Date.UTC(2031, 0, 2, 3, 4, 5, 120))), '2031-01-02T03:04:05.12Z');
    const a = etcdAuthRequest.encode({ ...f.authRequest(0), authTime: null });
    assert.equal(a.auth_time, '0001-01-01T00:00:00Z');
  });

  test('Ferry-only fields stay out of the fields dex reads', () => {
    const a = etcdAuthRequest.encode({ ...f.authRequest(0), browserBinding: 'b', responseMode: 'form_post' });
    assert.deepEqual(a.ferry, { browserBinding: 'b', responseMode: 'form_post', mfaMethods: ['otp', 'hwk'] });
    assert.equal(a.webauthn_session_data, Buffer.from('{"c}').toString('base64'), "dex HEAD's own field");
    const u = etcdUserIdentity.encode(f.userIdentity(0));
    assert.deepEqual(Object.keys(asObject(u.ferry)), ['backupCodes']);
    assert.equal(etcdRevokedToken.key(f.revokedToken(0)).startsWith('ferry/'), true);
  });
});
