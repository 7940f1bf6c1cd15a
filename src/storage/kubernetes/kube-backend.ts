/**
 * The Kubernetes backend: one custom object per entity in dex's CRDs, shaped and named as dex shapes and names
 * them (kube-format.ts, names.ts), written with the same optimistic concurrency as dex v2.45.1
 * storage/kubernetes/storage.go, so dex and Ferry replicas can share one namespace:
 *
 * - create: POST; 409 AlreadyExists → `AlreadyExistsError`;
 * - update: GET, run the updater, PUT with the stored object's metadata (its `resourceVersion`, and dex's
 *   annotations and labels, kept as dex keeps them); 409 Conflict (another replica wrote first) re-reads and
 *   retries. Updates of one object from this process are queued, so only other replicas ever cause a 409. A
 *   refresh token that a dex replica holds its lock annotation on (`dexidp.com/resource-lock`, dex's
 *   storage/kubernetes/lock.go) is waited for until the lock is released or expires, as a dex replica would;
 * - delete: DELETE (the API server lets exactly one of two concurrent deletes succeed); for kinds with hashed
 *   names the object is read first and deleted with a `resourceVersion` precondition;
 * - list and GC read in pages (`limit`/`continue`, `PAGE` objects per request), so memory is bounded by the page
 *   size, not the store: dex's full list at start ran out of memory at ~13.5k refresh tokens (dex #4019). dex
 *   keeps no expiry beside its objects, so GC reads each object's own expiry fields (through `identify`).
 * Unexpected statuses become `StorageError` with the HTTP status and the API's `reason` only.
 */

import { AlreadyExistsError, NotFoundError, StorageError } from '../../lib/errors.js';
import type { DocumentBackend, DocumentKind } from '../document/backend.js';
import { type Attempt, createKeyQueue, retryOnConflict } from '../etcd/cas.js';
import type { Identify } from '../etcd/etcd-format.js';
import type { JsonObject } from '../etcd/go-json.js';
import type { KubeClient, KubeResponse } from './api-client.js';
import { lockedUntil, LOCK_POLL_MS } from './lock.js';
import { objectName } from './names.js';
import { API_VERSION, resourceFor } from './resources.js';

/** Objects fetched per list request. */
export const PAGE = 500;

const HASHED: ReadonlySet<DocumentKind> = new Set<DocumentKind>(['client', 'password', 'offline_session', 'user_identity']);

export interface StoredObject {
  name: string;
  resourceVersion: string;
  key: string;
  expiry: Date | null;
  doc: JsonObject;
}

export type KubeBackend = DocumentBackend<JsonObject> & {
  /** The objects of one kind, one page at a time. */
  scan(kind: DocumentKind): AsyncGenerator<StoredObject[]>;
};

export interface KubeBackendOptions {
  client: KubeClient;
  namespace: string;
  /** An object's facade key and expiry (from the format). */
  identify: Identify<JsonObject>;
}

const meta = (o: JsonObject): JsonObject => (typeof o.metadata === 'object' && o.metadata !== null ? (o.metadata as JsonObject) : {});
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function createKubeBackend({ client, namespace, identify }: KubeBackendOptions): KubeBackend {
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

  /** A stored object; its key and expiry are decoded only when asked for (a plain list never needs them). */
  const stored = (kind: DocumentKind, body: unknown): StoredObject => {
    const doc = (body ?? {}) as JsonObject;
    const m = meta(doc);
    let id: { key: string; expiry: Date | null } | undefined;
    const who = () => (id ??= identify(kind, doc));
    return {
      name: String(m.name ?? ''),
      resourceVersion: String(m.resourceVersion ?? ''),
      doc,
      get key() {
        return who().key;
      },
      get expiry() {
        return who().expiry;
      },
    };
  };

  const read = async (kind: DocumentKind, key: string): Promise<StoredObject | null> => {
    const res = await send('GET', item(kind, objectName(kind, key)));
    if (res.status === 404) return null;
    if (res.status !== 200) throw unexpected('get', kind, res);
    const s = stored(kind, res.body);
    return s.key === key ? s : null;
  };

  /**
   * Reads, waiting while a dex replica holds the refresh token's lock annotation (bounded by the lock's own expiry,
   * which is dex's wall clock, hence `Date.now()` rather than the injected clock).
   */
  const readUnlocked = async (kind: DocumentKind, key: string): Promise<StoredObject | null> => {
    for (;;) {
      const s = await read(kind, key);
      const until = s && kind === 'refresh_token' ? lockedUntil(s.doc) : null;
      if (!until || until.getTime() <= Date.now()) return s;
      await sleep(LOCK_POLL_MS);
    }
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
      yield (body?.items ?? []).map((o) => stored(kind, o));
      next = body?.metadata?.continue ?? '';
      if (!next) return;
    }
  }

  return {
    scan,
    async create(kind, key, doc) {
      const body = { ...doc, metadata: { ...meta(doc), name: objectName(kind, key), namespace } };
      const res = await send('POST', collection(kind), body);
      if (res.status === 409) throw new AlreadyExistsError(`kubernetes storage: ${kind} already exists`);
      if (res.status !== 201 && res.status !== 200) throw unexpected('create', kind, res);
    },
    async get(kind, key) {
      const s = await read(kind, key);
      if (!s) throw notFound(kind);
      return s.doc;
    },
    async find(kind, key) {
      return (await read(kind, key))?.doc ?? null;
    },
    async update(kind, key, fn) {
      const name = objectName(kind, key);
      return queue.run(name, () =>
        retryOnConflict(`kubernetes storage: update ${kind}`, async (): Promise<Attempt<JsonObject>> => {
          const s = await readUnlocked(kind, key);
          if (!s) throw notFound(kind);
          const next = fn(s.doc).doc;
          // dex keeps the stored ObjectMeta whole on update (resourceVersion, annotations, labels, ...)
          const body = { ...next, metadata: { ...meta(s.doc), name, namespace } };
          const res = await send('PUT', item(kind, name), body);
          if (res.status === 409) return { done: false };
          if (res.status === 404) throw notFound(kind);
          if (res.status !== 200) throw unexpected('update', kind, res);
          return { done: true, value: (res.body as JsonObject | null) ?? body };
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
        const s = await read(kind, key);
        if (!s) throw notFound(kind);
        const outcome = await deleteAt(kind, name, s.resourceVersion);
        if (outcome === 'gone') throw notFound(kind);
        return outcome === 'ok' ? { done: true, value: undefined } : { done: false };
      });
    },
    async list(kind) {
      const out: JsonObject[] = [];
      for await (const page of scan(kind)) for (const o of page) out.push(o.doc);
      return out;
    },
    async deleteExpired(kind, at) {
      const cutoff = at.getTime();
      let deleted = 0;
      for await (const page of scan(kind)) {
        const expired = page.filter((o) => o.expiry !== null && o.expiry.getTime() < cutoff);
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
