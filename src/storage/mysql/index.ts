/** The `mysql` storage backend, for MySQL and MariaDB (re-exports only). */
export { mysqlStorage, openMysqlStorage } from './mysql-storage.js';
export { MYSQL_SSL_MODES, mysqlPoolConfig, type MysqlConfig } from './config.js';
