/**
 * The backend shared by the networked SQL stores (PostgreSQL, MySQL/MariaDB) over a tiny `SqlDriver`, on dex's
 * tables (./tables.ts). Every statement is one round trip on a pooled connection, and:
 * - `update` of a table with compare-and-swap columns (refresh tokens: the hot path) given the caller's `hint`
 *   first tries `UPDATE ... WHERE <those columns> = <hint's>`: one round trip when nobody raced. Otherwise, and
 *   for every other table, it is what dex does: a transaction that reads the row under a lock
 *   (`SELECT ... FOR UPDATE`; dex runs SERIALIZABLE transactions, which abort instead of losing an update when
 *   they meet Ferry's lock or write) and writes it. Each single statement is atomic, so a connection lost mid-way
 *   leaves either the old or the new row, never a partial one;
 * - driver failures (connection refused or lost, server shutting down, timeouts) become `StorageError` carrying
 *   only the driver's error code; what `fn` throws, and our own `NotFoundError`, pass through unchanged.
 */

import { AlreadyExistsError, NotFoundError, StorageError } from '../../lib/errors.js';
import type { DocumentBackend, DocumentKind, DocumentWrite } from '../document/backend.js';
import type { SqlDialectName } from './dex-migrations.js';
import { expiryParam, findReads, LINKED, swapParams, type KindQueries, type PreparedSql } from './queries.js';
import type { Row } from './row-fields.js';

export type SqlArgs = Record<string, unknown>;

export interface SqlResult {
  /** Rows as objects by column name, as the driver returns them. */
  rows: Record<string, unknown>[];
  affected: number;
}

export interface SqlExecutor {
  run(q: PreparedSql, args: SqlArgs): Promise<SqlResult>;
}

