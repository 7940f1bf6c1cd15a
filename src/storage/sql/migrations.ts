/**
 * Numbered, append-only schema migrations, written with kysely's schema builder so each dialect compiles them.
 * Never edit or reorder an entry once released: add a new number. Runners record each applied number in the
 * `migrations` table inside the same transaction as its statements.
 */

import { type Compilable, type Kysely, sql } from 'kysely';
import type { SqlSchema } from './schema.js';

/** The SQL dialects Ferry runs; a migration may vary column types by dialect (never its meaning). */
export type SqlDialectName = 'sqlite' | 'postgres' | 'mysql';

export interface Migration {
  num: number;
  /** `dialect` defaults to the portable types (SQLite and PostgreSQL share them). */
  statements(db: Kysely<SqlSchema>, dialect?: SqlDialectName): Compilable[];
}

/**
 * MySQL/MariaDB types. `TEXT` holds only 64 KiB, so `doc` is `LONGTEXT`. Ids are `VARBINARY` so they compare
 * byte for byte like the other dialects (`utf8mb4` collations ignore case and, in MariaDB, trailing spaces);
 * 2048 bytes fit any 512-character id in the 3072-byte InnoDB key limit. `doc` uses `utf8mb4_bin` so the
 * compare-and-swap in `network-backend.ts` compares exact text.
 */
const mysqlDocumentTable = (db: Kysely<SqlSchema>): Compilable =>
  db.schema
    .createTable('document')
    .addColumn('kind', sql`varbinary(32)`, (c) => c.notNull())
    .addColumn('id', sql`varbinary(2048)`, (c) => c.notNull())
    .addColumn('doc', sql`longtext character set utf8mb4 collate utf8mb4_bin`, (c) => c.notNull())
    .addColumn('expiry', 'bigint')
    .addPrimaryKeyConstraint('document_pk', ['kind', 'id'])
    .modifyEnd(sql`engine = InnoDB default charset = utf8mb4`);

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
    statements: (db, dialect) => [
      dialect === 'mysql'
        ? mysqlDocumentTable(db)
        : db.schema
            .createTable('document')
            .addColumn('kind', 'varchar(32)', (c) => c.notNull())
            .addColumn('id', 'varchar(512)', (c) => c.notNull())
            .addColumn('doc', 'text', (c) => c.notNull())
            .addColumn('expiry', 'bigint')
            .addPrimaryKeyConstraint('document_pk', ['kind', 'id']),
      db.schema.createIndex('document_kind_expiry').on('document').columns(['kind', 'expiry']),
    ],
  },
];
