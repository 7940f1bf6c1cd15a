/**
 * A store with 100,000 refresh tokens (seeded inside the SIMULATED API server) is scanned in pages with bounded
 * memory: dex's Kubernetes storage listed everything at once and ran out of memory at ~13.5k tokens (dex #4019).
 * The heap is measured after forced collections while the scan runs.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '../../lib/logger.js';
import * as f from '../conformance/fixtures.js';
import { kubeConfigAccess } from './access.js';
import { createKubeClient } from './api-client.js';
import { kubernetesStorage, openKubernetesStorage } from './index.js';
import { identifyBy } from '../etcd/etcd-format.js';
import { createKubeBackend, PAGE } from './kube-backend.js';
import { kubeFormat } from './kube-format.js';

const COUNT = 100_000;
const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: start test/peers/kube-api/start.sh (node scripts/test.mjs --peers kube-api)`);
  return v;
};

function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((done, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${need('FERRY_KUBE_API_TOKEN')}` };
    if (payload) headers['content-type'] = 'application/json';
    const req = request(`${need('FERRY_KUBE_API')}${path}`, { method, headers, ca: readFileSync(need('FERRY_KUBE_API_CA')) }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

test(`a paged scan of ${COUNT.toLocaleString('en')} refresh tokens stays in bounded memory`, { timeout: 60_000 }, async (t) => {
  const kubeConfigFile = need('FERRY_KUBECONFIG');
  const namespace = `bulk-${randomBytes(4).toString('hex')}`;
  const storage = await openKubernetesStorage(kubernetesStorage.parseConfig({ kubeConfigFile }, 'storage.config'), { logger: silentLogger(), now: () => new Date() }, { namespace });
  try {
    // One real token written by Ferry becomes the template the simulated server stamps out 100,000 times.
    const sample = f.refreshToken(0);
    await storage.createRefresh(sample);
    const base = `/apis/dex.coreos.com/v1/namespaces/${namespace}/refreshtokens`;
    const { json: stored } = await api('GET', `${base}/${sample.id}`);
    const template = JSON.stringify({ ...stored, metadata: { name: sample.id } }).replaceAll(sample.id, '$NAME');
    const seeded = await api('POST', '/_sim/seed', { group: 'dex.coreos.com', plural: 'refreshtokens', namespace, count: COUNT, template });
    assert.equal(seeded.status, 201);

    const before = heap();
    const backend = createKubeBackend({ client: createKubeClient({ ...kubeConfigAccess(kubeConfigFile), namespace }), namespace, identify: identifyBy(kubeFormat) });
    let seen = 0;
    let bytes = 0;
    let pages = 0;
    let peak = 0;
    for await (const page of backend.scan('refresh_token')) {
      assert.ok(page.length <= PAGE);
      for (const o of page) bytes += JSON.stringify(o.doc).length;
      const first = page[0];
      if (first && first.name !== first.key) assert.fail(`object ${first.name} decoded as ${first.key}`);
      seen += page.length;
      if (++pages % 10 === 0) peak = Math.max(peak, heap() - before);
    }
    await backend.close();
    peak = Math.max(peak, heap() - before);
    assert.equal(seen, COUNT + 1);
    assert.ok(pages >= COUNT / PAGE, `${pages} pages`);
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    // The objects alone are ~40 MB of JSON text; a scan that kept them would grow the heap by far more.
    assert.ok(bytes > 30e6, `scanned ${mb(bytes)}`);
    assert.ok(peak < 16e6, `heap grew by ${mb(peak)} while scanning ${mb(bytes)} of documents`);
    t.diagnostic(`scanned ${seen} tokens (${mb(bytes)}) in ${pages} pages; heap growth peak ${mb(peak)}`);
  } finally {
    await storage.close();
    await api('DELETE', `/_sim/namespaces/${namespace}`);
  }
});
