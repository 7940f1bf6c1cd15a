/**
 * The etcd document backend (etcd v3 API through the `etcd3` client, which the caller imports lazily).
 *
 * - create: one transaction "if create revision == 0 then put", so of two concurrent creates exactly one wins;
 * - update: read (value + mod revision), run the updater, then "if mod revision unchanged then put"; a lost race
 *   re-reads and runs the updater again (it may run more than once, as the contract allows). Updates of one key
 *   from this process are queued first, so only other replicas ever cause a retry;
 * - delete: a single delete (its count is the single-use gate for auth codes); kinds whose keys can collide are
 *   read first and deleted "if mod revision unchanged";
 * - list and garbage collection scan a kind's key range in pages of `PAGE` keys at one revision, so memory stays
 *   bounded by the page size during GC however many documents exist.
 * gRPC failures become `StorageError` naming the operation; the client's error is only the `cause`.
 */

import type { IKeyValue, Namespace } from 'etcd3';
import { AlreadyExistsError, DexError, NotFoundError, StorageError } from '../../lib/errors.js';
import type { DocumentBackend, DocumentKind } from '../document/backend.js';
import { type Attempt, createKeyQueue, retryOnConflict } from './cas.js';
import { decodeEnvelope, type Envelope, encodeEnvelope } from './envelope.js';
import { etcdKey, kindPrefix, mayCollide, prefixEnd } from './keys.js';

/** Keys fetched per range request when scanning a kind. */
export const PAGE = 500;

interface Stored extends Envelope {
  modRevision: string;
}

export interface EtcdBackendOptions {
  /** The namespaced view of the client (`client.namespace(config.namespace)`). */
  ns: Namespace;
  close: () => Promise<void>;
}

/** A scan of one kind, page by page (exported for GC-style callers that must not hold every document). */
export type EtcdBackend = DocumentBackend & { scan(kind: DocumentKind): AsyncGenerator<Stored[]> };

export function createEtcdBackend({ ns, close }: EtcdBackendOptions): EtcdBackend {
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

  const read = async (kind: DocumentKind, key: string): Promise<Stored | null> => {
    const res = await call('get', kind, () => ns.get(etcdKey(kind, key)).exec());
    const kv = res.kvs[0];
    if (!kv) return null;
    const env = decodeEnvelope(kv.value.toString('utf8'));
    return env.key === key ? { ...env, modRevision: kv.mod_revision } : null;
  };

  /** "if mod revision unchanged then <op>"; true when it applied. */
  const swap = async (op: string, kind: DocumentKind, k: string, rev: string, write: () => ReturnType<Namespace['put']> | ReturnType<Namespace['delete']>) =>
    (await call(op, kind, () => ns.if(k, 'Mod', '==', rev).then(write()).commit())).succeeded;

  const decodeKv = (kv: IKeyValue): Stored => ({ ...decodeEnvelope(kv.value.toString('utf8')), modRevision: kv.mod_revision });

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
      yield res.kvs.map(decodeKv);
      const last = res.kvs[res.kvs.length - 1];
      if (!res.more || !last) return;
      start = Buffer.concat([last.key, Buffer.from([0])]);
    }
  }

  return {
    scan,
    async create(kind, key, doc, expiry) {
      const k = etcdKey(kind, key);
      const value = encodeEnvelope(key, doc, expiry);
      const res = await call('create', kind, () => ns.if(k, 'Create', '==', 0).then(ns.put(k).value(value)).commit());
      if (!res.succeeded) throw new AlreadyExistsError(`etcd storage: ${kind} already exists`);
    },
    async get(kind, key) {
      const stored = await read(kind, key);
      if (!stored) throw notFound(kind);
      return stored.doc;
    },
    async update(kind, key, fn) {
      const k = etcdKey(kind, key);
      return queue.run(k, () =>
        retryOnConflict(`etcd storage: update ${kind}`, async (): Promise<Attempt<string>> => {
          const stored = await read(kind, key);
          if (!stored) throw notFound(kind);
          const next = fn(stored.doc);
          const value = encodeEnvelope(key, next.doc, next.expiry);
          const ok = await swap('update', kind, k, stored.modRevision, () => ns.put(k).value(value));
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
        const expired = page.filter((s) => s.expiry !== null && s.expiry < cutoff);
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
