/**
 * The SQLite document backend over one better-sqlite3 connection. Statements are compiled by kysely once and
 * prepared once; every operation then runs synchronously. A read-modify-write is one `BEGIN IMMEDIATE`
 * transaction with no `await` inside it, so:
 * - other processes sharing the file wait on SQLite's write lock (busy_timeout) instead of losing updates;
 * - two connections in ONE process can never deadlock (a lock is never held across an event-loop turn).
 * Driver errors become `StorageError` carrying only the SQLite error code; the driver error is the `cause`.
 */

import type { Database, SqliteError as SqliteErrorType } from 'better-sqlite3';
import { AlreadyExistsError, NotFoundError, StorageError } from '../../lib/errors.js';
import type { DocumentBackend, DocumentKind, DocumentWrite } from '../document/backend.js';
import { bindParams, type DocumentQueries, type PreparedSql } from '../sql/queries.js';

type Args = Parameters<typeof bindParams>[1];

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

/** `SqliteError` is passed in because the driver module is only loaded inside `open()`. */
export function createSqliteBackend(
  raw: Database,
  queries: DocumentQueries,
  SqliteError: typeof SqliteErrorType,
  onClose: () => Promise<void>,
): DocumentBackend {
  const prep = (q: PreparedSql) => {
    const stmt = raw.prepare(q.sql);
    if (stmt.reader) stmt.pluck();
    return {
      run: (args: Args) => stmt.run(...bindParams(q, args)).changes,
      one: (args: Args) => stmt.get(...bindParams(q, args)) as string | undefined,
      all: (args: Args) => stmt.all(...bindParams(q, args)) as string[],
    };
  };
  const insert = prep(queries.insert);
  const select = prep(queries.select);
  const update = prep(queries.update);
  const remove = prep(queries.delete);
  const list = prep(queries.list);
  const deleteExpired = prep(queries.deleteExpired);
  const ping = raw.prepare('select 1');

  /** Runs `f` synchronously, translating driver errors; errors thrown by updaters pass through unchanged. */
  const guard = <T>(op: string, kind: DocumentKind | '', f: () => T): T => {
    if (!raw.open) throw new StorageError(`sqlite storage: ${op}: database is closed`);
    try {
      return f();
    } catch (err) {
      if (err instanceof SqliteError) {
        throw new StorageError(`sqlite storage: ${op} ${kind} failed (${err.code})`, { cause: err });
      }
      throw err;
    }
  };
  const notFound = (kind: DocumentKind) => new NotFoundError(`sqlite storage: ${kind} not found`);

  const readModifyWrite = raw.transaction((kind: DocumentKind, id: string, fn: (old: string) => DocumentWrite) => {
    const old = select.one({ kind, id });
    if (old === undefined) throw notFound(kind);
    const next = fn(old);
    update.run({ kind, id, doc: next.doc, expiry: ms(next.expiry) });
    return next.doc;
  });

  return {
    async create(kind, id, doc, expiry) {
      const changes = guard('create', kind, () => insert.run({ kind, id, doc, expiry: ms(expiry) }));
      if (changes === 0) throw new AlreadyExistsError(`sqlite storage: ${kind} already exists`);
    },
    async get(kind, id) {
      const doc = guard('get', kind, () => select.one({ kind, id }));
      if (doc === undefined) throw notFound(kind);
      return doc;
    },
    async update(kind, id, fn) {
      return guard('update', kind, () => readModifyWrite.immediate(kind, id, fn));
    },
    async delete(kind, id) {
      if (guard('delete', kind, () => remove.run({ kind, id })) === 0) throw notFound(kind);
    },
    async list(kind) {
      return guard('list', kind, () => list.all({ kind }));
    },
    async deleteExpired(kind, now) {
      return guard('gc', kind, () => deleteExpired.run({ kind, now: now.getTime() }));
    },
    async ping() {
      guard('ping', '', () => ping.get());
    },
    async close() {
      if (raw.open) await onClose();
    },
  };
}
