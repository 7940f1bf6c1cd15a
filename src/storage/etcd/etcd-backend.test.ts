/** etcd specifics beyond the conformance suite: dex's key layout, namespaces, TLS + auth, replicas racing. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Etcd3 } from 'etcd3';
import { AlreadyExistsError, ConfigError, NotFoundError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import * as f from '../conformance/fixtures.js';
import { etcdStorage } from './index.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: start test/peers/etcd/start.sh (node scripts/test.mjs --peers etcd)`);
  return v;
};
const deps = { logger: silentLogger(), now: () => new Date() };
const open = (raw: Record<string, unknown>) => etcdStorage.open(etcdStorage.parseConfig(raw, 'storage.config'), deps);
const ns = () => `specifics/${randomBytes(6).toString('hex')}/`;

describe('etcd storage specifics', () => {
  const raw = new Etcd3({ hosts: process.env.FERRY_ETCD_ENDPOINTS ?? 'http://127.0.0.1:1' });
  after(() => raw.close());

  test('config errors name the key', () => {
    assert.throws(() => etcdStorage.parseConfig({}, 'storage.config'), (e) => e instanceof ConfigError && e.issues[0]?.path === 'storage.config.endpoints');
    assert.throws(
      () => etcdStorage.parseConfig({ endpoints: ['x:1'], ssl: { keyFile: '/k' }, password: 'p' }, 'storage.config'),
      (e) => e instanceof ConfigError && e.issues.map((i) => i.path).sort().join() === 'storage.config.ssl.certFile,storage.config.username',
    );
    const c = etcdStorage.parseConfig({ Endpoints: ['127.0.0.1:2379'], NameSpace: 'dex/' }, 'storage.config');
    assert.deepEqual([c.endpoints, c.namespace, c.ssl.caFile], [['127.0.0.1:2379'], 'dex/', '']);
  });

  test("documents live under dex's keys inside the namespace", async () => {
    const prefix = ns();
    const s = await open({ endpoints: [env('FERRY_ETCD_ENDPOINTS')], namespace: prefix });
    const c = f.client(0);
    const p = f.password(0);
    const o = f.offlineSessions(0);
    await s.createClient(c);
    await s.createPassword({ ...p, email: p.email.toUpperCase() });
    await s.createOfflineSessions(o);
    await s.updateKeys((k) => ({ ...k, nextRotation: new Date(1e12) }));
    const keys = (await raw.getAll().prefix(prefix).keys()).map((k) => k.slice(prefix.length)).sort();
    assert.deepEqual(keys, [`client/${c.id}`, `offline_session/${`${o.userId}|${o.connId}`.toLowerCase()}`, 'openid-connect-keys', `password/${p.email.toLowerCase()}`].sort());
    // the values are dex's JSON: storage.Client with its own field names, nothing wrapped around it
    const value = JSON.parse((await raw.get(`${prefix}client/${c.id}`).string()) ?? 'null') as Record<string, unknown>;
    assert.equal(value.id, c.id);
    assert.deepEqual(value.redirectURIs, c.redirectURIs);
    await s.close();
  });

  test("dex lower-cases the offline-session key: ids differing only in case never read each other's record", async () => {
    const s = await open({ endpoints: [env('FERRY_ETCD_ENDPOINTS')], namespace: ns() });
    const o = { ...f.offlineSessions(0), userId: 'User-A', connId: 'local' };
    await s.createOfflineSessions(o);
    assert.deepEqual(await s.getOfflineSessions('User-A', 'local'), o);
    await assert.rejects(s.getOfflineSessions('user-a', 'local'), NotFoundError);
    await assert.rejects(s.createOfflineSessions({ ...o, userId: 'user-a' }), AlreadyExistsError);
    await assert.rejects(s.deleteOfflineSessions('user-a', 'local'), NotFoundError);
    assert.deepEqual(await s.getOfflineSessions('User-A', 'local'), o);
    await s.close();
  });

  test('two namespaces on one cluster do not see each other', async () => {
    const [a, b] = [await open({ endpoints: [env('FERRY_ETCD_ENDPOINTS')], namespace: ns() }), await open({ endpoints: [env('FERRY_ETCD_ENDPOINTS')], namespace: ns() })];
    const c = f.client(0);
    await a.createClient(c);
    await assert.rejects(b.getClient(c.id), NotFoundError);
    assert.deepEqual(await b.listClients(), []);
    await Promise.all([a.close(), b.close()]);
  });

  test('two storages (as two replicas) updating one key lose no update', async () => {
    const namespace = ns();
    const [a, b] = [await open({ endpoints: [env('FERRY_ETCD_ENDPOINTS')], namespace }), await open({ endpoints: [env('FERRY_ETCD_ENDPOINTS')], namespace })];
    const r = { ...f.refreshToken(0), token: '0' };
    await a.createRefresh(r);
    const bump = (s: typeof a) => s.updateRefreshToken(r.id, (old) => ({ ...old, token: String(Number(old.token) + 1) }));
    await Promise.all(Array.from({ length: 60 }, (_, i) => bump(i % 2 ? a : b)));
    assert.equal((await b.getRefresh(r.id)).token, '60');
    await Promise.all([a.close(), b.close()]);
  });

  test("a dex replica (dex's txnUpdate) and Ferry updating one refresh token: neither overwrites the other", async () => {
    const namespace = ns();
    const s = await open({ endpoints: [env('FERRY_ETCD_ENDPOINTS')], namespace });
    const r = { ...f.refreshToken(0), token: '0' };
    await s.createRefresh(r);
    const dexNs = raw.namespace(namespace);
    const key = `refresh_token/${r.id}`;
    // dex v2.45.1 storage/etcd/etcd.go txnUpdate: get value + mod revision, then put "if mod revision unchanged";
    // a lost race is an error to dex's caller (no retry)
    const dexBump = async (): Promise<boolean> => {
      const kv = (await dexNs.get(key).exec()).kvs[0]!;
      const value = JSON.parse(kv.value.toString()) as { token: string };
      value.token = String(Number(value.token) + 1);
      const res = await dexNs.if(key, 'Mod', '==', kv.mod_revision).then(dexNs.put(key).value(JSON.stringify(value))).commit();
      return res.succeeded;
    };
    const ferryBump = () => s.updateRefreshToken(r.id, (old) => ({ ...old, token: String(Number(old.token) + 1) }));
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? dexBump() : ferryBump().then(() => 'ferry'))));
    const dexWins = results.filter((x) => x === true).length;
    assert.equal((await s.getRefresh(r.id)).token, String(30 + dexWins), `30 Ferry updates + ${dexWins} dex updates that won`);
    await s.close();
  });

  test('list pages through more documents than one range request returns', async () => {
    const s = await open({ endpoints: [env('FERRY_ETCD_ENDPOINTS')], namespace: ns() });
    const ids = new Set<string>();
    for (let i = 0; i < 1001; i += 250) {
      await Promise.all(Array.from({ length: Math.min(250, 1001 - i) }, async () => {
        const r = f.refreshToken(0);
        ids.add(r.id);
        await s.createRefresh(r);
      }));
    }
    const listed = await s.listRefreshTokens();
    assert.equal(listed.length, 1001);
    assert.deepEqual(new Set(listed.map((r) => r.id)), ids);
    await s.close();
  });

  test('TLS with a client certificate, serverName and etcd auth', async () => {
    const dir = env('FERRY_ETCD_TLS_DIR');
    const ssl = { caFile: join(dir, 'ca.crt'), certFile: join(dir, 'client.crt'), keyFile: join(dir, 'client.key'), serverName: 'etcd.ferry.test' };
    const base = { endpoints: [env('FERRY_ETCD_TLS_ENDPOINTS')], username: env('FERRY_ETCD_USERNAME'), ssl };
    const s = await open({ ...base, password: env('FERRY_ETCD_PASSWORD'), namespace: `ferry/${randomBytes(4).toString('hex')}/` });
    const c = f.client(0);
    await s.createClient(c);
    assert.deepEqual(await s.getClient(c.id), c);
    await s.close();
    // The role only covers keys under ferry/: another namespace is refused, as is a wrong password.
    await assert.rejects(open({ ...base, password: env('FERRY_ETCD_PASSWORD'), namespace: 'elsewhere/' }), { code: 'ERR_STORAGE' });
    // serverName is the name checked: a name the certificate does not carry fails the handshake.
    const wrongName = { ...ssl, serverName: 'wrong.ferry.test' };
    await assert.rejects(open({ ...base, ssl: wrongName, password: env('FERRY_ETCD_PASSWORD'), namespace: 'ferry/' }), { code: 'ERR_STORAGE' });
    await assert.rejects(open({ ...base, password: 'wrong', namespace: 'ferry/' }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'ERR_STORAGE');
      assert.ok(!e.message.includes('wrong'), e.message);
      return true;
    });
  });

  test('an unreachable endpoint fails open() with a StorageError', async () => {
    await assert.rejects(open({ endpoints: ['http://127.0.0.1:9'] }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'ERR_STORAGE');
      assert.match(e.message, /^etcd storage: ping/);
      return true;
    });
  });
});
