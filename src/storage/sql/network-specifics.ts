/**
 * Checks beyond the conformance suite that every networked SQL backend (PostgreSQL, MySQL/MariaDB) must pass
 * against its real server: concurrent first start of several replicas (dex's migrations run once), lost-update
 * freedom across replicas (two pools, so the compare-and-swap really races and falls back to row locks), ids and
 * non-ASCII values as dex's column types hold them, and a log-safe error for an unreachable server. Imports `node:test`: tests only.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StorageError } from '../../lib/errors.js';
import * as f from '../conformance/fixtures.js';
import type { Storage } from '../storage.js';
import { dexMigrations, type SqlDialectName } from './dex-migrations.js';
import { queriesSent } from './query-counter.js';

export interface NetworkSqlSubject {
  name: string;
  dialect: SqlDialectName;
  /** Opens a storage on the test database; `overrides` replace keys of its `storage.config`. */
  open(overrides?: Record<string, unknown>): Promise<Storage>;
  /** Drops every table (a never-migrated database). */
  dropSchema(): Promise<void>;
  /** Rows in the migrations table. */
  migrationRows(): Promise<number>;
  /** A TCP port on 127.0.0.1 where nothing listens. */
  closedPort(): Promise<number>;
}

const closeAll = (ss: Storage[]) => Promise.all(ss.map((s) => s.close()));

export function runNetworkSqlSpecifics(subject: NetworkSqlSubject): void {
  describe(`${subject.name}: networked SQL specifics`, () => {
    test('replicas starting together migrate exactly once', async () => {
      await subject.dropSchema();
      const replicas = await Promise.all([subject.open(), subject.open(), subject.open()]);
      await closeAll(replicas);
      assert.equal(await subject.migrationRows(), dexMigrations(subject.dialect).length);
    });

    test('two replicas updating one record lose no update', async () => {
      const [a, b] = [await subject.open(), await subject.open()];
      const r = { ...f.refreshToken(0), id: `race-${Date.now()}`, token: '0' };
      await a.createRefresh(r);
      const bump = (s: Storage) => s.updateRefreshToken(r.id, (old) => ({ ...old, token: String(Number(old.token) + 1) }));
      await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? a : b)));
      assert.equal((await b.getRefresh(r.id)).token, '40');
      await closeAll([a, b]);
    });

    test('the refresh grant reads token and OfflineSessions in one statement and swaps each in one', async () => {
      const s = await subject.open();
      const sessions = { ...f.offlineSessions(0), connectorData: null };
      const token = { ...f.refreshToken(0), connectorId: sessions.connId, claims: { ...f.refreshToken(0).claims, userId: sessions.userId } };
      await s.createOfflineSessions(sessions);
      await s.createRefresh(token);
      const sent = queriesSent();
      const got = await s.getRefreshWithSessions(token.id);
      assert.deepEqual(got.sessions, sessions);
      await s.updateRefreshToken(token.id, (old) => ({ ...old, token: 'next', obsoleteToken: old.token }), got.token);
      await s.updateOfflineSessions(sessions.userId, sessions.connId, (old) => ({ ...old, connectorData: f.bytes(1) }), got.sessions ?? undefined);
      assert.equal(queriesSent() - sent, 3, 'one statement each, no transaction');
      assert.equal((await s.getRefresh(token.id)).token, 'next');
      assert.deepEqual((await s.getOfflineSessions(sessions.userId, sessions.connId)).connectorData, f.bytes(1));
      await s.close();
    });

    test('ids compare byte for byte; large and non-ASCII values round-trip', async () => {
      const s = await subject.open();
      const t = Date.now();
      if (subject.dialect === 'postgres') {
        // dex's `text` columns compare exactly on PostgreSQL.
        const ids = [`${t}-Case`, `${t}-case`, `${t}-case `, `${t}-cäse`];
        for (const id of ids) await s.createClient({ ...f.client(0), id, name: id });
        for (const id of ids) assert.equal((await s.getClient(id)).name, id);
      }
      // On MySQL dex's `text` is `varchar(384)` in the database's collation (case-insensitive by default), as for
      // dex itself; values beyond 384 characters do not fit there, so the large value goes to a blob column.
      const name = subject.dialect === 'postgres' ? 'ünïcødé 🚢 '.repeat(20_000) : 'ünïcødé 🚢 '.repeat(30);
      const big = { ...f.client(1), id: `big-${t}`, name };
      await s.createClient(big);
      assert.deepEqual(await s.getClient(big.id), big, 'a non-ASCII client name');
      const config = JSON.stringify({ blob: 'ünïcødé 🚢 '.repeat(2_000) });
      await s.createConnector({ ...f.connector(0), id: `conn-${t}`, config });
      assert.equal((await s.getConnector(`conn-${t}`)).config, config, 'a connector config over 16 KiB');
      await s.close();
    });

    test('an unreachable server is a StorageError carrying only the cause code', async () => {
      const password = 'do-not-log-me';
      await assert.rejects(subject.open({ port: await subject.closedPort(), password }), (e: Error) => {
        assert.ok(e instanceof StorageError);
        assert.match(e.message, /open failed \(ECONNREFUSED\)$/);
        assert.ok(!e.message.includes(password));
        return true;
      });
    });
  });
}
