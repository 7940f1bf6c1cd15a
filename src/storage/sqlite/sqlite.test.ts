import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ConfigError, NotFoundError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import { runStorageConformance } from '../conformance/index.js';
import * as f from '../conformance/fixtures.js';
import { dexMigrations } from '../sql/dex-migrations.js';
import { dexMigrationsTable, dexSchemaSteps } from '../../../test/fixtures/dex-sql/schema.js';
import { sqliteStorage } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const deps = { logger: silentLogger(), now: () => new Date() };
let n = 0;
const open = (file: string) => sqliteStorage.open(sqliteStorage.parseConfig({ file }, 'storage.config'), deps);

runStorageConformance({ name: 'sqlite3 (temp file)', open: () => open(join(dir, `conf-${n++}.db`)) });
runStorageConformance({ name: 'sqlite3 (:memory:)', open: () => open(':memory:') });

describe('sqlite3 specifics', () => {
  test('file is required', () => {
    assert.throws(() => sqliteStorage.parseConfig({}, 'storage.config'), (e) => e instanceof ConfigError && e.issues[0]?.path === 'storage.config.file');
  });

  test('reopening keeps data, migrations run once, parent directory is created', async () => {
    const file = join(dir, 'nested', 'deeper', 'reopen.db');
    const c = f.client(0);
    const first = await open(file);
    await first.createClient(c);
    await first.close();
    const second = await open(file);
    assert.deepStrictEqual(await second.getClient(c.id), c);
    await second.close();
    const raw = new Database(file, { readonly: true });
    const nums = raw.prepare('select num from migrations order by num').pluck().all();
    raw.close();
    assert.deepStrictEqual(nums, dexMigrations('sqlite').map((m) => m.num));
  });

  test("a new store gets exactly the schema dex v2.45.1 creates, plus Ferry's additions only", async () => {
    const dexFile = join(dir, 'dex-made.db');
    const dex = new Database(dexFile);
    dex.exec(dexMigrationsTable('sqlite'));
    for (const step of dexSchemaSteps('sqlite')) for (const stmt of [...step.stmts, step.record]) dex.exec(stmt);
    const ferryFile = join(dir, 'ferry-made.db');
    await (await open(ferryFile)).close();
    const ferry = new Database(ferryFile, { readonly: true });
    const tables = (db: typeof dex) => db.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all() as string[];
    const columns = (db: typeof dex, t: string) =>
      (db.prepare(`select name, type, "notnull", dflt_value, pk from pragma_table_info(?)`).all(t) as { name: string }[]).filter((c) => c.name !== 'ferry_ext');
    assert.deepEqual(tables(ferry).filter((t) => t !== 'ferry_document'), tables(dex));
    for (const t of tables(dex)) assert.deepEqual(columns(ferry, t), columns(dex, t), t);
    const count = (db: typeof dex) => db.prepare('select count(*) from migrations').pluck().get();
    assert.equal(count(ferry), count(dex));
    dex.close();
    ferry.close();
  });

  test('two storages on one file see each other’s writes', async () => {
    const file = join(dir, 'shared.db');
    const [a, b] = [await open(file), await open(file)];
    const r = { ...f.refreshToken(0), token: '0' };
    await a.createRefresh(r);
    const bump = (s: typeof a) => s.updateRefreshToken(r.id, (old) => ({ ...old, token: String(Number(old.token) + 1) }));
    await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 ? a : b)));
    assert.equal((await b.getRefresh(r.id)).token, '20');
    await b.deleteRefresh(r.id);
    await assert.rejects(a.getRefresh(r.id), NotFoundError);
    await a.close();
    await b.close();
  });

  test('two processes updating one file lose no update', async () => {
    const file = join(dir, 'processes.db');
    const s = await open(file);
    await s.createRefresh({ ...f.refreshToken(0), id: 'counter', token: '0' });
    const child = `const { openSqliteStorage } = await import(process.argv[1]);
      const s = await openSqliteStorage({ file: process.argv[2] });
      for (let i = 0; i < 100; i++) await s.updateRefreshToken('counter', (o) => ({ ...o, token: String(Number(o.token) + 1) }));
      await s.close();`;
    const modulePath = fileURLToPath(new URL('./sqlite-storage.ts', import.meta.url));
    const run = () =>
      new Promise<number | null>((done) =>
        spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child, modulePath, file], { stdio: 'inherit' }).on('exit', done),
      );
    const codes = await Promise.all([run(), run()]);
    assert.deepStrictEqual(codes, [0, 0]);
    assert.equal((await s.getRefresh('counter')).token, '200');
    await s.close();
  });

  test('a driver failure is a StorageError that keeps the driver error only as its cause', async () => {
    const file = join(dir, 'not-a-db.db');
    writeFileSync(file, 'this is not a database file. '.repeat(200));
    await assert.rejects(open(file), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'ERR_STORAGE');
      assert.ok(e.cause instanceof Database.SqliteError);
      assert.ok(!e.message.includes(e.cause.message), e.message);
      return true;
    });
  });

  test('a closed storage refuses calls with a StorageError', async () => {
    const s = await open(join(dir, 'closed.db'));
    await s.close();
    await assert.rejects(s.ping(), { code: 'ERR_STORAGE' });
  });
});
