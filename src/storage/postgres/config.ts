/**
 * `storage.config` of type `postgres` (dex v2.45.1 `storage/sql/config.go`) and its translation into a
 * node-postgres pool. Keys as in dex: `host` (may be `host:port`, or a unix socket directory), `port`, `database`,
 * `user`, `password`, `connectionTimeout` (s), `maxOpenConns` (5), `maxIdleConns` (5), `connMaxLifetime` (s),
 * `ssl.mode` (`verify-full` by default, as dex: the strictest), `ssl.caFile`, `ssl.certFile`, `ssl.keyFile`.
 * Unset connection fields fall back to libpq's environment (`PGHOST`, `PGUSER`, ...) as lib/pq does.
 */

import type { ConnectionOptions } from 'node:tls';
import type { PoolConfig } from 'pg';
import { parsePluginConfig } from '../../lib/plugin-config.js';
import { networkDbSchema, readSslFiles, splitHostPort, type NetworkDbConfig } from '../sql/network-config.js';

/** lib/pq's modes: no TLS; TLS unverified; TLS with the chain verified; chain and host name verified. */
export const PG_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

export type PostgresConfig = NetworkDbConfig;

const DEFAULT_MAX_CONNS = 5;

const schema = networkDbSchema.superRefine((c, ctx) => {
  if (c.ssl.mode !== '' && !(PG_SSL_MODES as readonly string[]).includes(c.ssl.mode)) {
    ctx.addIssue({ code: 'custom', path: ['ssl', 'mode'], message: `unknown ssl mode ${JSON.stringify(c.ssl.mode)} (expected one of ${PG_SSL_MODES.join(', ')})` });
  }
});

export const parsePostgresConfig = (raw: unknown, path: string, strict = false): PostgresConfig => parsePluginConfig(schema, raw, path, strict);

/** The TLS options for `ssl.mode` (files already read). `require` with a CA file verifies the chain, as libpq does. */
function tlsOptions(c: PostgresConfig, path: string): false | ConnectionOptions {
  const mode = c.ssl.mode || 'verify-full';
  if (mode === 'disable') return false;
  const files = readSslFiles(c.ssl, path);
  const verifyChain = mode !== 'require' || files.ca !== undefined;
  return {
    ...files,
    rejectUnauthorized: verifyChain,
    ...(mode === 'verify-full' ? {} : { checkServerIdentity: () => undefined }),
  };
}

/** The pg `Pool` options for `c`; throws `ConfigError` (naming the key under `path`) for unreadable files. */
export function pgPoolConfig(c: PostgresConfig, path: string): PoolConfig {
  const { host, port } = splitHostPort(c.host, c.port);
  const max = c.maxOpenConns || DEFAULT_MAX_CONNS;
  const opt = <T>(v: T, unset: T): T | undefined => (v === unset ? undefined : v);
  return {
    host: opt(host, ''),
    port: opt(port, 0),
    database: opt(c.database, ''),
    user: opt(c.user, ''),
    password: opt(c.password, ''),
    ssl: tlsOptions(c, path),
    max,
    // database/sql's MaxIdleConns: this many connections stay open when idle; the rest close after 10 s idle.
    min: Math.min(c.maxIdleConns || DEFAULT_MAX_CONNS, max),
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: c.connectionTimeout * 1000,
    maxLifetimeSeconds: c.connMaxLifetime,
    application_name: 'ferry',
    // Lets a transaction send BEGIN/COMMIT together with its statements (see pg-driver.ts).
    pipeline: true,
  };
}
