/**
 * The SQL schema shared by the SQL backends (SQLite, PostgreSQL, MySQL/MariaDB), built through kysely.
 *
 * Layout: ONE table `document (kind, id, doc, expiry)` with primary key `(kind, id)` and an index on
 * `(kind, expiry)`, rather than dex's table per entity. Why:
 * - every backend speaks the generic `DocumentBackend`, so one table means a handful of portable statements in total,
 *   compiled once per dialect, and no per-entity SQL to keep in step with `types.ts`;
 * - adding an entity kind or a field needs no migration (fields live in the JSON `doc`, decoded with defaults);
 * - garbage collection is one indexed range delete per kind; point reads go through the primary key, so one
 *   table costs nothing on the hot path (row locks in PostgreSQL/MySQL are per row, not per table).
 * The price is that `doc` is opaque to SQL tooling; operators inspect it with the database's JSON functions.
 * `expiry` is milliseconds since the epoch (a zone-free integer, so every dialect compares instants alike).
 */

export interface DocumentTable {
  kind: string;
  id: string;
  doc: string;
  /** ms since epoch; null = never garbage-collected */
  expiry: number | null;
}

/** Applied migrations, as in dex: one row per migration number with the time it ran. */
export interface MigrationsTable {
  num: number;
  /** ISO-8601 UTC */
  at: string;
}

export interface SqlSchema {
  document: DocumentTable;
  migrations: MigrationsTable;
}
