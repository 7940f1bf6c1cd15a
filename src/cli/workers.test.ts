import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../config/load.js';
import { ConfigError } from '../lib/errors.js';
import { parseWorkerCount, planWorkers } from './workers.js';

const config = (storage: string, extra = '') => parseConfig(`issuer: http://127.0.0.1:5556/dex\nstorage: ${storage}\nweb: { http: 127.0.0.1:5556 }\n${extra}`, {}).config;
const sqlite = config('{ type: sqlite3, config: { file: /tmp/ferry.db } }');

test('worker counts: whole numbers from 1 to 1024 only', () => {
  assert.deepEqual(['1', '4', ' 16 ', '1024'].map(parseWorkerCount), [1, 4, 16, 1024]);
  for (const bad of ['0', '-1', '1.5', 'two', '', '1025', '0x2']) assert.equal(parseWorkerCount(bad), null, bad);
});

const eight = { cores: 8 };
const limited = { cores: 2, cpuLimit: 2.5 };

test('the flag wins over FERRY_WORKERS, which wins over GOMAXPROCS, which wins over the usable cores', () => {
  const all = { FERRY_WORKERS: '5', GOMAXPROCS: '6' };
  assert.deepEqual(planWorkers(sqlite, 3, all, limited), { count: 3, source: '--workers' });
  assert.deepEqual(planWorkers(sqlite, undefined, all, limited), { count: 5, source: 'FERRY_WORKERS' });
  assert.deepEqual(planWorkers(sqlite, undefined, { FERRY_WORKERS: '', GOMAXPROCS: '6' }, limited), { count: 6, source: 'GOMAXPROCS' });
  assert.deepEqual(planWorkers(sqlite, undefined, { GOMAXPROCS: '' }, eight), { count: 8, source: 'cores' });
  assert.deepEqual(planWorkers(sqlite, undefined, {}, limited), { count: 2, source: 'cpu limit', cpuLimit: 2.5 });
});

test('a GOMAXPROCS that is not a whole number from 1 to 1024 is ignored with a warning; the count comes from the cores', () => {
  for (const bad of ['0', '-2', 'auto', '1.5', '5000']) {
    const plan = planWorkers(sqlite, undefined, { GOMAXPROCS: bad }, limited);
    assert.deepEqual([plan.count, plan.source, plan.cpuLimit], [2, 'cpu limit', 2.5], bad);
    assert.ok(plan.warning?.startsWith(`GOMAXPROCS=${JSON.stringify(bad)} is not a whole number from 1 to 1024; ignored`), plan.warning);
  }
});

test('a bad FERRY_WORKERS is a config error naming it', () => {
  assert.throws(
    () => planWorkers(sqlite, undefined, { FERRY_WORKERS: 'all' }),
    (e) => e instanceof ConfigError && e.issues[0]?.path === 'FERRY_WORKERS' && /whole number/.test(e.issues[0].message),
  );
});

test('stores private to a process, and profiling, mean one process whatever was asked', () => {
  for (const c of [config('{ type: memory }'), config('{ type: sqlite3, config: { file: ":memory:" } }'), config('{ type: sqlite3, config: { file: /tmp/f.db } }', 'telemetry: { http: 127.0.0.1:5558, enableProfiling: true }')]) {
    const plan = planWorkers(c, 8, { FERRY_WORKERS: '8' });
    assert.equal(plan.count, 1);
    assert.ok(['storage', 'profiling'].includes(plan.source));
    assert.match(plan.singleProcessReason ?? '', /cannot be shared|profiles the process/);
  }
});
