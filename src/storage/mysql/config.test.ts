import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../lib/errors.js';
import { mysqlPoolConfig } from './config.js';
import { mysqlStorage } from './index.js';

const P = 'storage.config';
const pool = (raw: unknown) => mysqlPoolConfig(mysqlStorage.parseConfig(raw, P), P);

test('dex defaults: verified TLS, 127.0.0.1:3306, 5 connections, no idle connection kept past 60 s', () => {
  const c = pool({ database: 'dex', user: 'dex', password: 'pw' });
  assert.deepEqual(c.ssl, { rejectUnauthorized: true });
  assert.deepEqual([c.host, c.port, c.socketPath], ['127.0.0.1', 3306, undefined]);
  assert.deepEqual([c.connectionLimit, c.maxIdle, c.idleTimeout, c.charset], [5, 0, 60_000, 'utf8mb4']);
});

test('a host starting with / is a unix socket; host:port and port work as in dex', () => {
  assert.deepEqual([pool({ host: '/run/mysqld/mysqld.sock', port: 1 }).socketPath, pool({ host: '/run/mysqld/mysqld.sock' }).host], ['/run/mysqld/mysqld.sock', undefined]);
  assert.deepEqual([pool({ host: 'db', port: 3307 }).host, pool({ host: 'db', port: 3307 }).port], ['db', 3307]);
  assert.deepEqual([pool({ host: 'db:3308' }).host, pool({ host: 'db:3308' }).port], ['db', 3308]);
  const c = pool({ MaxOpenConns: 9, MaxIdleConns: 3, ConnectionTimeout: 4 });
  assert.deepEqual([c.connectionLimit, c.maxIdle, c.connectTimeout], [9, 3, 4000]);
});

test('ssl modes, and certificate files select a verified custom TLS setup', () => {
  assert.equal(pool({ ssl: { mode: 'false' } }).ssl, undefined);
  assert.deepEqual(pool({ ssl: { mode: 'skip-verify' } }).ssl, { rejectUnauthorized: false });
  assert.deepEqual(pool({ ssl: { mode: 'true' } }).ssl, { rejectUnauthorized: true });
  const dir = mkdtempSync(join(tmpdir(), 'ferry-mycfg-'));
  for (const n of ['ca', 'cert', 'key']) writeFileSync(join(dir, n), `${n}-pem`);
  assert.deepEqual(pool({ ssl: { mode: 'false', caFile: join(dir, 'ca') } }).ssl, { ca: 'ca-pem', rejectUnauthorized: true });
  assert.deepEqual(pool({ ssl: { certFile: join(dir, 'cert'), keyFile: join(dir, 'key') } }).ssl, { cert: 'cert-pem', key: 'key-pem', rejectUnauthorized: true });
});

test('config errors name their key', () => {
  assert.throws(
    () => mysqlStorage.parseConfig({ ssl: { mode: 'preferred' } }, P),
    (e) => e instanceof ConfigError && e.issues[0]?.path === 'storage.config.ssl.mode' && /expected one of true, false, skip-verify/.test(e.message),
  );
  assert.throws(() => pool({ ssl: { certFile: '/x/cert.pem' } }), (e) => e instanceof ConfigError && e.issues[0]?.path === 'storage.config.ssl.certFile');
  assert.throws(() => mysqlStorage.parseConfig({ port: 70000 }, P), (e) => e instanceof ConfigError && e.issues[0]?.path === 'storage.config.port');
});
