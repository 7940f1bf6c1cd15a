/**
 * Runs the shared SQL migrations on a SQLite connection, synchronously inside one `BEGIN IMMEDIATE` transaction:
 * two processes opening the same file at once serialise on the write lock, and the second finds nothing to do.
 */

import type { Database } from 'better-sqlite3';
import { type Compilable, type Kysely, sql } from 'kysely';
import { createMigrationsTable, migrations } from '../sql/migrations.js';
import type { SqlSchema } from '../sql/schema.js';

/** Applies pending migrations; returns how many ran (0 when the schema is current). */
export function migrateSqlite(raw: Database, db: Kysely<SqlSchema>, now: () => Date): number {
  const run = (c: Compilable): void => {
    const q = c.compile();
    raw.prepare(q.sql).run(...(q.parameters as unknown[]));
  };
  const apply = raw.transaction((): number => {
    run(createMigrationsTable(db));
    const latest = db.selectFrom('migrations').select(sql<number | null>`max(num)`.as('n')).compile();
    const done = (raw.prepare(latest.sql).pluck().get() as number | null) ?? 0;
    let applied = 0;
    for (const m of migrations) {
      if (m.num <= done) continue;
      for (const s of m.statements(db)) run(s);
      run(db.insertInto('migrations').values({ num: m.num, at: now().toISOString() }));
      applied++;
    }
    return applied;
  });
  return apply.immediate();
}
