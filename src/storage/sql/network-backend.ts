/**
 * The document backend shared by the networked SQL stores (PostgreSQL, MySQL/MariaDB) over a tiny `SqlDriver`.
 * Every statement is one round trip on a pooled connection, and:
 * - `update` is an optimistic compare-and-swap: read the doc (or start from the caller's `hint`), run `fn`, then
 *   `UPDATE ... WHERE doc = <old>`
 *   (2 round trips, no transaction). Only when another writer won the race does it fall back to a locking
 *   transaction (`SELECT ... FOR UPDATE`, `UPDATE`), which always makes progress. An updater that returns the doc
 *   unchanged writes nothing. Each single statement is atomic, so a connection lost mid-way leaves either the
 *   old or the new document, never a partial one;
 * - driver failures (connection refused or lost, server shutting down, timeouts) become `StorageError` carrying
 *   only the driver's error code; what `fn` throws, and our own `NotFoundError`, pass through unchanged.
 */

import { AlreadyExistsError, NotFoundError, StorageError } from '../../lib/errors.js';
import type { DocumentBackend, DocumentKind, DocumentWrite } from '../document/backend.js';
import type { DocumentQueries, ParamName, PreparedSql } from './queries.js';

export type SqlArgs = Partial<Record<ParamName, unknown>>;

export interface SqlResult {
  /** The first column of each row (every document query selects `doc` alone). */
  rows: string[];
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

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

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

export function createNetworkBackend(driver: SqlDriver, q: DocumentQueries): DocumentBackend {
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

  const apply = (fn: (old: string) => DocumentWrite, old: string): DocumentWrite => {
    try {
      return fn(old);
    } catch (err) {
      throw new Passthrough(err);
    }
  };

  /** The fallback: read under a row lock and write in one transaction. */
  const lockedUpdate = (kind: DocumentKind, id: string, fn: (old: string) => DocumentWrite) =>
    driver.transaction(async (tx) => {
      const old = (await tx.run(q.selectForUpdate, { kind, id })).rows[0];
      if (old === undefined) throw new Passthrough(notFound(kind));
      const next = apply(fn, old);
      // Not awaited here: the driver awaits it together with the COMMIT it may pipeline behind it.
      if (next.doc !== old) void tx.run(q.update, { kind, id, doc: next.doc, expiry: ms(next.expiry) });
      return next.doc;
    });

  return {
    async create(kind, id, doc, expiry) {
      const affected = await guard('create', kind, async () => {
        try {
          return (await driver.run(q.insert, { kind, id, doc, expiry: ms(expiry) })).affected;
        } catch (err) {
          if (driver.isDuplicate(err)) return 0;
          throw err;
        }
      });
      if (affected === 0) throw new AlreadyExistsError(`${driver.label}: ${kind} already exists`);
    },
    async get(kind, id) {
      const doc = (await guard('get', kind, () => driver.run(q.select, { kind, id }))).rows[0];
      if (doc === undefined) throw notFound(kind);
      return doc;
    },
    async update(kind, id, fn, hint) {
      return guard('update', kind, async () => {
        if (hint !== undefined) {
          // The caller's copy is probably current: one round trip when it is. When the stored document differs,
          // or the updater refuses the copy or leaves it unchanged, the normal path below reads the current one.
          let next: DocumentWrite | null = null;
          try {
            next = fn(hint);
          } catch {
            next = null;
          }
          if (next !== null && next.doc !== hint) {
            const swapped = await driver.run(q.swap, { kind, id, doc: next.doc, expiry: ms(next.expiry), old: hint });
            if (swapped.affected === 1) return next.doc;
          }
        }
        const old = (await driver.run(q.select, { kind, id })).rows[0];
        if (old === undefined) throw new Passthrough(notFound(kind));
        const next = apply(fn, old);
        if (next.doc === old) return old;
        const swapped = await driver.run(q.swap, { kind, id, doc: next.doc, expiry: ms(next.expiry), old });
        return swapped.affected === 1 ? next.doc : lockedUpdate(kind, id, fn);
      });
    },
    async delete(kind, id) {
      if ((await guard('delete', kind, () => driver.run(q.delete, { kind, id }))).affected === 0) throw notFound(kind);
    },
    async list(kind) {
      return (await guard('list', kind, () => driver.run(q.list, { kind }))).rows;
    },
    async deleteExpired(kind, now) {
      return (await guard('gc', kind, () => driver.run(q.deleteExpired, { kind, now: now.getTime() }))).affected;
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
