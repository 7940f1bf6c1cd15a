/**
 * The statements of every kind's table (./tables.ts), built with kysely and compiled ONCE per dialect at open
 * time. Each is kept as SQL text plus the order of its named parameters (a column name, `old_<column>` for the
 * compare-and-swap, `now` for garbage collection), so a backend prepares it once and binds values per call.
 * Values are converted between logical row values and driver values here too (./columns.ts).
 */

import type { Compilable, Kysely } from 'kysely';
import type { DocumentKind, RecordPart } from '../document/backend.js';
import { type ColumnType, fromDriver, toDriver } from './columns.js';
import type { SqlDialectName } from './dex-migrations.js';
import type { Row } from './row-fields.js';
import { TABLES, type TableSpec } from './tables.js';

export interface PreparedSql {
  sql: string;
  params: readonly string[];
}

export interface TableQueries {
  spec: TableSpec;
  /**
   * Inserts unless the key exists; zero affected rows means it existed. With `duplicates: 'error'` a plain insert
   * instead, whose duplicate-key error the backend maps (MySQL has no `ON CONFLICT DO NOTHING`).
   */
  insert: PreparedSql;
  select: PreparedSql;
  /**
   * The rows under either of two keys, one statement (`id in (:id, :id_2)`); null for tables whose key has more
   * than one varying column (the sidecar's `kind` is fixed per kind). Bound with `eitherParams`.
   */
  selectEither: PreparedSql | null;
  /** `select` with a row lock (`FOR UPDATE`), for read-modify-write inside a transaction. */
  selectForUpdate: PreparedSql;
  update: PreparedSql;
  /** Compare-and-swap on `spec.cas` (absent when the table has none): zero affected rows = lost race. */
  swap: PreparedSql | null;
  delete: PreparedSql;
  list: PreparedSql;
  deleteExpired: PreparedSql | null;
  /**
   * `select` with the row of each linked kind (`spec.links`) joined in, one statement: the linked table's columns
   * come back prefixed with `LINKED` (NULL when it has no row).
   */
  selectLinked: Partial<Record<DocumentKind, PreparedSql>>;
  /** `select` of the key and the columns of each part (`spec.parts`); `read` leaves the others null. */
  selectPart: Partial<Record<RecordPart, PreparedSql>>;
  /** Named driver parameters for writing `row` under `key` (key columns from the key, sidecar expiry). */
  params(key: string, row: Row, expiry: Date | null, old?: Row): Record<string, unknown>;
  keyParams(key: string): Record<string, unknown>;
  /** Named driver parameters of `selectEither` for keys `a` and `b`. */
  eitherParams(a: string, b: string): Record<string, unknown>;
  /** A driver row as logical values. */
  read(driverRow: Record<string, unknown>): Row;
}

export type KindQueries = Readonly<Record<DocumentKind, TableQueries>>;

/**
 * The reads that find the rows of `keys` (distinct): one `selectEither` per pair of keys where the table has it,
 * else one `select` per key. Each answers zero or more rows.
 */
export function findReads(q: TableQueries, keys: readonly string[]): { sql: PreparedSql; params: Record<string, unknown> }[] {
  const either = q.selectEither;
  if (either === null) return keys.map((k) => ({ sql: q.select, params: q.keyParams(k) }));
  const reads = [];
  for (let i = 0; i < keys.length; i += 2) reads.push({ sql: either, params: q.eitherParams(keys[i]!, keys[i + 1] ?? keys[i]!) });
  return reads;
}

/**
 * The parameters of a compare-and-swap update from the caller's copy (`hint`), or null when the backend must read
 * the row under a lock instead: no copy, no `swap` statement for the table, or the updater refuses the copy (it is
 * called again on the row read). Zero rows affected by `q.swap` with these parameters means the copy was stale.
 */
export function swapParams(
  q: TableQueries,
  key: string,
  fn: (old: Row) => { doc: Row; expiry: Date | null },
  hint: Row | undefined,
): Record<string, unknown> | null {
  if (hint === undefined || q.swap === null) return null;
  let next: { doc: Row; expiry: Date | null };
  try {
    next = fn(hint);
  } catch {
    return null;
  }
  return q.params(key, next.doc, next.expiry, hint);
}

const SENTINEL = '\u0000ferry-param:';

/** Prefix of the linked table's columns in a `selectLinked` row. */
export const LINKED = 'linked__';

/** Compiles `build(p)`, where `p.x` is a placeholder, and records which named parameter each `?`/`$n` is. */
function prepare(build: (p: Record<string, never>) => Compilable): PreparedSql {
  const p = new Proxy({} as Record<string, never>, { get: (_t, name) => `${SENTINEL}${String(name)}` });
  const compiled = build(p).compile();
  const params = compiled.parameters.map((v) => {
    if (typeof v !== 'string' || !v.startsWith(SENTINEL)) throw new TypeError('queries: unexpected literal parameter');
    return v.slice(SENTINEL.length);
  });
  return { sql: compiled.sql, params };
}

/** Values in the order `q` binds them. */
export function bindParams(q: PreparedSql, args: Record<string, unknown>): unknown[] {
  return q.params.map((name) => args[name] ?? null);
}

