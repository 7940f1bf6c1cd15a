/**
 * The MySQL backend over TLS against the live MariaDB peer: the whole conformance suite runs as the peer's user
 * created `REQUIRE SSL`, with the peer's CA (`ssl.caFile`: TLS with the chain and host name verified). The first
 * tests show the server refuses that user without TLS and that Ferry refuses a server its CAs do not trust.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { silentLogger } from '../../lib/logger.js';
import { runStorageConformance } from '../conformance/index.js';
import { MYSQL_PEER_MISSING, mysqlPeerTls } from '../../../test/peers/mariadb/database.js';
import { mysqlStorage } from './index.js';

const peer = mysqlPeerTls();
if (!peer) {
  test('mysql storage over TLS', () => {
    throw new Error(`${MYSQL_PEER_MISSING} (with FERRY_MYSQL_TLS_USER and FERRY_MYSQL_CA)`);
  });
} else {
  const database = `ferry_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  let conn: mysql.Connection;
  before(async () => {
    conn = await mysql.createConnection({
      host: peer.host, port: peer.port, user: peer.user, password: peer.password, ssl: { ca: readFileSync(peer.caFile, 'utf8') },
    });
    await conn.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
    await conn.query(`USE ${database}`);
  });
  after(async () => {
    await conn.query(`DROP DATABASE IF EXISTS ${database}`);
    await conn.end();
  });

  const deps = { logger: silentLogger(), now: () => new Date() };
  const config = (ssl: Record<string, string>) => ({ host: peer.host, port: peer.port, user: peer.user, password: peer.password, database, ssl });
  const open = (ssl: Record<string, string> = { caFile: peer.caFile }) =>
    mysqlStorage.open(mysqlStorage.parseConfig(config(ssl), 'storage.config'), deps);
  const refused = (ssl: Record<string, string>) =>
    assert.rejects(async () => {
      const s = await open(ssl);
      try {
        await s.listClients();
      } finally {
        await s.close();
      }
    });

  describe('the REQUIRE SSL user', () => {
    test('is refused without TLS (ssl.mode: false), so the run below cannot pass in plaintext', () => refused({ mode: 'false' }));

    test("ssl.mode: true without ssl.caFile is refused: the system's CAs did not sign the peer's certificate", () =>
      refused({ mode: 'true' }));

    test('the test connection itself negotiated TLS (Ssl_version)', async () => {
      const [rows] = await conn.query("SHOW SESSION STATUS LIKE 'Ssl_version'");
      assert.match((rows as { Value: string }[])[0]?.Value ?? '', /^TLSv1\.[23]$/);
    });
  });

  runStorageConformance({
    name: 'mysql over TLS (CA verified, MariaDB 10.11 peer)',
    open: async () => {
      const [rows] = await conn.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = database()');
      for (const { t } of rows as { t: string }[]) if (t !== 'migrations') await conn.query(`TRUNCATE TABLE \`${t}\``);
      return open();
    },
  });
}
