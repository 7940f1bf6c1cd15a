/**
 * The in-memory document backend: one Map per kind holding the JSON text. Storing text rather than objects means
 * callers can never alias stored state. Every read-modify-write runs synchronously, so it is atomic on the
 * single JavaScript thread.
 */

import { AlreadyExistsError, NotFoundError, StorageError } from '../../lib/errors.js';
import type { DocumentBackend, DocumentKind, DocumentWrite } from '../document/backend.js';

interface Entry {
  doc: string;
  /** ms since epoch; null = never expires */
  expiry: number | null;
}

/** A fresh, empty in-memory backend. */
export function createMemoryBackend(): DocumentBackend {
  const tables = new Map<DocumentKind, Map<string, Entry>>();
  let closed = false;

  const table = (kind: DocumentKind): Map<string, Entry> => {
    if (closed) throw new StorageError('memory storage: used after close');
    let t = tables.get(kind);
    if (!t) tables.set(kind, (t = new Map()));
    return t;
  };
  const entry = (w: DocumentWrite): Entry => ({ doc: w.doc, expiry: w.expiry ? w.expiry.getTime() : null });

  return {
    async create(kind, key, doc, expiry) {
      const t = table(kind);
      if (t.has(key)) throw new AlreadyExistsError(`memory storage: ${kind} already exists`);
      t.set(key, entry({ doc, expiry }));
    },
    async get(kind, key) {
      const e = table(kind).get(key);
      if (!e) throw new NotFoundError(`memory storage: ${kind} not found`);
      return e.doc;
    },
    async find(kind, key) {
      return table(kind).get(key)?.doc ?? null;
    },
    async findMany(kind, keys) {
      const t = table(kind);
      return keys.flatMap((k) => t.get(k)?.doc ?? []);
    },
    async update(kind, key, fn) {
      const t = table(kind);
      const e = t.get(key);
      if (!e) throw new NotFoundError(`memory storage: ${kind} not found`);
      const next = entry(fn(e.doc));
      t.set(key, next);
      return next.doc;
    },
    async delete(kind, key) {
      if (!table(kind).delete(key)) throw new NotFoundError(`memory storage: ${kind} not found`);
    },
    async list(kind) {
      return [...table(kind).values()].map((e) => e.doc);
    },
    async deleteExpired(kind, now) {
      const t = table(kind);
      const cutoff = now.getTime();
      let n = 0;
      for (const [key, e] of t) {
        if (e.expiry !== null && e.expiry < cutoff) {
          t.delete(key);
          n++;
        }
      }
      return n;
    },
    async ping() {
      if (closed) throw new StorageError('memory storage: used after close');
    },
    async close() {
      closed = true;
      tables.clear();
    },
  };
}
