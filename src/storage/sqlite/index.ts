/** The `sqlite3` storage backend (re-exports only). */
export { sqliteStorage, openSqliteStorage } from './sqlite-storage.js';
export { parseSqliteConfig, type SqliteConfig } from './config.js';
