/** The `sqlite3` storage backend (re-exports only). */
export { sqliteStorage, openSqliteStorage, type SqliteConfig } from './sqlite-storage.js';
