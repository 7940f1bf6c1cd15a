/**
 * Runs the shared SQL migrations on PostgreSQL or MySQL through kysely, serialised across replicas that start
 * together:
 * - PostgreSQL: one transaction holding `pg_advisory_xact_lock`; DDL is transactional, so a failure leaves no
 *   trace and the next start retries cleanly;
 * - MySQL/MariaDB: DDL commits implicitly, so there a named lock (`GET_LOCK`) on one connection serialises the
 *   runners, and each migration is recorded right after its statements.
 */

import { type Compilable, type Kysely, sql } from 'kysely';
import { createMigrationsTable, migrations } from './migrations.js';
import type { SqlSchema } from './schema.js';

const PG_LOCK_KEY = 0x666572727921; // "ferry!"
const MYSQL_LOCK = 'ferry_migrations';
const MYSQL_LOCK_WAIT_S = 60;

async function applyPending(db: Kysely<SqlSchema>, dialect: 'postgres' | 'mysql', now: () => Date): Promise<number> {
  const run = (c: Compilable) => db.executeQuery(c.compile());
  await run(createMigrationsTable(db));
  const row = await db.selectFrom('migrations').select(sql<number | string | null>`max(num)`.as('n')).executeTakeFirst();
  const done = Number(row?.n ?? 0);
  let applied = 0;
  for (const m of migrations) {
    if (m.num <= done) continue;
    for (const s of m.statements(db, dialect)) await run(s);
    await run(db.insertInto('migrations').values({ num: m.num, at: now().toISOString() }));
    applied++;
  }
  return applied;
}

/** Applies pending migrations; returns how many ran (0 when the schema is current). */
export async function migrateNetworkSql(db: Kysely<SqlSchema>, dialect: 'postgres' | 'mysql', now: () => Date): Promise<number> {
  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${PG_LOCK_KEY})`.execute(trx);
      return applyPending(trx, dialect, now);
    });
  }
  return db.connection().execute(async (conn) => {
    const got = await sql<{ l: number | null }>`select get_lock(${MYSQL_LOCK}, ${MYSQL_LOCK_WAIT_S}) as l`.execute(conn);
    if (Number(got.rows[0]?.l) !== 1) throw new Error(`timed out waiting for the ${MYSQL_LOCK} lock`);
    try {
      return await applyPending(conn, dialect, now);
    } finally {
      await sql`select release_lock(${MYSQL_LOCK})`.execute(conn);
    }
  });
}
