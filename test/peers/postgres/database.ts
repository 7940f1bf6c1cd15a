/**
 * Test-side access to the PostgreSQL peer (start.sh): reads its FERRY_POSTGRES_* variables and gives each test
 * file its own database (created now, dropped by `drop()`), so concurrent runs and files never collide.
 */

import { randomBytes } from 'node:crypto';
import pg from 'pg';

const VARS = ['HOST', 'PORT', 'USER', 'PASSWORD', 'DATABASE'] as const;
export const POSTGRES_PEER_MISSING =
  'FERRY_POSTGRES_* are not set: start the peer with test/peers/postgres/start.sh (node scripts/test.mjs --peers postgres does it)';

export interface PostgresPeer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** The peer's connection settings, or null when its variables are missing. */
export function postgresPeer(env: NodeJS.ProcessEnv = process.env): PostgresPeer | null {
  const v = VARS.map((k) => env[`FERRY_POSTGRES_${k}`]);
  if (v.some((x) => !x)) return null;
  const [host, port, user, password, database] = v as string[];
  return { host: host!, port: Number(port), user: user!, password: password!, database: database! };
}

/**
 * The peer's TLS-only login (`FERRY_POSTGRES_TLS_USER`, refused without TLS by the server) and the CA file of its
 * certificate (`FERRY_POSTGRES_CA`), or null when they are missing.
 */
export function postgresPeerTls(env: NodeJS.ProcessEnv = process.env): (PostgresPeer & { caFile: string }) | null {
  const peer = postgresPeer(env);
  const user = env.FERRY_POSTGRES_TLS_USER;
  const caFile = env.FERRY_POSTGRES_CA;
  return peer && user && caFile ? { ...peer, user, caFile } : null;
}

/** dex-format `storage.config` for `peer` (TLS off; the TLS run is postgres-tls.test.ts). */
export const storageConfig = (peer: PostgresPeer, database = peer.database) => ({
  host: peer.host,
  port: peer.port,
  user: peer.user,
  password: peer.password,
  database,
  ssl: { mode: 'disable' },
});

export interface TestDatabase {
  name: string;
  config: ReturnType<typeof storageConfig>;
  /** Empties the document table (if the schema exists yet). */
  reset(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

export async function createTestDatabase(peer: PostgresPeer): Promise<TestDatabase> {
  const name = `ferry_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ ...storageConfig(peer), ssl: false });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const client = new pg.Client({ ...storageConfig(peer, name), ssl: false });
  await client.connect();
  return {
    name,
    config: storageConfig(peer, name),
    async reset() {
      // Every table but dex's migrations bookkeeping (the schema stays; only the data goes).
      const { rows } = await client.query<{ t: string }>(
        `SELECT quote_ident(tablename) AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'migrations'`,
      );
      if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((r) => r.t).join(', ')}`);
    },
    query: (text, values) => client.query(text, values),
    async drop() {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
