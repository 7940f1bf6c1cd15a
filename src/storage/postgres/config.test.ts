import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../lib/errors.js';
import { pgPoolConfig } from './config.js';
import { postgresStorage } from './index.js';

const P = 'storage.config';
const pool = (raw: unknown) => pgPoolConfig(postgresStorage.parseConfig(raw, P), P);
const issues = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('expected a ConfigError');
};

test('dex defaults: verify-full TLS, 5 connections kept open, no connect timeout', () => {
  const c = pool({ host: 'db.example.com', database: 'dex', user: 'dex', password: 'pw' });
  assert.deepEqual(c.ssl, { rejectUnauthorized: true });
  assert.equal(c.max, 5);
  assert.equal(c.min, 5);
  assert.equal(c.connectionTimeoutMillis, 0);
  assert.equal(c.maxLifetimeSeconds, 0);
  assert.equal(c.port, undefined, 'the driver default (5432, or PGPORT)');
});

test('host may carry the port (Go SplitHostPort); keys match case-insensitively like dex', () => {
  assert.deepEqual([pool({ host: 'db:6543', port: 1 }).host, pool({ host: 'db:6543', port: 1 }).port], ['db', 6543]);
  assert.deepEqual([pool({ host: '[::1]:5433' }).host, pool({ host: '[::1]:5433' }).port], ['::1', 5433]);
  assert.deepEqual([pool({ host: '/var/run/postgresql', port: 5433 }).host, pool({ host: '/var/run/postgresql', port: 5433 }).port], ['/var/run/postgresql', 5433]);
  const c = pool({ Host: 'h', MaxOpenConns: 20, maxidleconns: 2, ConnectionTimeout: 3, connMaxLifetime: 60, SSL: { Mode: 'disable' } });
  assert.deepEqual([c.host, c.max, c.min, c.connectionTimeoutMillis, c.maxLifetimeSeconds, c.ssl], ['h', 20, 2, 3000, 60, false]);
});

test('ssl modes and certificate files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-pgcfg-'));
  for (const n of ['ca', 'cert', 'key']) writeFileSync(join(dir, n), `${n}-pem`);
  const req = pool({ ssl: { mode: 'require' } }).ssl as Record<string, unknown>;
  assert.deepEqual(Object.keys(req).sort(), ['checkServerIdentity', 'rejectUnauthorized']);
  assert.equal(req.rejectUnauthorized, false, 'require: encrypted, not verified');
  const verifyCa = pool({ ssl: { mode: 'verify-ca', caFile: join(dir, 'ca') } }).ssl as Record<string, unknown>;
  assert.equal(verifyCa.rejectUnauthorized, true);
  assert.equal(verifyCa.ca, 'ca-pem');
  assert.equal((verifyCa.checkServerIdentity as () => unknown)(), undefined, 'the chain is checked, the host name is not');
  const requireWithCa = pool({ ssl: { mode: 'require', caFile: join(dir, 'ca') } }).ssl as Record<string, unknown>;
  assert.equal(requireWithCa.rejectUnauthorized, true, 'libpq: require with a root certificate verifies the chain');
  const full = pool({ ssl: { caFile: join(dir, 'ca'), certFile: join(dir, 'cert'), keyFile: join(dir, 'key') } }).ssl;
  assert.deepEqual(full, { ca: 'ca-pem', cert: 'cert-pem', key: 'key-pem', rejectUnauthorized: true });
});

test('config errors name their key', () => {
  assert.deepEqual(issues(() => postgresStorage.parseConfig({ ssl: { mode: 'prefer' } }, P)), [
    'storage.config.ssl.mode: unknown ssl mode "prefer" (expected one of disable, require, verify-ca, verify-full)',
  ]);
  assert.deepEqual(issues(() => postgresStorage.parseConfig({ port: 'x', maxOpenConns: -1, connectionTimeout: 1.5 }, P)), [
    'storage.config.port: expected a number',
    'storage.config.connectionTimeout: expected an int',
    'storage.config.maxOpenConns: must not be negative',
  ]);
  assert.deepEqual(issues(() => pool({ ssl: { caFile: '/nonexistent/ca.pem' } })), ['storage.config.ssl.caFile: cannot read "/nonexistent/ca.pem" (ENOENT)']);
});
