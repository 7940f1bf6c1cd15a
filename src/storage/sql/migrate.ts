/**
 * Opening a SQL store: dex v2.45.1's migrations (./dex-migrations.ts) as dex runs them, then Ferry's own additions
 * under names dex never reads. On a store dex left behind, dex's migrations that already ran are skipped exactly
 * as dex skips them (by `max(num)` of `migrations`), so Ferry runs nothing dex would not; a store migrated by a
 * newer dex (more rows than v2.45.1 has) is left as it is. Ferry never adds a row to `migrations`: a row added by
 * anyone but dex would make a later dex skip its own migration of that number.
 *
 * Ferry's additions are idempotent and need no bookkeeping: `ferry_document` (`create table if not exists`) and a
 * nullable `ferry_ext` column on the tables of `EXT_TABLES`, added when missing.
 * The caller provides serialisation across replicas (a transaction, advisory lock or named lock; see the
 * backends) and the connection to run on.
 */

import { dexMigrations, MIGRATION_ROW, MIGRATIONS_TABLE, type SqlDialectName, translate } from './dex-migrations.js';
import { EXT_TABLES, SIDECAR_TABLE } from './tables.js';

/** One connection: runs `sql` with positional parameters and returns its rows (objects by column name). */
export type RunSql = (sql: string, params?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

const placeholders = (sql: string, dialect: SqlDialectName): string => (dialect === 'postgres' ? sql : sql.replace(/\$\d+/g, '?'));

const SIDECAR_DDL: Record<SqlDialectName, string[]> = {
  sqlite: [
    `create table if not exists ${SIDECAR_TABLE} (kind text not null, id text not null, doc text not null, expiry integer, primary key (kind, id))`,
    `create index if not exists ${SIDECAR_TABLE}_expiry on ${SIDECAR_TABLE} (kind, expiry)`,
  ],
  postgres: [
    `create table if not exists ${SIDECAR_TABLE} (kind text not null, id text not null, doc text not null, expiry bigint, primary key (kind, id))`,
    `create index if not exists ${SIDECAR_TABLE}_expiry on ${SIDECAR_TABLE} (kind, expiry)`,
  ],
  // Byte-exact keys (varbinary) and exact-text documents, within InnoDB's 3072-byte key limit.
  mysql: [
    `create table if not exists ${SIDECAR_TABLE} (kind varbinary(32) not null, id varbinary(2048) not null,
      doc longtext character set utf8mb4 collate utf8mb4_bin not null, expiry bigint, primary key (kind, id),
      index ${SIDECAR_TABLE}_expiry (kind, expiry)) engine = InnoDB default charset = utf8mb4`,
  ],
};

const EXT_TYPE: Record<SqlDialectName, string> = { sqlite: 'text', postgres: 'text', mysql: 'longtext character set utf8mb4 collate utf8mb4_bin' };

const COLUMNS_OF: Record<SqlDialectName, string> = {
  sqlite: 'select name as c from pragma_table_info(?)',
  postgres: 'select column_name as c from information_schema.columns where table_schema = current_schema() and table_name = $1',
  mysql: 'select column_name as c from information_schema.columns where table_schema = database() and table_name = ?',
};

export interface MigrationOutcome {
  /** dex migrations run now. */
  applied: number;
  /** `max(num)` before opening (0 for a new store). */
  found: number;
  /** How many dex v2.45.1 has for this dialect. */
  known: number;
}

/** Runs dex's pending migrations and Ferry's additions on `run`'s connection. */
export async function migrateSql(run: RunSql, dialect: SqlDialectName): Promise<MigrationOutcome> {
  await run(translate(MIGRATIONS_TABLE, dialect));
  const [top] = await run('select max(num) as n from migrations');
  const found = Number(top?.n ?? 0);
  const list = dexMigrations(dialect);
  let applied = 0;
  for (const m of list) {
    if (m.num <= found) continue;
    for (const stmt of m.stmts) await run(stmt);
    await run(placeholders(translate(MIGRATION_ROW, dialect), dialect), [m.num]);
    applied++;
  }
  for (const stmt of SIDECAR_DDL[dialect]) await run(stmt);
  for (const table of EXT_TABLES) {
    const cols = (await run(placeholders(COLUMNS_OF[dialect], dialect), [table])).map((r) => String(r.c ?? r.C ?? r.COLUMN_NAME).toLowerCase());
    if (!cols.includes('ferry_ext')) await run(`alter table ${table} add column ferry_ext ${EXT_TYPE[dialect]}`);
  }
  return { applied, found, known: list.length };
}
