/**
 * Issue 9 on etcd: a cluster prepared exactly as dex v2.45.1 leaves it (dex's JSON at dex's keys, under a
 * namespace, written straight into the real etcd peer) runs Ferry with everything intact, and afterwards every
 * value, including those Ferry created, is still one dex can read.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { verify } from '@node-rs/bcrypt';
import { Etcd3 } from 'etcd3';
import { dexReadsEtcd } from '../../fixtures/dex-store/dex-read-back.js';
import { dexEtcdDocuments } from '../../fixtures/dex-store/etcd-documents.js';
import { dexScenario, PASSWORD } from '../../fixtures/dex-store/scenario.js';
import { checkSwitch, createThroughApi, FERRY_MADE, REDIRECT, startOnDexStore } from './dex-kv.config.js';

const endpoints = process.env.FERRY_ETCD_ENDPOINTS;
const raw = new Etcd3({ hosts: endpoints ?? 'http://127.0.0.1:1' });
after(() => raw.close());

test('Ferry runs on the etcd store dex v2.45.1 left, and leaves it dex-readable', { timeout: 60_000 }, async () => {
  assert.ok(endpoints, 'FERRY_ETCD_ENDPOINTS is not set: start test/peers/etcd/start.sh (node scripts/test.mjs --peers etcd)');
  const namespace = `dex-switch/${randomBytes(5).toString('hex')}/`;
  const s = dexScenario(REDIRECT);
  for (const [key, value] of dexEtcdDocuments(s)) await raw.put(namespace + key).value(value);

  const f = await startOnDexStore({ type: 'etcd', config: { endpoints: endpoints.split(','), namespace } });
  try {
    await checkSwitch(f, s);
    await createThroughApi(f);
  } finally {
    await f.stop();
  }

  // read back as dex does
  const all = await raw.getAll().prefix(namespace).strings();
  const values = new Map(Object.entries(all).map(([k, v]) => [k.slice(namespace.length), v]));
  for (const [key, text] of values) dexReadsEtcd(key, text);
  const get = (key: string) => {
    const text = values.get(key);
    assert.ok(text, `${key} is in the store`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const b64 = (v: unknown) => Buffer.from(String(v), 'base64').toString('utf8');

  // dex's objects are where dex put them, still dex's
  assert.equal(get(`client/${s.client.id}`).secret, s.client.secret);
  assert.ok(await verify(PASSWORD, b64(get(`password/${s.password.email}`).hash)));
  const keys = get('openid-connect-keys') as { SigningKey: { kid: string }; VerificationKeys: { publicKey: { kid: string } }[] };
  assert.equal(keys.SigningKey.kid, s.keys.signing.kid);
  assert.deepEqual(keys.VerificationKeys.map((k) => k.publicKey.kid), [s.keys.previous.kid]);
  // the refresh token was rotated twice in dex's fields, and its session still points at it
  const rt = get(`refresh_token/${s.refresh.id}`);
  assert.notEqual(rt.token, s.refresh.token);
  assert.notEqual(rt.obsolete_token, s.refresh.token);
  assert.equal(typeof rt.obsolete_token, 'string');
  const os = get(`offline_session/${`${s.password.userID}|local`.toLowerCase()}`) as { refresh: Record<string, { ID: string }> };
  assert.equal(os.refresh[s.client.id]?.ID, s.refresh.id);
  // the code was used up, as dex would
  assert.equal(values.has(`auth_code/${s.authCode.id}`), false);

  // what Ferry created is in dex's format too
  const m = FERRY_MADE;
  const c = get(`client/${m.client.id}`);
  assert.deepEqual([c.id, c.secret, c.redirectURIs, c.name], [m.client.id, m.client.secret, [REDIRECT], m.client.name]);
  const p = get(`password/${m.password.email}`);
  assert.ok(await verify('ferry-made-pw', b64(p.hash)));
  assert.equal(p.userID, m.password.userId);
  const conn = get(`connector/${m.connector.id}`);
  assert.deepEqual([conn.type, b64(conn.email)], [m.connector.type, m.connector.config]);
  // nothing outside dex's key space but Ferry's own prefix
  const known = ['client/', 'password/', 'connector/', 'openid-connect-keys', 'refresh_token/', 'offline_session/', 'auth_req/', 'auth_code/', 'device_req/', 'device_token/', 'user_identity/', 'auth_session/', 'ferry/'];
  for (const key of values.keys()) assert.ok(known.some((k) => key.startsWith(k)), key);
  await raw.delete().prefix(namespace);
});
