/**
 * The Kubernetes document backend: one custom object per document in dex's CRDs (resources.ts, names.ts).
 *
 * - create: POST; 409 AlreadyExists → `AlreadyExistsError`;
 * - update: GET, run the updater, PUT with the object's `resourceVersion`; 409 Conflict (another replica wrote
 *   first) re-reads and retries. Updates of one object from this process are queued, so only other replicas
 *   ever cause a 409;
 * - delete: DELETE (the API server lets exactly one of two concurrent deletes succeed); for kinds with hashed
 *   names the object is read first and deleted with a `resourceVersion` precondition;
 * - list and GC read in pages (`limit`/`continue`, `PAGE` objects per request), so memory is bounded by the page
 *   size, not the store: dex's full list at start ran out of memory at ~13.5k refresh tokens (dex #4019).
 * Unexpected statuses become `StorageError` with the HTTP status and the API's `reason` only.
 */

import { AlreadyExistsError, NotFoundError, StorageError } from '../../lib/errors.js';
import type { DocumentBackend, DocumentKind } from '../document/backend.js';
import { type Attempt, createKeyQueue, retryOnConflict } from '../etcd/cas.js';
import type { KubeClient, KubeResponse } from './api-client.js';
import { objectName } from './names.js';
import { fromObject, type StoredObject, toObject } from './objects.js';
import { API_VERSION, resourceFor } from './resources.js';

/** Objects fetched per list request. */
export const PAGE = 500;

const HASHED: ReadonlySet<DocumentKind> = new Set<DocumentKind>(['offline_session', 'user_identity']);

export type KubeBackend = DocumentBackend & {
  /** The documents of one kind, one page at a time. */
  scan(kind: DocumentKind): AsyncGenerator<StoredObject[]>;
};

export interface KubeBackendOptions {
  client: KubeClient;
  namespace: string;
}

export function createKubeBackend({ client, namespace }: KubeBackendOptions): KubeBackend {
  const queue = createKeyQueue();
  let closed = false;
  const collection = (kind: DocumentKind) => `/apis/${API_VERSION}/namespaces/${encodeURIComponent(namespace)}/${resourceFor(kind).plural}`;
  const item = (kind: DocumentKind, name: string) => `${collection(kind)}/${name}`;

  const send = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<KubeResponse> => {
    if (closed) throw new StorageError('kubernetes storage: storage is closed');
    return client.request(method, path, body);
  };
  const unexpected = (op: string, kind: DocumentKind | '', res: KubeResponse): StorageError => {
    const reason = (res.body as { reason?: unknown } | null)?.reason;
    return new StorageError(`kubernetes storage: ${op} ${kind} failed (HTTP ${res.status}${typeof reason === 'string' ? ` ${reason}` : ''})`);
  };
  const notFound = (kind: DocumentKind) => new NotFoundError(`kubernetes storage: ${kind} not found`);

  const read = async (kind: DocumentKind, key: string): Promise<StoredObject | null> => {
    const res = await send('GET', item(kind, objectName(kind, key)));
    if (res.status === 404) return null;
    if (res.status !== 200) throw unexpected('get', kind, res);
    const stored = fromObject(res.body);
    return stored.key === key ? stored : null;
  };

  /** DELETE guarded by a resourceVersion precondition: 'ok', 'gone' (404) or 'changed' (409). */
  const deleteAt = async (kind: DocumentKind, name: string, resourceVersion: string): Promise<'ok' | 'gone' | 'changed'> => {
    const res = await send('DELETE', item(kind, name), { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion } });
    if (res.status === 200 || res.status === 202) return 'ok';
    if (res.status === 404) return 'gone';
    if (res.status === 409) return 'changed';
    throw unexpected('delete', kind, res);
  };

  async function* scan(kind: DocumentKind): AsyncGenerator<StoredObject[]> {
    let next = '';
    for (;;) {
      const query = `?limit=${PAGE}${next ? `&continue=${encodeURIComponent(next)}` : ''}`;
      const res = await send('GET', collection(kind) + query);
      if (res.status !== 200) throw unexpected('list', kind, res);
      const body = res.body as { items?: unknown[]; metadata?: { continue?: string } } | null;
      yield (body?.items ?? []).map(fromObject);
      next = body?.metadata?.continue ?? '';
      if (!next) return;
    }
  }

  return {
    scan,
    async create(kind, key, doc, expiry) {
      const res = await send('POST', collection(kind), toObject(kind, namespace, objectName(kind, key), key, doc, expiry));
      if (res.status === 409) throw new AlreadyExistsError(`kubernetes storage: ${kind} already exists`);
      if (res.status !== 201 && res.status !== 200) throw unexpected('create', kind, res);
    },
    async get(kind, key) {
      const stored = await read(kind, key);
      if (!stored) throw notFound(kind);
      return stored.doc;
    },
    async update(kind, key, fn) {
      const name = objectName(kind, key);
      return queue.run(name, () =>
        retryOnConflict(`kubernetes storage: update ${kind}`, async (): Promise<Attempt<string>> => {
          const stored = await read(kind, key);
          if (!stored) throw notFound(kind);
          const next = fn(stored.doc);
          const res = await send('PUT', item(kind, name), toObject(kind, namespace, name, key, next.doc, next.expiry, stored.resourceVersion));
          if (res.status === 409) return { done: false };
          if (res.status === 404) throw notFound(kind);
          if (res.status !== 200) throw unexpected('update', kind, res);
          return { done: true, value: next.doc };
        }),
      );
    },
    async delete(kind, key) {
      const name = objectName(kind, key);
      if (!HASHED.has(kind)) {
        const res = await send('DELETE', item(kind, name));
        if (res.status === 404) throw notFound(kind);
        if (res.status !== 200 && res.status !== 202) throw unexpected('delete', kind, res);
        return;
      }
      await retryOnConflict(`kubernetes storage: delete ${kind}`, async (): Promise<Attempt<void>> => {
        const stored = await read(kind, key);
        if (!stored) throw notFound(kind);
        const outcome = await deleteAt(kind, name, stored.resourceVersion);
        if (outcome === 'gone') throw notFound(kind);
        return outcome === 'ok' ? { done: true, value: undefined } : { done: false };
      });
    },
    async list(kind) {
      const out: string[] = [];
      for await (const page of scan(kind)) for (const o of page) out.push(o.doc);
      return out;
    },
    async deleteExpired(kind, now) {
      const cutoff = now.getTime();
      let deleted = 0;
      for await (const page of scan(kind)) {
        const expired = page.filter((o) => o.expiry !== null && o.expiry < cutoff);
        const outcomes = await Promise.all(expired.map((o) => deleteAt(kind, o.name, o.resourceVersion)));
        deleted += outcomes.filter((o) => o === 'ok').length;
      }
      return deleted;
    },
    async ping() {
      const res = await send('GET', `${collection('auth_request')}?limit=1`);
      if (res.status !== 200) throw unexpected('ping', '', res);
    },
    async close() {
      if (closed) return;
      closed = true;
      client.close();
    },
  };
}
