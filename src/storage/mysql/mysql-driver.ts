/**
 * The `SqlDriver` over a mysql2 pool. Statements run through `execute`, i.e. server-side prepared statements that
 * mysql2 caches per connection, so each call is one round trip after the first. Rows come back as objects by
 * column name; `datetime` values are read and written as UTC (the pool's `timezone: 'Z'`). mysql2 sets CLIENT_FOUND_ROWS, so an UPDATE reports the rows it
 * matched (not only those it changed), which the compare-and-swap relies on.
 */

import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { bindParams, type PreparedSql } from '../sql/queries.js';
import type { SqlArgs, SqlDriver, SqlExecutor, SqlResult } from '../sql/network-backend.js';

/** ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME (the codes dex checks). */
const DUPLICATE_ERRNOS = new Set([1062, 1586]);

export function createMysqlDriver(pool: Pool, onQuery?: () => void): SqlDriver {
  const exec = async (on: Pool | PoolConnection, q: PreparedSql, args: SqlArgs): Promise<SqlResult> => {
    onQuery?.();
    const values = bindParams(q, args) as (string | number | Buffer | Date | null)[];
    const [result] = await on.execute({ sql: q.sql }, values);
    if (Array.isArray(result)) return { rows: result as unknown as Record<string, unknown>[], affected: 0 };
    return { rows: [], affected: (result as ResultSetHeader).affectedRows };
  };
  const simple = async (conn: PoolConnection, step: 'begin' | 'commit' | 'rollback') => {
    onQuery?.();
    if (step === 'begin') await conn.beginTransaction();
    else if (step === 'commit') await conn.commit();
    else await conn.rollback();
  };

  return {
    label: 'mysql storage',
    run: (q, args) => exec(pool, q, args),
    async transaction(body) {
      const conn = await pool.getConnection();
      let broken = false;
      try {
        await simple(conn, 'begin');
        const pending: Promise<unknown>[] = [];
        const tx: SqlExecutor = {
          run: (q, args) => {
            const p = exec(conn, q, args);
            pending.push(p);
            p.catch(() => undefined);
            return p;
          },
        };
        const out = await body(tx);
        await Promise.all(pending); // statements the body did not await (the contract in network-backend.ts)
        await simple(conn, 'commit');
        return out;
      } catch (err) {
        await simple(conn, 'rollback').catch(() => (broken = true));
        throw err;
      } finally {
        // A failed ROLLBACK means the connection is unusable: close it rather than return it to the pool.
        if (broken) conn.destroy();
        else conn.release();
      }
    },
    isDuplicate: (err) => DUPLICATE_ERRNOS.has(Number((err as { errno?: unknown } | null)?.errno)),
    async ping() {
      onQuery?.();
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}
