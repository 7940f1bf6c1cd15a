/**
 * Issue 9 on Kubernetes (the SIMULATED API server, test/peers/kube-api): a namespace prepared exactly as dex
 * v2.45.1 leaves it (dex's CRDs, dex-shaped objects under dex's names) runs Ferry with everything intact, and
 * afterwards every object, including those Ferry created, is still one dex can read, under the name dex looks for.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { verify } from '@node-rs/bcrypt';
import { dexReadsKube } from '../../fixtures/dex-store/dex-read-back.js';
import { dexCrds, dexIdToName, dexKubeObjects, dexOfflineTokenName } from '../../fixtures/dex-store/kube-objects.js';
import { dexScenario, PASSWORD } from '../../fixtures/dex-store/scenario.js';
import { checkSwitch, createThroughApi, FERRY_MADE, REDIRECT, startOnDexStore } from './dex-kv.config.js';

const env = (name: string): string => {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: start test/peers/kube-api/start.sh (node scripts/test.mjs --peers kube-api)`);
  return v;
};
const dir = mkdtempSync(join(tmpdir(), 'ferry-dex-kube-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((done, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${env('FERRY_KUBE_API_TOKEN')}` };
    if (payload) headers['content-type'] = 'application/json';
    const req = request(`${env('FERRY_KUBE_API')}${path}`, { method, headers, ca: readFileSync(env('FERRY_KUBE_API_CA')) }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

test('Ferry runs on the Kubernetes objects dex v2.45.1 left, and leaves them dex-readable', { timeout: 60_000 }, async () => {
  const namespace = `dex-switch-${randomBytes(4).toString('hex')}`;
  const kubeconfig = join(dir, 'kubeconfig');
  const ca = readFileSync(env('FERRY_KUBE_API_CA')).toString('base64');
  writeFileSync(kubeconfig, `clusters:\n- name: c\n  cluster: {server: "${env('FERRY_KUBE_API')}", certificate-authority-data: ${ca}}\nusers:\n- name: u\n  user: {token: ${env('FERRY_KUBE_API_TOKEN')}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u, namespace: ${namespace}}\ncurrent-context: x\n`);

  // dex's CRDs (another test may have created them already: 409) and dex's objects
  for (const crd of dexCrds()) {
    const res = await api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    assert.ok(res.status === 201 || res.status === 409, `CRD ${res.status}`);
  }
  const s = dexScenario(REDIRECT);
  const base = `/apis/dex.coreos.com/v1/namespaces/${namespace}`;
  for (const o of dexKubeObjects(s, namespace)) {
    const res = await api('POST', `${base}/${o.plural}`, o.body);
    assert.equal(res.status, 201, `${o.plural}: ${JSON.stringify(res.json)}`);
  }

  const f = await startOnDexStore({ type: 'kubernetes', config: { kubeConfigFile: kubeconfig } });
  try {
    await checkSwitch(f, s);
    await createThroughApi(f);
  } finally {
    await f.stop();
  }

  // read back as dex does: by dex's names, every object of every dex kind
  const get = async (plural: string, name: string) => {
    const res = await api('GET', `${base}/${plural}/${name}`);
    assert.equal(res.status, 200, `${plural}/${name}`);
    dexReadsKube(plural, res.json);
    return res.json;
  };
  for (const plural of ['oauth2clients', 'passwords', 'connectors', 'signingkeies', 'refreshtokens', 'offlinesessionses', 'authrequests', 'authcodes', 'devicerequests', 'devicetokens']) {
    const list = await api('GET', `${base}/${plural}`);
    for (const item of (list.json.items ?? []) as Record<string, unknown>[]) dexReadsKube(plural, item);
  }
  const b64 = (v: unknown) => Buffer.from(String(v), 'base64').toString('utf8');

  assert.equal((await get('oauth2clients', dexIdToName(s.client.id))).secret, s.client.secret);
  assert.ok(await verify(PASSWORD, b64((await get('passwords', dexIdToName(s.password.email))).hash)));
  const keys = (await get('signingkeies', 'openid-connect-keys')) as { signingKey: { kid: string } };
  assert.equal(keys.signingKey.kid, s.keys.signing.kid);
  const rt = await get('refreshtokens', s.refresh.id);
  assert.notEqual(rt.token, s.refresh.token);
  assert.equal(rt.clientID, s.client.id);
  const os = (await get('offlinesessionses', dexOfflineTokenName(s.password.userID, 'local'))) as { refresh: Record<string, { ID: string }> };
  assert.equal(os.refresh[s.client.id]?.ID, s.refresh.id);
  assert.equal((await api('GET', `${base}/authcodes/${s.authCode.id}`)).status, 404, 'the code was used up');

  const m = FERRY_MADE;
  const c = await get('oauth2clients', dexIdToName(m.client.id));
  assert.deepEqual([c.kind, c.id, c.secret, c.redirectURIs], ['OAuth2Client', m.client.id, m.client.secret, [REDIRECT]]);
  const p = await get('passwords', dexIdToName(m.password.email));
  assert.ok(await verify('ferry-made-pw', b64(p.hash)));
  const conn = await get('connectors', m.connector.id);
  assert.deepEqual([conn.kind, conn.type, b64(conn.config)], ['Connector', m.connector.type, m.connector.config]);
  await api('DELETE', `/_sim/namespaces/${namespace}`);
});
