/**
 * The PostgreSQL backend over TLS against the live peer: the whole conformance suite runs as the peer's TLS-only
 * role with `ssl.mode: verify-full` and the peer's CA (`ssl.caFile`). The peer's pg_hba refuses that role without
 * TLS, which the first test shows, and `pg_stat_ssl` confirms Ferry's own connections are encrypted.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { silentLogger } from '../../lib/logger.js';
import { runStorageConformance } from '../conformance/index.js';
import { POSTGRES_PEER_MISSING, postgresPeerTls } from '../../../test/peers/postgres/database.js';
import { postgresStorage } from './index.js';

const peer = postgresPeerTls();
if (!peer) {
  test('postgres storage over TLS', () => {
    throw new Error(`${POSTGRES_PEER_MISSING} (with FERRY_POSTGRES_TLS_USER and FERRY_POSTGRES_CA)`);
  });
} else {
  const database = `ferry_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const tls = { ca: readFileSync(peer.caFile, 'utf8') };
  /** The test's own connection, as the TLS-only role (verified against the peer's CA). */
  const client = (db: string) => new pg.Client({ host: peer.host, port: peer.port, user: peer.user, password: peer.password, database: db, ssl: tls });
  let admin: pg.Client;
  let inDb: pg.Client;
  before(async () => {
    admin = client(peer.database);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    inDb = client(database);
    await inDb.connect();
  });
  after(async () => {
    await inDb.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  const deps = { logger: silentLogger(), now: () => new Date() };
  const config = (ssl: Record<string, string>) => ({ host: peer.host, port: peer.port, user: peer.user, password: peer.password, database, ssl });
  const open = (ssl: Record<string, string> = { mode: 'verify-full', caFile: peer.caFile }) =>
    postgresStorage.open(postgresStorage.parseConfig(config(ssl), 'storage.config'), deps);

  describe('the TLS-only role', () => {
    test('is refused without TLS (ssl.mode: disable), so the runs below cannot pass in plaintext', async () => {
      await assert.rejects(async () => {
        const s = await open({ mode: 'disable' });
        try {
          await s.listClients();
        } finally {
          await s.close();
        }
      });
    });

    test("Ferry's pool connections are encrypted (pg_stat_ssl)", async () => {
      const s = await open();
      try {
        await s.listClients();
        const { rows } = await inDb.query<{ ssl: boolean; version: string }>(
          `SELECT s.ssl, s.version FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
           WHERE a.datname = current_database() AND a.application_name = 'ferry'`,
        );
        assert.ok(rows.length > 0, "Ferry's connections are visible");
        for (const r of rows) assert.deepEqual([r.ssl, r.version.startsWith('TLSv1.')], [true, true]);
      } finally {
        await s.close();
      }
    });

    test("verify-full without ssl.caFile is refused: the system's CAs did not sign the peer's certificate", async () => {
      await assert.rejects(async () => {
        const s = await open({ mode: 'verify-full' });
        try {
          await s.listClients();
        } finally {
          await s.close();
        }
      });
    });
  });

  runStorageConformance({
    name: 'postgres over TLS (verify-full, PostgreSQL 15 peer)',
    open: async () => {
      const { rows } = await inDb.query<{ t: string }>(
        `SELECT quote_ident(tablename) AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'migrations'`,
      );
      if (rows.length > 0) await inDb.query(`TRUNCATE ${rows.map((r) => r.t).join(', ')}`);
      return open();
    },
  });
}
