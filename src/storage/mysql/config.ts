/**
 * `storage.config` of type `mysql` (dex v2.45.1 `storage/sql/config.go`), for MySQL and MariaDB, and
 * its translation into a mysql2 pool. Keys as for `postgres`, and as in dex:
 * - `host` starting with `/` is a unix socket path; otherwise `host` or `host:port` (default 127.0.0.1:3306);
 * - `ssl.mode` is `true` (the default: TLS, server verified), `false` (no TLS) or `skip-verify` (TLS, not
 *   verified); giving `ssl.caFile` or a `certFile`/`keyFile` pair selects a verified TLS setup with those files;
 * - `maxIdleConns` defaults to 0 as in dex (dex#1608): then no idle connection is kept longer than 60 s.
 */

import type { PoolOptions } from 'mysql2';
import { parsePluginConfig } from '../../lib/plugin-config.js';
import { networkDbSchema, readSslFiles, splitHostPort, type NetworkDbConfig } from '../sql/network-config.js';

export const MYSQL_SSL_MODES = ['true', 'false', 'skip-verify'] as const;

export type MysqlConfig = NetworkDbConfig;

const DEFAULT_MAX_CONNS = 5;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 60_000;

const schema = networkDbSchema.superRefine((c, ctx) => {
  if (c.ssl.mode !== '' && !(MYSQL_SSL_MODES as readonly string[]).includes(c.ssl.mode)) {
    ctx.addIssue({ code: 'custom', path: ['ssl', 'mode'], message: `unknown ssl mode ${JSON.stringify(c.ssl.mode)} (expected one of ${MYSQL_SSL_MODES.join(', ')})` });
  }
});

export const parseMysqlConfig = (raw: unknown, path: string, strict = false): MysqlConfig => parsePluginConfig(schema, raw, path, strict);

function tlsOptions(c: MysqlConfig, path: string): PoolOptions['ssl'] {
  const files = readSslFiles(c.ssl, path);
  if (files.ca !== undefined || files.cert !== undefined) return { ...files, rejectUnauthorized: true };
  switch (c.ssl.mode || 'true') {
    case 'false':
      return undefined;
    case 'skip-verify':
      return { rejectUnauthorized: false };
    default:
      return { rejectUnauthorized: true };
  }
}

function address(c: MysqlConfig): Pick<PoolOptions, 'host' | 'port' | 'socketPath'> {
  if (c.host.startsWith('/')) return { socketPath: c.host };
  const { host, port } = splitHostPort(c.host, c.port);
  return { host: host || '127.0.0.1', port: port || 3306 };
}

/** The mysql2 pool options for `c`; throws `ConfigError` (naming the key under `path`) for unreadable files. */
export function mysqlPoolConfig(c: MysqlConfig, path: string): PoolOptions {
  return {
    ...address(c),
    user: c.user || undefined,
    password: c.password || undefined,
    database: c.database || undefined,
    ssl: tlsOptions(c, path),
    charset: 'utf8mb4',
    connectTimeout: c.connectionTimeout > 0 ? c.connectionTimeout * 1000 : DEFAULT_CONNECT_TIMEOUT_MS,
    connectionLimit: c.maxOpenConns || DEFAULT_MAX_CONNS,
    maxIdle: c.maxIdleConns,
    idleTimeout: IDLE_TIMEOUT_MS,
    supportBigNumbers: true,
    // dex's driver reads and writes datetime columns as UTC.
    timezone: 'Z',
  };
}
