/**
 * The `storage.config` keys PostgreSQL and MySQL share (dex v2.45.1 `storage/sql/config.go`, `NetworkDB` and
 * `SSL`). Keys match case-insensitively as in dex; timeouts and lifetimes are whole seconds; 0 means
 * "not set" exactly as in dex, and each backend applies dex's default for it.
 */

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../../lib/errors.js';

const seconds = z.number().int().min(0, 'must not be negative').default(0);
const count = z.number().int().min(0, 'must not be negative').default(0);

export const sslSchema = z
  .object({
    mode: z.string().default(''),
    caFile: z.string().default(''),
    certFile: z.string().default(''),
    keyFile: z.string().default(''),
  })
  .default({ mode: '', caFile: '', certFile: '', keyFile: '' });

export const networkDbSchema = z.object({
  database: z.string().default(''),
  user: z.string().default(''),
  password: z.string().default(''),
  host: z.string().default(''),
  port: z.number().int().min(0).max(65535, 'expected a port number').default(0),
  connectionTimeout: seconds,
  maxOpenConns: count,
  maxIdleConns: count,
  connMaxLifetime: seconds,
  ssl: sslSchema,
});

export type NetworkDbConfig = z.output<typeof networkDbSchema>;
export type SslConfig = NetworkDbConfig['ssl'];

/**
 * Splits `host:port` / `[v6]:port` like Go's `net.SplitHostPort`; anything else (a bare name, a bare IPv6
 * address, a unix socket path) is the host, and the port is `port` (0 = the driver's default).
 */
export function splitHostPort(host: string, port: number): { host: string; port: number } {
  const m = /^\[([^\]]*)\]:(\d*)$/.exec(host) ?? /^([^:[\]]*):(\d*)$/.exec(host);
  if (!m) return { host, port };
  return { host: m[1] ?? '', port: m[2] ? Number(m[2]) : 0 };
}

/** The certificate files named in `ssl`, read now; a missing file is a config error naming its key. */
export function readSslFiles(ssl: SslConfig, path: string): { ca?: string; cert?: string; key?: string } {
  const read = (file: string, key: string): string | undefined => {
    if (file === '') return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, `${path}.ssl.${key}`);
    }
  };
  const [ca, cert, key] = [read(ssl.caFile, 'caFile'), read(ssl.certFile, 'certFile'), read(ssl.keyFile, 'keyFile')];
  if ((cert === undefined) !== (key === undefined)) throw new ConfigError('certFile and keyFile must be given together', `${path}.ssl`);
  return { ...(ca === undefined ? {} : { ca }), ...(cert === undefined || key === undefined ? {} : { cert, key }) };
}
