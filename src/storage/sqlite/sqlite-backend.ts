/**
 * The SQLite backend over one better-sqlite3 connection, on dex's tables (../sql/tables.ts). Statements are
 * compiled by kysely once and prepared once; every operation then runs synchronously. A read-modify-write is one
 * `BEGIN IMMEDIATE` transaction with no `await` inside it, so:
 * - other processes sharing the file (Ferry or dex replicas) wait on SQLite's write lock (busy_timeout) instead of
 *   losing updates; dex's own updates are transactions on its single connection too;
 * - two connections in ONE process can never deadlock (a lock is never held across an event-loop turn).
 * Driver errors become `StorageError` carrying only the SQLite error code; the driver error is the `cause`.
 */

import type { Database, SqliteError as SqliteErrorType, Statement } from 'better-sqlite3';
import { AlreadyExistsError, NotFoundError, StorageError } from '../../lib/errors.js';
import type { DocumentBackend, DocumentKind, DocumentWrite } from '../document/backend.js';
import { bindParams, expiryParam, findReads, swapParams, type KindQueries, type PreparedSql, type TableQueries } from '../sql/queries.js';
import type { Row } from '../sql/row-fields.js';

type Args = Record<string, unknown>;
type DriverRow = Record<string, unknown>;

/** `SqliteError` is passed in because the driver module is only loaded inside `open()`. */
export function createSqliteBackend(
  raw: Database,
  queries: KindQueries,
  SqliteError: typeof SqliteErrorType,
  onClose: () => Promise<void>,
): DocumentBackend<Row> {
  const cache = new Map<PreparedSql, Statement>();
  const stmt = (q: PreparedSql): Statement => {
    let s = cache.get(q);
    if (!s) cache.set(q, (s = raw.prepare(q.sql)));
    return s;
  };
  const run = (q: PreparedSql, args: Args): number => stmt(q).run(...bindParams(q, args)).changes;
  const one = (q: PreparedSql, args: Args) => stmt(q).get(...bindParams(q, args)) as DriverRow | undefined;
  const all = (q: PreparedSql, args: Args) => stmt(q).all(...bindParams(q, args)) as DriverRow[];
  const ping = raw.prepare('select 1');
  const of = (kind: DocumentKind): TableQueries => queries[kind];

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

  const readModifyWrite = raw.transaction((kind: DocumentKind, key: string, fn: (old: Row) => DocumentWrite<Row>) => {
    const q = of(kind);
    const found = one(q.select, q.keyParams(key));
    if (found === undefined) throw notFound(kind);
    const next = fn(q.read(found));
    // Converted to driver values once (JSON columns serialized once), written, and read back from the same values.
    const written = q.params(key, next.doc, next.expiry);
    run(q.update, written);
    return q.read(written as DriverRow);
  });

  return {
    async create(kind, key, doc, expiry) {
      const q = of(kind);
      const changes = guard('create', kind, () => run(q.insert, q.params(key, doc, expiry)));
      if (changes === 0) throw new AlreadyExistsError(`sqlite storage: ${kind} already exists`);
    },
    async get(kind, key) {
      const q = of(kind);
      const found = guard('get', kind, () => one(q.select, q.keyParams(key)));
      if (found === undefined) throw notFound(kind);
      return q.read(found);
    },
    async find(kind, key) {
      const q = of(kind);
      const found = guard('get', kind, () => one(q.select, q.keyParams(key)));
      return found === undefined ? null : q.read(found);
    },
    async findMany(kind, keys) {
      const q = of(kind);
      return guard('get', kind, () => findReads(q, keys).flatMap((r) => all(r.sql, r.params).map((row) => q.read(row))));
    },
    async getPart(kind, key, part) {
      const q = of(kind);
      const stmt = q.selectPart[part];
      if (stmt === undefined) throw new TypeError(`sqlite storage: ${kind} declares no part ${part}`);
      const found = guard('get', kind, () => one(stmt, q.keyParams(key)));
      if (found === undefined) throw notFound(kind);
      return q.read(found);
    },
    async update(kind, key, fn, hint) {
      return guard('update', kind, () => {
        const q = of(kind);
        // The caller's copy is probably current (the refresh grant's rotation): one autocommit UPDATE compared
        // against it, no read. When the row differs, or the updater refuses the copy, the transaction reads it.
        const written = swapParams(q, key, fn, hint);
        if (written !== null && q.swap !== null && run(q.swap, written) === 1) return q.read(written as DriverRow);
        return readModifyWrite.immediate(kind, key, fn);
      });
    },
    async delete(kind, key) {
      const q = of(kind);
      if (guard('delete', kind, () => run(q.delete, q.keyParams(key))) === 0) throw notFound(kind);
    },
    async list(kind) {
      const q = of(kind);
      return guard('list', kind, () => all(q.list, { kind }).map((r) => q.read(r)));
    },
    async deleteExpired(kind, now) {
      const q = of(kind);
      if (q.deleteExpired === null) return 0;
      const gc = q.deleteExpired;
      return guard('gc', kind, () => run(gc, { kind, now: expiryParam(q.spec, 'sqlite', now) }));
    },
    async ping() {
      guard('ping', '', () => ping.get());
    },
    async close() {
      if (raw.open) await onClose();
    },
  };
}