// kysely's builders are typed by schema; these statements name tables and columns at run time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** `spec`'s row by key, LEFT JOINed with `linked`'s row whose key columns equal `on`'s columns of `spec`. */
function selectLinked(db: AnyDb, spec: TableSpec, linked: TableSpec, on: Readonly<Record<string, string>>, p: Record<string, never>): Compilable {
  if (linked.sidecar) throw new TypeError('queries: links to the sidecar table are not supported');
  const joined = db
    .selectFrom(`${spec.table} as m`)
    .leftJoin(`${linked.table} as l`, (join) => Object.entries(on).reduce((j, [lc, mc]) => j.onRef(`l.${lc}`, '=', `m.${mc}`), join))
    .select([...Object.keys(spec.columns).map((c) => `m.${c}`), ...Object.keys(linked.columns).map((c) => `l.${c} as ${LINKED}${c}`)]);
  return spec.keys.reduce((q, k) => q.where(`m.${k}`, '=', p[k]), joined);
}

function tableQueries(db: AnyDb, spec: TableSpec, dialect: SqlDialectName, duplicates: 'ignore' | 'error'): TableQueries {
  const cols = Object.keys(spec.columns);
  const rest = cols.filter((c) => !spec.keys.includes(c));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const byKey = <Q extends { where: (...a: any[]) => Q }>(q: Q, p: Record<string, never>): Q =>
    spec.keys.reduce((acc, k) => acc.where(k, '=', p[k]), q);
  const select = (p: Record<string, never>) => byKey(db.selectFrom(spec.table).select(cols), p);
  const varying = spec.keys[spec.keys.length - 1]!;
  const eitherable = spec.keys.length === 1 || (spec.sidecar === true && spec.keys.length === 2);
  const update = (p: Record<string, never>) => byKey(db.updateTable(spec.table).set(Object.fromEntries(rest.map((c) => [c, p[c]]))), p);
  const type = (c: string): ColumnType => spec.columns[c]!;
  // Null-safe equality: dex's nullable columns (connector_data) compare equal when both are NULL.
  const sameAs = dialect === 'postgres' ? 'is not distinct from' : dialect === 'sqlite' ? 'is' : '<=>';
  const kindOnly = (p: Record<string, never>) => (spec.sidecar ? { kind: p.kind } : {});
  return {
    spec,
    insert: prepare((p) => {
      const insert = db.insertInto(spec.table).values(Object.fromEntries(cols.map((c) => [c, p[c]])));
      return duplicates === 'error' ? insert : insert.onConflict((oc) => oc.doNothing());
    }),
    select: prepare(select),
    selectEither: eitherable
      ? prepare((p) => {
          const q = db.selectFrom(spec.table).select(cols).where(varying, 'in', [p[varying], p[`${varying}_2`]]);
          return spec.sidecar ? q.where('kind', '=', kindOnly(p).kind) : q;
        })
      : null,
    selectForUpdate: prepare((p) => select(p).forUpdate()),
    update: prepare(update),
    swap: spec.cas ? prepare((p) => spec.cas!.reduce((q, c) => q.where(c, sameAs, p[`old_${c}`]), update(p))) : null,
    delete: prepare((p) => byKey(db.deleteFrom(spec.table), p)),
    list: prepare((p) => {
      const q = db.selectFrom(spec.table).select(cols);
      return spec.sidecar ? q.where('kind', '=', kindOnly(p).kind).orderBy('id') : q;
    }),
    selectLinked: Object.fromEntries(
      Object.entries(spec.links ?? {}).map(([kind, on]) => [kind, prepare((p) => selectLinked(db, spec, TABLES[kind as DocumentKind], on, p))]),
    ),
    selectPart: Object.fromEntries(
      Object.entries(spec.parts ?? {}).map(([part, columns]) => [part, prepare((p) => byKey(db.selectFrom(spec.table).select([...spec.keys, ...columns]), p))]),
    ),
    deleteExpired: spec.expiry
      ? prepare((p) => {
          const q = db.deleteFrom(spec.table).where(spec.expiry!, '<', p.now);
          return spec.sidecar ? q.where('kind', '=', kindOnly(p).kind) : q;
        })
      : null,
    keyParams(key) {
      const values = spec.keyValues(key);
      return Object.fromEntries(spec.keys.map((k, i) => [k, toDriver(type(k), dialect, values[i])]));
    },
    eitherParams(a, b) {
      const second = spec.keyValues(b)[spec.keys.length - 1];
      return { ...this.keyParams(a), [`${varying}_2`]: toDriver(type(varying), dialect, second) };
    },
    params(key, row, expiry, old) {
      const out: Record<string, unknown> = {};
      for (const c of cols) out[c] = toDriver(type(c), dialect, row[c]);
      if (spec.sidecar) out.expiry = expiry === null ? null : expiry.getTime();
      Object.assign(out, this.keyParams(key));
      if (old && spec.cas) for (const c of spec.cas) out[`old_${c}`] = toDriver(type(c), dialect, old[c]);
      return out;
    },
    read(driverRow) {
      const row: Row = {};
      for (const c of cols) row[c] = fromDriver(type(c), driverRow[c]);
      return row;
    },
  };
}

/** Compiles every kind's statements for `db`'s dialect. */
export function compileKindQueries(db: AnyDb, dialect: SqlDialectName, duplicates: 'ignore' | 'error' = 'ignore'): KindQueries {
  return Object.fromEntries(
    Object.entries(TABLES).map(([kind, spec]) => [kind, tableQueries(db, spec, dialect, duplicates)]),
  ) as unknown as KindQueries;
}

/** GC bound: the time `now` as the expiry column of `spec` compares it. */
export function expiryParam(spec: TableSpec, dialect: SqlDialectName, now: Date): unknown {
  return spec.sidecar ? now.getTime() : toDriver('time', dialect, now);
}
