/**
 * Storage type `mysql` (dex v2.45.1 storage/sql/config.go), for MySQL and MariaDB: dex v2.45.1's tables through a mysql2
 * pool. mysql2 and kysely are imported inside `open()`. Opening connects and migrates, so an unreachable server
 * fails `open()` with a `StorageError`; afterwards the pool reconnects by itself when the server comes back.
 * dex runs every transaction SERIALIZABLE; Ferry needs no isolation level: updates are a compare-and-swap with a
 * `SELECT ... FOR UPDATE` fallback (`sql/network-backend.ts`), which is correct at the server's default level.
 */

import { StorageError } from '../../lib/errors.js';
import { createDocumentStorage } from '../document/storage.js';
import { dexSqlFormat } from '../sql/dex-format.js';
import { migrateMysql } from '../sql/migrate-network.js';
import { createNetworkBackend, driverErrorCode } from '../sql/network-backend.js';
import { compileKindQueries } from '../sql/queries.js';
import { countQuery } from '../sql/query-counter.js';
import type { Storage, StorageDeps, StorageFactory } from '../storage.js';
import { mysqlPoolConfig, parseMysqlConfig, type MysqlConfig } from './config.js';
import { createMysqlDriver } from './mysql-driver.js';

const PATH = 'storage.config';

/** Opens (migrating as needed) a MySQL/MariaDB-backed `Storage`. */
export async function openMysqlStorage(config: MysqlConfig, deps?: Partial<StorageDeps>): Promise<Storage> {
  const poolConfig = mysqlPoolConfig(config, PATH);
  if (config.connMaxLifetime > 0) deps?.logger?.warn('mysql storage: connMaxLifetime is not enforced (idle connections close after 60 s)');
  const { default: mysql } = await import('mysql2');
  const { Kysely, MysqlDialect } = await import('kysely');
  const pool = mysql.createPool(poolConfig);
  // A connection that dies while idle (server restart) must not crash the process; the pool drops it.
  pool.on('connection', (conn) => conn.on('error', (err) => deps?.logger?.warn({ code: driverErrorCode(err) }, 'mysql storage: connection lost')));
  const db = new Kysely({ dialect: new MysqlDialect({ pool }) });
  try {
    const conn = await pool.promise().getConnection();
    try {
      const outcome = await migrateMysql(async (text, params) => {
        const [rows] = await conn.query(text, params as unknown[]);
        return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
      });
      if (outcome.applied > 0) deps?.logger?.info({ applied: outcome.applied }, 'mysql storage: dex schema migrations applied');
      if (outcome.found > outcome.known) deps?.logger?.warn(outcome, 'mysql storage: the schema is newer than dex v2.45.1; Ferry uses the v2.45.1 columns');
    } finally {
      conn.release();
    }
  } catch (err) {
    // End the pool itself: kysely's destroy() ends only a pool it has used, and mysql2's idle sweeper re-arms a timer
    // every second until the pool is ended, which would keep the process alive.
    await pool.promise().end().catch(() => undefined);
    throw new StorageError(`mysql storage: open failed (${driverErrorCode(err)})`, { cause: err });
  }
  const queries = compileKindQueries(db, 'mysql', 'error');
  return createDocumentStorage(createNetworkBackend(createMysqlDriver(pool.promise(), countQuery), queries, 'mysql'), dexSqlFormat);
}

export const mysqlStorage: StorageFactory<MysqlConfig> = {
  type: 'mysql',
  parseConfig: (raw, path, strict) => parseMysqlConfig(raw, path, strict),
  open: (config, deps) => openMysqlStorage(config, deps),
};
