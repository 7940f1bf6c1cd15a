/**
 * Numbered, append-only schema migrations, written with kysely's schema builder so each dialect compiles them.
 * Never edit or reorder an entry once released: add a new number. Runners record each applied number in the
 * `migrations` table inside the same transaction as its statements.
 */

import type { Compilable, Kysely } from 'kysely';
import type { SqlSchema } from './schema.js';

export interface Migration {
  num: number;
  statements(db: Kysely<SqlSchema>): Compilable[];
}

/** Creates the bookkeeping table (idempotent). */
export const createMigrationsTable = (db: Kysely<SqlSchema>): Compilable =>
  db.schema
    .createTable('migrations')
    .ifNotExists()
    .addColumn('num', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'varchar(32)', (c) => c.notNull());

export const migrations: readonly Migration[] = [
  {
    num: 1,
    statements: (db) => [
      db.schema
        .createTable('document')
        .addColumn('kind', 'varchar(32)', (c) => c.notNull())
        // 512 keeps (kind, id) within MySQL's 3072-byte index limit under utf8mb4.
        .addColumn('id', 'varchar(512)', (c) => c.notNull())
        .addColumn('doc', 'text', (c) => c.notNull())
        .addColumn('expiry', 'bigint')
        .addPrimaryKeyConstraint('document_pk', ['kind', 'id']),
      db.schema.createIndex('document_kind_expiry').on('document').columns(['kind', 'expiry']),
    ],
  },
];
