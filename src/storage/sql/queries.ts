/**
 * The document statements, built with kysely and compiled ONCE per dialect at open time. Each is kept as SQL text
 * plus the order of its named parameters, so a backend prepares it once and binds values per call: no query
 * building, compiling or schema work on the hot path.
 */

import type { Compilable, Kysely } from 'kysely';
import type { SqlSchema } from './schema.js';

export type ParamName = 'kind' | 'id' | 'doc' | 'expiry' | 'now' | 'old';

export interface PreparedSql {
  sql: string;
  params: readonly ParamName[];
}

export interface DocumentQueries {
  /**
   * Inserts unless `(kind, id)` exists; zero affected rows means it existed. With `duplicates: 'error'` a plain
   * insert instead, whose duplicate-key error the backend maps (MySQL has no `ON CONFLICT DO NOTHING`, and
   * `INSERT IGNORE` would also hide other errors).
   */
  insert: PreparedSql;
  /** One column `doc`. */
  select: PreparedSql;
  /** `select` with a row lock (`FOR UPDATE`), for read-modify-write inside a transaction. */
  selectForUpdate: PreparedSql;
  update: PreparedSql;
  /** Compare-and-swap: `update` only while the stored doc still equals `old`; zero affected rows = lost race. */
  swap: PreparedSql;
  delete: PreparedSql;
  /** One column `doc`, ordered by id. */
  list: PreparedSql;
  deleteExpired: PreparedSql;
}

const SENTINEL = '\u0000ferry-param:';

/** Compiles `build(p)`, where `p.x` is a placeholder, and records which named parameter each `?`/`$n` is. */
function prepare(build: (p: Record<ParamName, never>) => Compilable): PreparedSql {
  const p = new Proxy({} as Record<ParamName, never>, { get: (_t, name) => `${SENTINEL}${String(name)}` });
  const compiled = build(p).compile();
  const params = compiled.parameters.map((v) => {
    if (typeof v !== 'string' || !v.startsWith(SENTINEL)) throw new TypeError('queries: unexpected literal parameter');
    return v.slice(SENTINEL.length) as ParamName;
  });
  return { sql: compiled.sql, params };
}

/** Values in the order `q` binds them. */
export function bindParams(q: PreparedSql, args: Partial<Record<ParamName, unknown>>): unknown[] {
  return q.params.map((name) => args[name]);
}

export function compileDocumentQueries(
  db: Kysely<SqlSchema>,
  opts: { duplicates?: 'ignore' | 'error' } = {},
): DocumentQueries {
  const select = (p: Record<ParamName, never>) =>
    db.selectFrom('document').select('doc').where('kind', '=', p.kind).where('id', '=', p.id);
  const update = (p: Record<ParamName, never>) =>
    db.updateTable('document').set({ doc: p.doc, expiry: p.expiry }).where('kind', '=', p.kind).where('id', '=', p.id);
  return {
    insert: prepare((p) => {
      const insert = db.insertInto('document').values({ kind: p.kind, id: p.id, doc: p.doc, expiry: p.expiry });
      return opts.duplicates === 'error' ? insert : insert.onConflict((oc) => oc.doNothing());
    }),
    select: prepare(select),
    selectForUpdate: prepare((p) => select(p).forUpdate()),
    update: prepare(update),
    swap: prepare((p) => update(p).where('doc', '=', p.old)),
    delete: prepare((p) => db.deleteFrom('document').where('kind', '=', p.kind).where('id', '=', p.id)),
    list: prepare((p) => db.selectFrom('document').select('doc').where('kind', '=', p.kind).orderBy('id')),
    deleteExpired: prepare((p) => db.deleteFrom('document').where('kind', '=', p.kind).where('expiry', '<', p.now)),
  };
}
