/**
 * Runs ../sql/migrate.ts on PostgreSQL or MySQL through a pool's single connection, serialised across replicas
 * that start together:
 * - PostgreSQL: one transaction holding `pg_advisory_xact_lock`; DDL is transactional, so a failure leaves no
 *   trace and the next start retries cleanly;
 * - MySQL/MariaDB: DDL commits implicitly, so there a named lock (`GET_LOCK`) serialises the runners, and each
 *   dex migration is recorded right after its statements, as dex records it.
 * dex itself takes no lock; two dex replicas migrating a new store at once race each other, as in dex.
 */

import { migrateSql, type MigrationOutcome, type RunSql } from './migrate.js';

const PG_LOCK_KEY = '112615433087265'; // 0x666572727921, "ferry!"
const MYSQL_LOCK = 'ferry_migrations';
const MYSQL_LOCK_WAIT_S = 60;

/** `run` is bound to one connection for the whole call. */
export async function migratePostgres(run: RunSql): Promise<MigrationOutcome> {
  await run('begin');
  try {
    await run('select pg_advisory_xact_lock($1)', [PG_LOCK_KEY]);
    const outcome = await migrateSql(run, 'postgres');
    await run('commit');
    return outcome;
  } catch (err) {
    await run('rollback').catch(() => undefined);
    throw err;
  }
}

export async function migrateMysql(run: RunSql): Promise<MigrationOutcome> {
  const [got] = await run('select get_lock(?, ?) as l', [MYSQL_LOCK, MYSQL_LOCK_WAIT_S]);
  if (Number(got?.l) !== 1) throw new Error(`timed out waiting for the ${MYSQL_LOCK} lock`);
  try {
    return await migrateSql(run, 'mysql');
  } finally {
    await run('select release_lock(?)', [MYSQL_LOCK]);
  }
}
