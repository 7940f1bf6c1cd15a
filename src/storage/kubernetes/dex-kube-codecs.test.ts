/**
 * Ferry's Kubernetes codecs against objects written as dex v2.45.1 writes them (test/fixtures/dex-store, from
 * dex's storage/kubernetes/types.go, storage.go and client.go): each decodes to the right entity, Ferry names it
 * as dex does, and encoding it again gives back every field dex wrote.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dexIdToName, dexKubeObjects, dexOfflineTokenName } from '../../../test/fixtures/dex-store/kube-objects.js';
import { sameJson } from '../../../test/fixtures/dex-store/same-json.js';
import { dexScenario, PASSWORD_HASH } from '../../../test/fixtures/dex-store/scenario.js';
import * as f from '../conformance/fixtures.js';
import { kubeAuthSession, kubeConnector, kubeKeys, kubePassword, kubeRevokedToken, kubeUserIdentity } from './dex-kube-account.js';
import {
  kubeAuthCode,
  kubeAuthRequest,
  kubeClient,
  type KubeCodec,
  kubeDeviceRequest,
  kubeDeviceToken,
  kubeOfflineSessions,
  kubeRefreshToken,
} from './dex-kube-flow.js';
import { idToName, pairName } from './names.js';

const s = dexScenario('http://127.0.0.1:5555/callback');
const objects = dexKubeObjects(s, 'dex');
const object = (plural: string): Record<string, unknown> => {
  const o = objects.find((x) => x.plural === plural);
  assert.ok(o, plural);
  return JSON.parse(JSON.stringify(o.body)) as Record<string, unknown>;
};
const META = ['kind', 'apiVersion', 'metadata'];

function roundTrip<T>(codec: KubeCodec<T>, plural: string, allowedExtra: string[] = []): T {
  const dex = object(plural);
  const value = codec.decode(dex);
  assert.equal(codec.name(value), (dex.metadata as { name: string }).name, `${plural}: name`);
  const again = JSON.parse(JSON.stringify(codec.encode(value))) as Record<string, unknown>;
  const fields = Object.fromEntries(Object.entries(dex).filter(([k]) => !META.includes(k)));
  sameJson(again, fields, plural);
  for (const k of Object.keys(again)) if (!(k in dex)) assert.ok(allowedExtra.includes(k), `${plural}: unexpected field ${k}`);
  return value;
}

describe('kubernetes codecs read and write what dex v2.45.1 stores', () => {
  test("names: dex's idToName appends FNV-64 of nothing; offlineTokenName hashes both ids", () => {
    for (const id of ['dex-api-app', 'Example_App', 'jane@example.com', 'ünï']) assert.equal(idToName(id), dexIdToName(id), id);
    assert.equal(pairName(s.password.userID, 'local'), dexOfflineTokenName(s.password.userID, 'local'));
    // worked by hand: base32 of the bits of 61 cb f2 9c e4 84 22 23 25 ("a", then FNV-64 of nothing), 5 at a time
    assert.equal(dexIdToName('a'), 'mhf7fhheqqrcgji');
    assert.equal(idToName('a'), 'mhf7fhheqqrcgji');
  });

  test('client', () => {
    const c = roundTrip(kubeClient, 'oauth2clients', ['ssoSharedWith']);
    assert.deepEqual([c.id, c.secret, c.redirectURIs, c.name, c.public], [s.client.id, s.client.secret, [s.client.redirectURI], s.client.name, false]);
  });

  test('password: lower-cased email, hash as []byte', () => {
    const p = roundTrip(kubePassword, 'passwords');
    assert.equal(p.hash, PASSWORD_HASH);
    assert.equal(kubePassword.encode({ ...p, email: 'Jane@Example.com' }).email, 'jane@example.com');
  });

  test("connector: config under 'config', resourceVersion from metadata", () => {
    const dex = object('connectors');
    (dex.metadata as Record<string, unknown>).resourceVersion = '4711';
    const c = kubeConnector.decode(dex);
    assert.equal(c.config, s.connector.config);
    assert.equal(c.resourceVersion, '4711');
    roundTrip(kubeConnector, 'connectors', ['ferry']);
  });

  test('keys', () => {
    const k = roundTrip(kubeKeys, 'signingkeies');
    assert.equal(k.signingKey?.kid, s.keys.signing.kid);
    assert.equal(k.verificationKeys[0]?.publicKey.kid, s.keys.previous.kid);
  });

  test('refresh token (untagged CreatedAt/LastUsed) and offline session', () => {
    const r = roundTrip(kubeRefreshToken, 'refreshtokens');
    assert.deepEqual([r.id, r.token, r.clientId], [s.refresh.id, s.refresh.token, s.client.id]);
    assert.equal(r.lastUsed.getTime(), s.refresh.lastUsed.getTime());
    const o = roundTrip(kubeOfflineSessions, 'offlinesessionses');
    assert.equal(o.refresh[s.client.id]?.id, s.refresh.id);
  });

  test('auth request, code, device request (upper-cased back) and token', () => {
    const a = roundTrip(kubeAuthRequest, 'authrequests', ['mfa_validated', 'maxAge', 'authTime']);
    assert.equal(a.id, s.authRequest.id);
    assert.equal(a.maxAge, -1);
    const c = roundTrip(kubeAuthCode, 'authcodes', ['authTime']);
    assert.equal(c.id, s.authCode.id);
    const d = roundTrip(kubeDeviceRequest, 'devicerequests');
    assert.equal(d.userCode, s.device.userCode);
    const t = roundTrip(kubeDeviceToken, 'devicetokens');
    assert.equal(t.deviceCode, s.device.deviceCode);
  });
});

describe('kubernetes codecs keep every Ferry field', () => {
  const withName = <T>(codec: KubeCodec<T>, value: T): Record<string, unknown> =>
    JSON.parse(JSON.stringify({ metadata: { name: codec.name(value) }, ...codec.encode(value) })) as Record<string, unknown>;
  const cases: Array<[string, KubeCodec<never>, unknown]> = [
    ['client', kubeClient as KubeCodec<never>, f.client(1)],
    ['client (no MFA, no SSO)', kubeClient as KubeCodec<never>, { ...f.client(0), mfaChain: [], ssoSharedWith: [] }],
    ['auth request', kubeAuthRequest as KubeCodec<never>, f.authRequest(1)],
    ['auth request with a WebAuthn ceremony and MFA methods', kubeAuthRequest as KubeCodec<never>, f.authRequest(0)],
    ['auth code', kubeAuthCode as KubeCodec<never>, f.authCode(1)],
    ['refresh token', kubeRefreshToken as KubeCodec<never>, f.refreshToken(1)],
    ['offline sessions', kubeOfflineSessions as KubeCodec<never>, f.offlineSessions(1)],
    ['password', kubePassword as KubeCodec<never>, { ...f.password(1), email: f.password(1).email.toLowerCase() }],
    ['device token', kubeDeviceToken as KubeCodec<never>, f.deviceToken(1)],
    ['user identity', kubeUserIdentity as KubeCodec<never>, f.userIdentity(1)],
    ['user identity with MFA and backup codes', kubeUserIdentity as KubeCodec<never>, f.userIdentity(0)],
    ['auth session', kubeAuthSession as KubeCodec<never>, f.authSession(1)],
    ['revoked token', kubeRevokedToken as KubeCodec<never>, f.revokedToken(1)],
  ];
  for (const [name, codec, value] of cases) {
    test(name, () => assert.deepEqual(codec.decode(withName(codec, value as never)), value));
  }

  test('device request user codes come back upper-cased, as dex returns them', () => {
    const d = { ...f.deviceRequest(1), userCode: 'WXYZ-BCDF' };
    assert.deepEqual(kubeDeviceRequest.decode(withName(kubeDeviceRequest, d)), d);
  });

  test('connector (resourceVersion is the object metadata, set by the API server)', () => {
    const c = f.connector(1);
    const o = withName(kubeConnector, c);
    (o.metadata as Record<string, unknown>).resourceVersion = c.resourceVersion;
    assert.deepEqual(kubeConnector.decode(o), c);
  });
});
