/**
 * The `SqlDriver` over a node-postgres pool. Each table statement is sent as a NAMED prepared statement, so
 * PostgreSQL parses and plans it once per connection; a call is then one Bind/Execute round trip. `timestamptz`
 * comes back as a Date and `bytea` as a Buffer (node-postgres defaults).
 */

import type { Pool, PoolClient, QueryConfig } from 'pg';
import { bindParams, type KindQueries, type PreparedSql } from '../sql/queries.js';
import type { SqlArgs, SqlDriver, SqlExecutor, SqlResult } from '../sql/network-backend.js';

/** SQLSTATE of unique_violation (not expected: inserts use ON CONFLICT DO NOTHING). */
const UNIQUE_VIOLATION = '23505';

export function createPgDriver(pool: Pool, queries: KindQueries, onQuery?: () => void): SqlDriver {
  const names = new Map<PreparedSql, string>();
  for (const [kind, tq] of Object.entries(queries)) {
    for (const [stmt, q] of Object.entries(tq)) {
      if (q !== null && typeof q === 'object' && 'sql' in q) names.set(q as PreparedSql, `ferry_${kind}_${stmt}`);
    }
  }
  const exec = async (on: Pool | PoolClient, q: PreparedSql, args: SqlArgs): Promise<SqlResult> => {
    onQuery?.();
    const config: QueryConfig = { name: names.get(q), text: q.sql, values: bindParams(q, args) };
    const r = await on.query<Record<string, unknown>>(config);
    return { rows: r.rows, affected: r.rowCount ?? 0 };
  };
  /** `pipelined`: sent together with another statement, so it costs no round trip of its own (not counted). */
  const simple = async (client: PoolClient, text: string, pipelined = false) => {
    if (!pipelined) onQuery?.();
    await client.query(text);
  };

  return {
    label: 'postgres storage',
    run: (q, args) => exec(pool, q, args),
    async transaction(body) {
      const client = await pool.connect();
      // The pool's clients run in pipeline mode: BEGIN goes out with the body's first statement and COMMIT with
      // its last, so a locked read-modify-write costs 2 round trips. Every statement is awaited before we return.
      const pending: Promise<unknown>[] = [];
      const send = <T>(p: Promise<T>): Promise<T> => {
        pending.push(p);
        p.catch(() => undefined);
        return p;
      };
      let broken: Error | undefined;
      try {
        send(simple(client, 'BEGIN', true));
        const tx: SqlExecutor = { run: (q, args) => send(exec(client, q, args)) };
        const out = await body(tx);
        send(simple(client, 'COMMIT', true));
        await Promise.all(pending);
        return out;
      } catch (err) {
        // A failed ROLLBACK means the connection is gone: destroy it instead of returning it to the pool.
        await simple(client, 'ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error('rollback failed')));
        throw err;
      } finally {
        client.release(broken);
      }
    },
    isDuplicate: (err) => (err as { code?: unknown } | null)?.code === UNIQUE_VIOLATION,
    async ping() {
      onQuery?.();
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}
