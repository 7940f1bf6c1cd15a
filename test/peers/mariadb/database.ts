/**
 * Test-side access to the MariaDB peer (start.sh): reads its FERRY_MYSQL_* variables and gives each test file its
 * own database `ferry_t_*` (created now, dropped by `drop()`), so concurrent runs and files never collide.
 */

import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

const VARS = ['HOST', 'PORT', 'USER', 'PASSWORD', 'DATABASE'] as const;
export const MYSQL_PEER_MISSING =
  'FERRY_MYSQL_* are not set: start the peer with test/peers/mariadb/start.sh (node scripts/test.mjs --peers mariadb does it)';

export interface MysqlPeer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** The peer's connection settings, or null when its variables are missing. */
export function mysqlPeer(env: NodeJS.ProcessEnv = process.env): MysqlPeer | null {
  const v = VARS.map((k) => env[`FERRY_MYSQL_${k}`]);
  if (v.some((x) => !x)) return null;
  const [host, port, user, password, database] = v as string[];
  return { host: host!, port: Number(port), user: user!, password: password!, database: database! };
}

/**
 * The peer's TLS-only login (`FERRY_MYSQL_TLS_USER`, refused without TLS by the server) and the CA file of its
 * certificate (`FERRY_MYSQL_CA`), or null when they are missing.
 */
export function mysqlPeerTls(env: NodeJS.ProcessEnv = process.env): (MysqlPeer & { caFile: string }) | null {
  const peer = mysqlPeer(env);
  const user = env.FERRY_MYSQL_TLS_USER;
  const caFile = env.FERRY_MYSQL_CA;
  return peer && user && caFile ? { ...peer, user, caFile } : null;
}

/** dex-format `storage.config` for `peer` (TLS off; the TLS run is mysql-tls.test.ts). */
export const storageConfig = (peer: MysqlPeer, database = peer.database) => ({
  host: peer.host,
  port: peer.port,
  user: peer.user,
  password: peer.password,
  database,
  ssl: { mode: 'false' },
});

export interface TestDatabase {
  name: string;
  config: ReturnType<typeof storageConfig>;
  /** Empties the document table (if the schema exists yet). */
  reset(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<unknown>;
  drop(): Promise<void>;
}

export async function createTestDatabase(peer: MysqlPeer): Promise<TestDatabase> {
  const name = `ferry_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const { host, port, user, password } = peer;
  const conn = await mysql.createConnection({ host, port, user, password });
  await conn.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  await conn.query(`USE ${name}`);
  return {
    name,
    config: storageConfig(peer, name),
    async reset() {
      // Every table but dex's migrations bookkeeping (the schema stays; only the data goes).
      const [rows] = await conn.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = database()');
      for (const { t } of rows as { t: string }[]) if (t !== 'migrations') await conn.query(`TRUNCATE TABLE \`${t}\``);
    },
    query: async (text, values) => (await conn.query(text, values))[0],
    async drop() {
      await conn.query(`DROP DATABASE IF EXISTS ${name}`);
      await conn.end();
    },
  };
}
