/**
 * The etcd backend (etcd v3 API through the `etcd3` client, which the caller imports lazily). Its records are the
 * values' JSON text in dex's encoding (etcd-format.ts) at dex's keys (keys.ts), and it writes them with the same
 * transactions as dex v2.45.1 storage/etcd/etcd.go, so dex and Ferry replicas can share one cluster:
 *
 * - create: one transaction "if create revision == 0 then put" (dex's `txnCreate`), so of two concurrent creates
 *   exactly one wins;
 * - update: read (value + mod revision), run the updater, then "if mod revision unchanged then put" (dex's
 *   `txnUpdate`); a lost race re-reads and runs the updater again (dex gives up instead). Updates of one key from
 *   this process are queued first, so only other replicas ever cause a retry;
 * - delete: a single delete (its count is the single-use gate for auth codes); kinds whose keys can collide are
 *   read first and deleted "if mod revision unchanged";
 * - list and garbage collection scan a kind's key range in pages of `PAGE` keys at one revision, so memory stays
 *   bounded by the page size during GC however many documents exist. dex keeps no expiry beside its values, so GC
 *   reads each value's own expiry fields (through `identify`).
 * gRPC failures become `StorageError` naming the operation; the client's error is only the `cause`.
 */

import type { IKeyValue, Namespace } from 'etcd3';
import { AlreadyExistsError, DexError, NotFoundError, StorageError } from '../../lib/errors.js';
import type { DocumentBackend, DocumentKind } from '../document/backend.js';
import { type Attempt, createKeyQueue, retryOnConflict } from './cas.js';
import type { Identify } from './etcd-format.js';
import { etcdKey, kindPrefix, mayCollide, prefixEnd } from './keys.js';

/** Keys fetched per range request when scanning a kind. */
export const PAGE = 500;

interface Stored {
  key: string;
  expiry: Date | null;
  doc: string;
  modRevision: string;
}

export interface EtcdBackendOptions {
  /** The namespaced view of the client (`client.namespace(config.namespace)`). */
  ns: Namespace;
  close: () => Promise<void>;
  /** A stored value's facade key and expiry (from the format). */
  identify: Identify<string>;
}

/** A scan of one kind, page by page (exported for GC-style callers that must not hold every document). */
export type EtcdBackend = DocumentBackend<string> & { scan(kind: DocumentKind): AsyncGenerator<Stored[]> };

export function createEtcdBackend({ ns, close, identify }: EtcdBackendOptions): EtcdBackend {
  const queue = createKeyQueue();
  let closed = false;

  /** Runs one etcd call, turning client failures into StorageError (Ferry's own errors pass through). */
  const call = async <T>(op: string, kind: DocumentKind | '', f: () => Promise<T>): Promise<T> => {
    if (closed) throw new StorageError(`etcd storage: ${op}: storage is closed`);
    try {
      return await f();
    } catch (err) {
      if (err instanceof DexError) throw err;
      const name = err instanceof Error ? err.name : 'error';
      throw new StorageError(`etcd storage: ${op} ${kind} failed (${name})`, { cause: err });
    }
  };
  const notFound = (kind: DocumentKind) => new NotFoundError(`etcd storage: ${kind} not found`);

  /** A stored value; its key and expiry are decoded only when asked for (a plain list never needs them). */
  function decodeKv(kind: DocumentKind, kv: IKeyValue): Stored {
    const doc = kv.value.toString('utf8');
    let id: { key: string; expiry: Date | null } | undefined;
    const who = () => (id ??= identify(kind, doc));
    return {
      doc,
      modRevision: kv.mod_revision,
      get key() {
        return who().key;
      },
      get expiry() {
        return who().expiry;
      },
    };
  }

  const read = async (kind: DocumentKind, key: string): Promise<Stored | null> => {
    const res = await call('get', kind, () => ns.get(etcdKey(kind, key)).exec());
    const kv = res.kvs[0];
    if (!kv) return null;
    const stored = decodeKv(kind, kv);
    return stored.key === key ? stored : null;
  };

  /** "if mod revision unchanged then <op>"; true when it applied. */
  const swap = async (op: string, kind: DocumentKind, k: string, rev: string, write: () => ReturnType<Namespace['put']> | ReturnType<Namespace['delete']>) =>
    (await call(op, kind, () => ns.if(k, 'Mod', '==', rev).then(write()).commit())).succeeded;


  async function* scan(kind: DocumentKind): AsyncGenerator<Stored[]> {
    const prefix = Buffer.from(kindPrefix(kind));
    const end = prefixEnd(prefix);
    let start = prefix;
    let revision: string | undefined;
    for (;;) {
      const from = start;
      const rev = revision;
      const res = await call('list', kind, () => {
        const q = ns.getAll().inRange({ start: from, end }).limit(PAGE).sort('Key', 'Ascend');
        return (rev ? q.revision(rev) : q).exec();
      });
      revision ??= res.header.revision;
      yield res.kvs.map((kv) => decodeKv(kind, kv));
      const last = res.kvs[res.kvs.length - 1];
      if (!res.more || !last) return;
      start = Buffer.concat([last.key, Buffer.from([0])]);
    }
  }

  return {
    scan,
    async create(kind, key, doc) {
      const k = etcdKey(kind, key);
      const res = await call('create', kind, () => ns.if(k, 'Create', '==', 0).then(ns.put(k).value(doc)).commit());
      if (!res.succeeded) throw new AlreadyExistsError(`etcd storage: ${kind} already exists`);
    },
    async get(kind, key) {
      const stored = await read(kind, key);
      if (!stored) throw notFound(kind);
      return stored.doc;
    },
    async find(kind, key) {
      return (await read(kind, key))?.doc ?? null;
    },
    async update(kind, key, fn) {
      const k = etcdKey(kind, key);
      return queue.run(k, () =>
        retryOnConflict(`etcd storage: update ${kind}`, async (): Promise<Attempt<string>> => {
          const stored = await read(kind, key);
          if (!stored) throw notFound(kind);
          const next = fn(stored.doc);
          const ok = await swap('update', kind, k, stored.modRevision, () => ns.put(k).value(next.doc));
          return ok ? { done: true, value: next.doc } : { done: false };
        }),
      );
    },
    async delete(kind, key) {
      const k = etcdKey(kind, key);
      if (!mayCollide(kind)) {
        const res = await call('delete', kind, () => ns.delete().key(k).exec());
        if (Number(res.deleted) === 0) throw notFound(kind);
        return;
      }
      await retryOnConflict(`etcd storage: delete ${kind}`, async () => {
        const stored = await read(kind, key);
        if (!stored) throw notFound(kind);
        const ok = await swap('delete', kind, k, stored.modRevision, () => ns.delete().key(k));
        return ok ? { done: true, value: undefined } : { done: false };
      });
    },
    async list(kind) {
      const out: string[] = [];
      for await (const page of scan(kind)) for (const s of page) out.push(s.doc);
      return out;
    },
    async deleteExpired(kind, now) {
      const cutoff = now.getTime();
      let deleted = 0;
      for await (const page of scan(kind)) {
        const expired = page.filter((s) => s.expiry !== null && s.expiry.getTime() < cutoff);
        const results = await Promise.all(
          expired.map((s) => {
            const k = etcdKey(kind, s.key);
            return swap('gc', kind, k, s.modRevision, () => ns.delete().key(k));
          }),
        );
        deleted += results.filter(Boolean).length;
      }
      return deleted;
    },
    async ping() {
      await call('ping', '', () => ns.get('ferry-ping').exec());
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}
