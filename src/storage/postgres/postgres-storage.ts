/**
 * Storage type `postgres` (dex v2.45.1 storage/sql/config.go): dex v2.45.1's tables on PostgreSQL through a node-postgres pool.
 * `pg` and kysely are imported inside `open()`, so installs that never use PostgreSQL never load them. Opening
 * connects once and runs the migrations, so an unreachable server fails `open()` with a `StorageError` (the
 * caller retries; see `src/cli/start.ts`). Afterwards the pool reconnects by itself: while the server is down
 * calls fail with `StorageError`, and they succeed again once it is back, without a restart.
 */

import { StorageError } from '../../lib/errors.js';
import { createDocumentStorage } from '../document/storage.js';
import { dexSqlFormat } from '../sql/dex-format.js';
import { migratePostgres } from '../sql/migrate-network.js';
import { createNetworkBackend, driverErrorCode } from '../sql/network-backend.js';
import { compileKindQueries } from '../sql/queries.js';
import { countQuery } from '../sql/query-counter.js';
import type { Storage, StorageDeps, StorageFactory } from '../storage.js';
import { parsePostgresConfig, pgPoolConfig, type PostgresConfig } from './config.js';
import { createPgDriver } from './pg-driver.js';

const PATH = 'storage.config';

/** Opens (migrating as needed) a PostgreSQL-backed `Storage`. */
export async function openPostgresStorage(config: PostgresConfig, deps?: Partial<StorageDeps>): Promise<Storage> {
  const poolConfig = pgPoolConfig(config, PATH);
  const { default: pg } = await import('pg');
  const { Kysely, PostgresDialect } = await import('kysely');
  const pool = new pg.Pool(poolConfig);
  // Idle connections die when the server restarts; without a listener that would crash the process.
  pool.on('error', (err) => deps?.logger?.warn({ code: driverErrorCode(err) }, 'postgres storage: idle connection lost'));
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  try {
    const client = await pool.connect();
    try {
      const outcome = await migratePostgres(async (text, params) => (await client.query(text, params as unknown[])).rows as Record<string, unknown>[]);
      if (outcome.applied > 0) deps?.logger?.info({ applied: outcome.applied }, 'postgres storage: dex schema migrations applied');
      if (outcome.found > outcome.known) deps?.logger?.warn(outcome, 'postgres storage: the schema is newer than dex v2.45.1; Ferry uses the v2.45.1 columns');
    } finally {
      client.release();
    }
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw new StorageError(`postgres storage: open failed (${driverErrorCode(err)})`, { cause: err });
  }
  const queries = compileKindQueries(db, 'postgres');
  return createDocumentStorage(createNetworkBackend(createPgDriver(pool, queries, countQuery), queries, 'postgres'), dexSqlFormat);
}

export const postgresStorage: StorageFactory<PostgresConfig> = {
  type: 'postgres',
  parseConfig: (raw, path, strict) => parsePostgresConfig(raw, path, strict),
  open: (config, deps) => openPostgresStorage(config, deps),
};
