/**
 * Storage type `sqlite3` (dex v2.45.1 `storage/sql/sqlite.go` `SQLite3`): config key `file` (a path, or `:memory:`). The parent directory is
 * created when missing. One connection per storage, a 5 s busy timeout, and on open dex v2.45.1's migrations plus
 * Ferry's additions (../sql/migrate.ts) in one `BEGIN IMMEDIATE` transaction, so processes opening one file
 * together serialise and the second finds nothing to do. WAL journal: dex's SQLite library opens such a file as
 * it is, so switching back needs nothing.
 * better-sqlite3 and kysely are imported inside `open()`, so installs that never use SQLite never load them.
 */

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StorageError } from '../../lib/errors.js';
import { parseSqliteConfig, type SqliteConfig } from './config.js';
import { createDocumentStorage } from '../document/storage.js';
import type { Storage, StorageDeps, StorageFactory } from '../storage.js';
import { dexSqlFormat } from '../sql/dex-format.js';
import { migrateSql, type RunSql } from '../sql/migrate.js';
import { compileKindQueries } from '../sql/queries.js';
import { createSqliteBackend } from './sqlite-backend.js';


const BUSY_TIMEOUT_MS = 5000;

const isMemory = (file: string): boolean => file === ':memory:' || file === '';

/** Opens (creating and migrating as needed) a SQLite-backed `Storage`. */
export async function openSqliteStorage(config: SqliteConfig, deps?: Partial<StorageDeps>): Promise<Storage> {
  const { default: Database } = await import('better-sqlite3');
  const { Kysely, SqliteDialect } = await import('kysely');
  let raw: InstanceType<typeof Database>;
  try {
    if (!isMemory(config.file)) mkdirSync(dirname(resolve(config.file)), { recursive: true });
    raw = new Database(config.file);
  } catch (err) {
    throw new StorageError('sqlite storage: cannot open the database file', { cause: err });
  }
  try {
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!isMemory(config.file)) {
      raw.pragma('journal_mode = WAL');
      // With WAL, NORMAL never corrupts the file; a power cut may only drop the last commits.
      raw.pragma('synchronous = NORMAL');
    }
    const run: RunSql = async (text, params = []) => {
      const stmt = raw.prepare(text);
      if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
      stmt.run(...params);
      return [];
    };
    raw.exec('begin immediate');
    let outcome;
    try {
      outcome = await migrateSql(run, 'sqlite');
      raw.exec('commit');
    } catch (err) {
      if (raw.inTransaction) raw.exec('rollback');
      throw err;
    }
    if (outcome.applied > 0) deps?.logger?.info({ applied: outcome.applied }, 'sqlite storage: dex schema migrations applied');
    if (outcome.found > outcome.known) deps?.logger?.warn(outcome, 'sqlite storage: the schema is newer than dex v2.45.1; Ferry uses the v2.45.1 columns');
    // kysely is the portable SQL layer; here it compiles statements that run synchronously on `raw`.
    const db = new Kysely({ dialect: new SqliteDialect({ database: raw }) });
    const backend = createSqliteBackend(raw, compileKindQueries(db, 'sqlite'), Database.SqliteError, async () => {
      await db.destroy();
      if (raw.open) raw.close();
    });
    return createDocumentStorage(backend, dexSqlFormat);
  } catch (err) {
    raw.close();
    if (err instanceof Database.SqliteError) {
      throw new StorageError(`sqlite storage: open failed (${err.code})`, { cause: err });
    }
    throw err;
  }
}

export const sqliteStorage: StorageFactory<SqliteConfig> = {
  type: 'sqlite3',
  parseConfig: parseSqliteConfig,
  open: (config, deps) => openSqliteStorage(config, deps),
};
