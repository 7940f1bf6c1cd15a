/**
 * Switching from dex on each SQL backend (docs/migrating-from-dex.md): SQLite always; PostgreSQL and MariaDB on
 * their peers (started by scripts/test.mjs), each in a database of its own.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { startTestFerry } from '../../helpers/ferry.js';
import { DEX_MIGRATION_COUNT } from '../../fixtures/dex-sql/schema.js';
import { createTestDatabase as createPg, POSTGRES_PEER_MISSING, postgresPeer } from '../../peers/postgres/database.js';
import { createTestDatabase as createMysql, MYSQL_PEER_MISSING, mysqlPeer } from '../../peers/mariadb/database.js';
import { dexStoreFlows } from './dex-store.flows.js';

dexStoreFlows('sqlite3', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-dex-store-'));
  const file = join(dir, 'dex.db');
  const db = new Database(file);
  return {
    flavor: 'sqlite',
    storageYaml: `storage:\n  type: sqlite3\n  config:\n    file: ${file}`,
    exec: async (sql, params = []) => {
      const stmt = db.prepare(sql);
      if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
      stmt.run(...params);
      return [];
    },
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

test('a new SQLite store is a dex v2.45.1 store: its migrations rows and a go-jose signing key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-new-store-'));
  const file = join(dir, 'new.db');
  try {
    const f = await startTestFerry((issuer, listen) => `issuer: ${issuer}\nstorage:\n  type: sqlite3\n  config:\n    file: ${file}\nweb:\n  http: ${listen}\nenablePasswordDB: true\n`);
    const { keys } = (await (await fetch(`${f.issuer}/keys`)).json()) as { keys: { kid: string }[] };
    await f.stop();
    const db = new Database(file, { readonly: true });
    assert.equal(db.prepare('select count(*) from migrations').pluck().get(), DEX_MIGRATION_COUNT.sqlite);
    const row = db.prepare("select typeof(signing_key) as ty, signing_key, verification_keys, next_rotation from keys where id = 'keys'").get() as Record<string, unknown>;
    db.close();
    assert.equal(row.ty, 'blob');
    const jwk = JSON.parse(String(row.signing_key)) as Record<string, unknown>;
    assert.ok(typeof jwk.kty === 'string' && typeof jwk.d === 'string' && typeof jwk.alg === 'string' && jwk.use === 'sig');
    assert.ok(keys.some((k) => k.kid === jwk.kid), '/keys serves the stored key');
    assert.equal(String(row.verification_keys), 'null', 'no verification keys before the first rotation, as dex writes it');
    assert.match(String(row.next_rotation), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00:00$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const pg = postgresPeer();
if (pg) {
  dexStoreFlows('postgres', async () => {
    const db = await createPg(pg);
    const c = db.config as Record<string, unknown>;
    return {
      flavor: 'postgres',
      storageYaml: `storage:\n  type: postgres\n  config: ${JSON.stringify(c)}`,
      exec: async (sql, params = []) => {
        let i = 0;
        const r = (await db.query(sql.replace(/\?/g, () => `$${++i}`), params)) as { rows: Record<string, unknown>[] };
        return r.rows;
      },
      close: () => db.drop(),
    };
  });
} else {
  test('postgres: Ferry on a store dex left behind', () => {
    throw new Error(POSTGRES_PEER_MISSING);
  });
}

const my = mysqlPeer();
if (my) {
  dexStoreFlows('mysql (MariaDB peer)', async () => {
    const db = await createMysql(my);
    return {
      flavor: 'mysql',
      storageYaml: `storage:\n  type: mysql\n  config: ${JSON.stringify(db.config)}`,
      exec: async (sql, params = []) => {
        const rows = await db.query(sql, params);
        return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
      },
      close: () => db.drop(),
    };
  });
} else {
  test('mysql: Ferry on a store dex left behind', () => {
    throw new Error(MYSQL_PEER_MISSING);
  });
}
