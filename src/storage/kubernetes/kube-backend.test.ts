/** Kubernetes specifics beyond the conformance suite, against the SIMULATED API server (test/peers/kube-api). */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { ConfigError, NotFoundError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import * as f from '../conformance/fixtures.js';
import { kubeConfigAccess } from './access.js';
import { kubernetesStorage, openKubernetesStorage } from './index.js';
import { LOCK_ANNOTATION } from './lock.js';
import { objectName } from './names.js';

const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: start test/peers/kube-api/start.sh (node scripts/test.mjs --peers kube-api)`);
  return v;
};
const deps = { logger: silentLogger(), now: () => new Date() };
const parse = (raw: unknown) => kubernetesStorage.parseConfig(raw, 'storage.config');
const ns = () => `specifics-${randomBytes(5).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'ferry-kube-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A private simulated server (fresh: no CRDs), on the peer's certificate. */
async function privateServer(token: string): Promise<{ url: string; child: ChildProcess }> {
  const certs = dirname(need('FERRY_KUBE_API_CA'));
  const portFile = join(dir, `port-${randomBytes(3).toString('hex')}`);
  const script = fileURLToPath(new URL('../../../test/peers/kube-api/kube-api.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, '--port', '0', '--cert', join(certs, 'server.crt'), '--key', join(certs, 'server.key'), '--token', token, '--port-file', portFile], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      return { url: `https://127.0.0.1:${readFileSync(portFile, 'utf8')}`, child };
    } catch {
      await new Promise((r) => setTimeout(r, 30));
    }
  }
  child.kill();
  throw new Error('private kube-api simulation did not start');
}

function kubeconfig(server: string, token: string, namespace = 'ferry'): string {
  const file = join(dir, `kubeconfig-${randomBytes(3).toString('hex')}`);
  const ca = readFileSync(need('FERRY_KUBE_API_CA')).toString('base64');
  writeFileSync(file, `clusters:\n- name: c\n  cluster: {server: "${server}", certificate-authority-data: ${ca}}\nusers:\n- name: u\n  user: {token: ${token}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u, namespace: ${namespace}}\n`);
  return file;
}

describe('kubernetes storage specifics', () => {
  test('config: exactly one of inCluster and kubeConfigFile; crdHandling ensure|check', () => {
    const paths = (raw: unknown) => {
      try {
        parse(raw);
        return [];
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        return e.issues.map((i) => i.path);
      }
    };
    assert.deepEqual(paths({}), ['storage.config.kubeConfigFile']);
    assert.deepEqual(paths({ inCluster: true, kubeConfigFile: '/k' }), ['storage.config.kubeConfigFile']);
    assert.deepEqual(paths({ inCluster: true, crdHandling: 'create' }), ['storage.config.crdHandling']);
    assert.equal(parse({ InCluster: true }).crdHandling, 'ensure');
  });

  test('kubeconfig: client certificate files relative to the kubeconfig, tokenFile; exec is refused', () => {
    writeFileSync(join(dir, 'c.crt'), 'CERT');
    writeFileSync(join(dir, 'c.key'), 'KEY');
    const file = join(dir, 'kc-cert');
    writeFileSync(file, 'current-context: a\nclusters: [{name: c, cluster: {server: "https://k:6443/", insecure-skip-tls-verify: true, tls-server-name: api.k}}]\nusers: [{name: u, user: {client-certificate: c.crt, client-key: c.key, tokenFile: t}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n');
    const a = kubeConfigAccess(file);
    assert.deepEqual([a.server, a.namespace, a.cert?.toString(), a.key?.toString(), a.tokenFile, a.insecureSkipTlsVerify, a.tlsServerName], ['https://k:6443', 'default', 'CERT', 'KEY', join(dir, 't'), true, 'api.k']);
    writeFileSync(file, 'clusters: [{name: c, cluster: {server: "https://k"}}]\nusers: [{name: u, user: {exec: {command: aws}}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n');
    assert.throws(() => kubeConfigAccess(file), /exec and auth-provider credentials are not supported/);
  });

  test("objects carry dex's CRD plurals and names", async () => {
    const namespace = ns();
    const s = await openKubernetesStorage(parse({ kubeConfigFile: need('FERRY_KUBECONFIG') }), deps, { namespace });
    const c = f.client(0);
    const o = f.offlineSessions(0);
    const r = f.refreshToken(0);
    await Promise.all([s.createClient(c), s.createOfflineSessions(o), s.createRefresh(r), s.updateKeys((k) => ({ ...k, nextRotation: new Date(1e12) }))]);
    const api = need('FERRY_KUBE_API');
    const names = async (plural: string) => {
      const res = await fetchJson(`${api}/apis/dex.coreos.com/v1/namespaces/${namespace}/${plural}`);
      return (res.items as { metadata: { name: string } }[]).map((i) => i.metadata.name);
    };
    assert.deepEqual(await names('oauth2clients'), [objectName('client', c.id)]);
    assert.deepEqual(await names('offlinesessionses'), [objectName('offline_session', JSON.stringify([o.userId, o.connId]))]);
    assert.deepEqual(await names('refreshtokens'), [r.id]);
    assert.deepEqual(await names('signingkeies'), ['openid-connect-keys']);
    await s.close();
  });

  test('a client certificate from the kubeconfig authenticates (no token)', async () => {
    const s = await openKubernetesStorage(parse({ kubeConfigFile: need('FERRY_KUBECONFIG_CERT') }), deps, { namespace: ns() });
    const c = f.client(0);
    await s.createClient(c);
    assert.deepEqual(await s.getClient(c.id), c);
    await s.close();
  });

  test('two storages (as two replicas) updating one object resolve 409 conflicts and lose no update', async () => {
    const namespace = ns();
    const open = () => openKubernetesStorage(parse({ kubeConfigFile: need('FERRY_KUBECONFIG') }), deps, { namespace });
    const [a, b] = [await open(), await open()];
    const r = { ...f.refreshToken(0), token: '0' };
    await a.createRefresh(r);
    const bump = (s: typeof a) => s.updateRefreshToken(r.id, (old) => ({ ...old, token: String(Number(old.token) + 1) }));
    await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? a : b)));
    assert.equal((await b.getRefresh(r.id)).token, '40');
    await a.deleteRefresh(r.id);
    await assert.rejects(b.deleteRefresh(r.id), NotFoundError);
    await Promise.all([a.close(), b.close()]);
  });

  test("a refresh-token update waits while a dex replica holds dex's lock annotation, then applies on dex's write", async () => {
    const namespace = ns();
    const s = await openKubernetesStorage(parse({ kubeConfigFile: need('FERRY_KUBECONFIG') }), deps, { namespace });
    const r = { ...f.refreshToken(0), token: 'before' };
    await s.createRefresh(r);
    const url = `${need('FERRY_KUBE_API')}/apis/dex.coreos.com/v1/namespaces/${namespace}/refreshtokens/${r.id}`;
    // what dex's lock.go does: annotate with now + 10 s (RFC 3339); labels are someone else's and must survive
    const locked = await fetchJson(url);
    const until = new Date(Date.now() + 10_000).toISOString().replace(/\.\d+Z$/, 'Z');
    Object.assign(locked.metadata as object, { annotations: { [LOCK_ANNOTATION]: until }, labels: { team: 'a' } });
    assert.equal((await sendJson('PUT', url, locked)).status, 200);
    let done = false;
    const update = s.updateRefreshToken(r.id, (old) => ({ ...old, token: `${old.token}+ferry` })).then(() => (done = true));
    await new Promise((w) => setTimeout(w, 400));
    assert.equal(done, false, 'Ferry waits while the lock is held');
    // dex refreshes and unlocks (Annotations = nil)
    const dexWrite = await fetchJson(url);
    (dexWrite.metadata as { annotations?: unknown }).annotations = undefined;
    dexWrite.token = 'dex';
    assert.equal((await sendJson('PUT', url, dexWrite)).status, 200);
    await update;
    const after = await fetchJson(url);
    assert.equal(after.token, 'dex+ferry', "Ferry's updater ran on dex's write, not on the value it first saw");
    assert.deepEqual((after.metadata as { labels?: unknown }).labels, { team: 'a' });
    await s.close();
  });

  describe('on a fresh API server', () => {
    const token = `t-${randomBytes(8).toString('hex')}`;
    let server: { url: string; child: ChildProcess };
    before(async () => {
      server = await privateServer(token);
    });
    after(() => server.child.kill());

    test('crdHandling check fails naming the missing CRDs; ensure creates them; check then passes', async () => {
      const file = kubeconfig(server.url, token);
      await assert.rejects(openKubernetesStorage(parse({ kubeConfigFile: file, crdHandling: 'check' }), deps), /storage is not initialized, CRDs are not created: .*authcodes\.dex\.coreos\.com/);
      const s = await openKubernetesStorage(parse({ kubeConfigFile: file }), deps);
      await s.close();
      const crds = await fetchJson(`${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/signingkeies.dex.coreos.com`, token);
      assert.equal((crds.spec as { group: string }).group, 'dex.coreos.com');
      const again = await openKubernetesStorage(parse({ kubeConfigFile: file, crdHandling: 'check' }), deps);
      await again.close();
    });

    test('a wrong token fails open() with a StorageError that does not carry the token', async () => {
      const file = kubeconfig(server.url, 'not-the-token');
      await assert.rejects(openKubernetesStorage(parse({ kubeConfigFile: file }), deps), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'ERR_STORAGE');
        assert.match(e.message, /HTTP 401/);
        assert.ok(!e.message.includes('not-the-token'));
        return true;
      });
    });

    test('in-cluster: service host/port from the environment, token, CA and namespace from the service account', async () => {
      const sa = mkdtempSync(join(dir, 'sa-'));
      writeFileSync(join(sa, 'token'), `${token}\n`);
      writeFileSync(join(sa, 'ca.crt'), readFileSync(need('FERRY_KUBE_API_CA')));
      writeFileSync(join(sa, 'namespace'), 'from-file');
      const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: new URL(server.url).port };
      const s = await openKubernetesStorage(parse({ inCluster: true }), deps, { env, serviceAccountDir: sa });
      const c = f.client(0);
      await s.createClient(c);
      await s.close();
      const listed = await fetchJson(`${server.url}/apis/dex.coreos.com/v1/namespaces/from-file/oauth2clients`, token);
      assert.equal((listed.items as unknown[]).length, 1);
      await assert.rejects(openKubernetesStorage(parse({ inCluster: true }), deps, { env: {}, serviceAccountDir: sa }), /KUBERNETES_SERVICE_HOST/);
    });
  });
});

async function sendJson(method: 'PUT', url: string, body: unknown, token = need('FERRY_KUBE_API_TOKEN')): Promise<{ status: number }> {
  const { request } = await import('node:https');
  return new Promise((done, reject) => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const req = request(url, { method, headers, ca: readFileSync(need('FERRY_KUBE_API_CA')) }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function fetchJson(url: string, token = need('FERRY_KUBE_API_TOKEN')): Promise<Record<string, unknown>> {
  const { request } = await import('node:https');
  return new Promise((done, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` }, ca: readFileSync(need('FERRY_KUBE_API_CA')) }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done(JSON.parse(text) as Record<string, unknown>));
    });
    req.on('error', reject);
    req.end();
  });
}