/** What a driver adapter (pg, mysql2) provides. */
export interface SqlDriver extends SqlExecutor {
  /** Log prefix, e.g. `postgres storage`. */
  label: string;
  /**
   * Runs `body` in a transaction on one connection; commits, or rolls back and rethrows. Statements the body
   * issues without awaiting them are awaited before the commit counts (a driver may pipeline them with COMMIT).
   */
  transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** True for a duplicate-key error (used when `insert` raises on duplicates). */
  isDuplicate(err: unknown): boolean;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Carries an error that must leave the backend unchanged (from `fn`, or our own NotFound) through a driver. */
class Passthrough {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/** Health probes must answer even when the server is unreachable without refusing (a dropped SYN). */
const PING_TIMEOUT_MS = 5000;

function withTimeout<T>(p: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A log-safe code for a driver error: SQLSTATE / MySQL code / errno name, else the error's class. */
export function driverErrorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return err instanceof Error ? err.name : 'unknown error';
}

export function createNetworkBackend(driver: SqlDriver, queries: KindQueries, dialect: SqlDialectName): DocumentBackend<Row> {
  let closed = false;
  const notFound = (kind: DocumentKind) => new NotFoundError(`${driver.label}: ${kind} not found`);

  const guard = async <T>(op: string, kind: DocumentKind | '', f: () => Promise<T>): Promise<T> => {
    if (closed) throw new StorageError(`${driver.label}: ${op}: storage is closed`);
    try {
      return await f();
    } catch (err) {
      if (err instanceof Passthrough) throw err.error;
      throw new StorageError(`${driver.label}: ${op}${kind ? ` ${kind}` : ''} failed (${driverErrorCode(err)})`, { cause: err });
    }
  };

  const apply = (fn: (old: Row) => DocumentWrite<Row>, old: Row): DocumentWrite<Row> => {
    try {
      return fn(old);
    } catch (err) {
      throw new Passthrough(err);
    }
  };

  /** Read under a row lock and write in one transaction (dex's discipline). */
  const lockedUpdate = (kind: DocumentKind, key: string, fn: (old: Row) => DocumentWrite<Row>) =>
    driver.transaction(async (tx) => {
      const q = queries[kind];
      const found = (await tx.run(q.selectForUpdate, q.keyParams(key))).rows[0];
      if (found === undefined) throw new Passthrough(notFound(kind));
      const next = apply(fn, q.read(found));
      const params = q.params(key, next.doc, next.expiry);
      // Not awaited here: the driver awaits it together with the COMMIT it may pipeline behind it.
      void tx.run(q.update, params);
      return q.read(params);
    });

  return {
    async create(kind, key, doc, expiry) {
      const q = queries[kind];
      const affected = await guard('create', kind, async () => {
        try {
          return (await driver.run(q.insert, q.params(key, doc, expiry))).affected;
        } catch (err) {
          if (driver.isDuplicate(err)) return 0;
          throw err;
        }
      });
      if (affected === 0) throw new AlreadyExistsError(`${driver.label}: ${kind} already exists`);
    },
    async get(kind, key) {
      const q = queries[kind];
      const found = (await guard('get', kind, () => driver.run(q.select, q.keyParams(key)))).rows[0];
      if (found === undefined) throw notFound(kind);
      return q.read(found);
    },
    async find(kind, key) {
      const q = queries[kind];
      const found = (await guard('get', kind, () => driver.run(q.select, q.keyParams(key)))).rows[0];
      return found === undefined ? null : q.read(found);
    },
    async findMany(kind, keys) {
      const q = queries[kind];
      const results = await Promise.all(findReads(q, keys).map((r) => guard('get', kind, () => driver.run(r.sql, r.params))));
      return results.flatMap((r) => r.rows.map((row) => q.read(row)));
    },
    async getLinked(kind, key, linked) {
      const q = queries[kind];
      const stmt = q.selectLinked[linked];
      if (stmt === undefined) throw new TypeError(`${driver.label}: ${kind} declares no link to ${linked}`);
      const found = (await guard('get', kind, () => driver.run(stmt, q.keyParams(key)))).rows[0];
      if (found === undefined) throw notFound(kind);
      const l = queries[linked];
      const row = Object.fromEntries(Object.keys(l.spec.columns).map((c) => [c, found[`${LINKED}${c}`]]));
      return { record: q.read(found), linked: row[l.spec.keys[0]!] == null ? null : l.read(row) };
    },
    async getPart(kind, key, part) {
      const q = queries[kind];
      const stmt = q.selectPart[part];
      if (stmt === undefined) throw new TypeError(`${driver.label}: ${kind} declares no part ${part}`);
      const found = (await guard('get', kind, () => driver.run(stmt, q.keyParams(key)))).rows[0];
      if (found === undefined) throw notFound(kind);
      return q.read(found);
    },
    async update(kind, key, fn, hint) {
      const q = queries[kind];
      return guard('update', kind, async () => {
        // The caller's copy is probably current: one round trip when it is. When the stored row differs, or the
        // updater refuses the copy, the locked path below reads the current one.
        const params = swapParams(q, key, fn, hint);
        if (params !== null && q.swap !== null && (await driver.run(q.swap, params)).affected === 1) return q.read(params);
        return lockedUpdate(kind, key, fn);
      });
    },
    async delete(kind, key) {
      const q = queries[kind];
      if ((await guard('delete', kind, () => driver.run(q.delete, q.keyParams(key)))).affected === 0) throw notFound(kind);
    },
    async list(kind) {
      const q = queries[kind];
      return (await guard('list', kind, () => driver.run(q.list, { kind }))).rows.map((r) => q.read(r));
    },
    async deleteExpired(kind, now) {
      const q = queries[kind];
      const gc = q.deleteExpired;
      if (gc === null) return 0;
      return (await guard('gc', kind, () => driver.run(gc, { kind, now: expiryParam(q.spec, dialect, now) }))).affected;
    },
    async ping() {
      await guard('ping', '', () => withTimeout(driver.ping(), PING_TIMEOUT_MS));
    },
    async close() {
      if (closed) return;
      closed = true;
      await driver.close();
    },
  };
}
