/**
 * CRD handling at start (`crdHandling`): `ensure` creates every missing CRD and waits until the API server
 * reports it Established; `check` only verifies they exist and fails naming the missing ones, as dex does
 * ("storage is not initialized, CRDs are not created").
 */

import { StorageError } from '../../lib/errors.js';
import type { KubeClient } from './api-client.js';
import { crdManifest, GROUP, type Resource } from './resources.js';

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const ESTABLISH_TIMEOUT_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function established(body: unknown): boolean {
  const conditions = (body as { status?: { conditions?: { type?: string; status?: string }[] } } | null)?.status?.conditions;
  // A server that reports no conditions at all is taken at its word.
  return !conditions || conditions.some((c) => c.type === 'Established' && c.status === 'True');
}

async function waitEstablished(client: KubeClient, name: string): Promise<void> {
  const deadline = Date.now() + ESTABLISH_TIMEOUT_MS;
  for (;;) {
    const res = await client.request('GET', `${CRD_PATH}/${name}`);
    if (res.status === 200 && established(res.body)) return;
    if (Date.now() > deadline) throw new StorageError(`kubernetes storage: CRD ${name} did not become established`);
    await sleep(200);
  }
}

export async function handleCrds(client: KubeClient, resources: Resource[], mode: 'ensure' | 'check'): Promise<{ created: string[] }> {
  const names = resources.map((r) => `${r.plural}.${GROUP}`);
  const found = await Promise.all(
    names.map(async (name) => {
      const res = await client.request('GET', `${CRD_PATH}/${name}`);
      if (res.status === 200) return true;
      if (res.status === 404) return false;
      throw new StorageError(`kubernetes storage: reading CRD ${name} failed (HTTP ${res.status})`);
    }),
  );
  const missing = resources.filter((_, i) => !found[i]);
  if (missing.length === 0) return { created: [] };
  if (mode === 'check') {
    throw new StorageError(`kubernetes storage: storage is not initialized, CRDs are not created: ${missing.map((r) => `${r.plural}.${GROUP}`).join(', ')}`);
  }
  for (const r of missing) {
    const res = await client.request('POST', CRD_PATH, crdManifest(r));
    if (res.status !== 201 && res.status !== 200 && res.status !== 409) {
      throw new StorageError(`kubernetes storage: creating CRD ${r.plural}.${GROUP} failed (HTTP ${res.status})`);
    }
  }
  await Promise.all(missing.map((r) => waitEstablished(client, `${r.plural}.${GROUP}`)));
  return { created: missing.map((r) => r.plural) };
}
