/** The `postgres` storage backend (re-exports only). */
export { openPostgresStorage, postgresStorage } from './postgres-storage.js';
export { pgPoolConfig, PG_SSL_MODES, type PostgresConfig } from './config.js';
