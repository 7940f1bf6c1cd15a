import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../config/load.js';
import { ConfigError } from '../lib/errors.js';
import { memoryNeededMiB, parseWorkerCount, planWorkers, workersForMemory } from './workers.js';

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
  assert.deepEqual(planWorkers(sqlite, 3, all, limited, null), { count: 3, source: '--workers' });
  assert.deepEqual(planWorkers(sqlite, undefined, all, limited, null), { count: 5, source: 'FERRY_WORKERS' });
  assert.deepEqual(planWorkers(sqlite, undefined, { FERRY_WORKERS: '', GOMAXPROCS: '6' }, limited, null), { count: 6, source: 'GOMAXPROCS' });
  assert.deepEqual(planWorkers(sqlite, undefined, { GOMAXPROCS: '' }, eight, null), { count: 8, source: 'cores' });
  assert.deepEqual(planWorkers(sqlite, undefined, {}, limited, null), { count: 2, source: 'cpu limit', cpuLimit: 2.5 });
});

test('a GOMAXPROCS that is not a whole number from 1 to 1024 is ignored with a warning; the count comes from the cores', () => {
  for (const bad of ['0', '-2', 'auto', '1.5', '5000']) {
    const plan = planWorkers(sqlite, undefined, { GOMAXPROCS: bad }, limited, null);
    assert.deepEqual([plan.count, plan.source, plan.cpuLimit], [2, 'cpu limit', 2.5], bad);
    assert.equal(plan.warnings?.length, 1);
    assert.ok(plan.warnings[0]!.startsWith(`GOMAXPROCS=${JSON.stringify(bad)} is not a whole number from 1 to 1024; ignored`), plan.warnings[0]);
  }
});

const MiB = 2 ** 20;

test('a memory limit caps the count: 128 MiB per serving process, 48 for the primary; never fewer than one', () => {
  assert.deepEqual([128, 256, 303, 304, 512, 1024, 4096].map((m) => workersForMemory(m * MiB)), [1, 1, 1, 2, 3, 7, 31]);
  assert.deepEqual([1, 2, 4].map(memoryNeededMiB), [128, 304, 560]);
  assert.deepEqual(planWorkers(sqlite, undefined, {}, eight, 512 * MiB), { count: 3, source: 'memory limit', memoryLimitMiB: 512 });
  assert.deepEqual(planWorkers(sqlite, undefined, {}, limited, 256 * MiB), { count: 1, source: 'memory limit', memoryLimitMiB: 256 });
  // room for more than the cores: the cores (and the CPU limit) decide, as without a memory limit
  assert.deepEqual(planWorkers(sqlite, undefined, {}, limited, 4096 * MiB), { count: 2, source: 'cpu limit', cpuLimit: 2.5 });
  assert.deepEqual(planWorkers(sqlite, undefined, {}, eight, 4096 * MiB), { count: 8, source: 'cores' });
});

test('a count the memory limit may not hold is kept, with a warning that says what it needs', () => {
  const plan = planWorkers(sqlite, undefined, { FERRY_WORKERS: '4' }, eight, 512 * MiB);
  assert.deepEqual([plan.count, plan.source], [4, 'FERRY_WORKERS']);
  assert.deepEqual(plan.warnings, ["the container's memory limit (512 MiB) is below what 4 serving processes and their primary may use under load (about 560 MiB): raise it or set FERRY_WORKERS"]);
  const small = planWorkers(sqlite, undefined, {}, eight, 64 * MiB);
  assert.deepEqual([small.count, small.source], [1, 'memory limit']);
  assert.deepEqual(small.warnings, ["the container's memory limit (64 MiB) is below what one serving process may use under load (about 128 MiB): raise it"]);
  const both = planWorkers(sqlite, undefined, { GOMAXPROCS: 'auto' }, eight, 64 * MiB);
  assert.equal(both.warnings?.length, 2, 'the ignored GOMAXPROCS and the memory');
  assert.equal(planWorkers(sqlite, 2, {}, eight, 304 * MiB).warnings, undefined, 'exactly enough');
});

test('a bad FERRY_WORKERS is a config error naming it', () => {
  assert.throws(
    () => planWorkers(sqlite, undefined, { FERRY_WORKERS: 'all' }, eight, null),
    (e) => e instanceof ConfigError && e.issues[0]?.path === 'FERRY_WORKERS' && /whole number/.test(e.issues[0].message),
  );
});

test('stores private to a process, and profiling, mean one process whatever was asked', () => {
  for (const c of [config('{ type: memory }'), config('{ type: sqlite3, config: { file: ":memory:" } }'), config('{ type: sqlite3, config: { file: /tmp/f.db } }', 'telemetry: { http: 127.0.0.1:5558, enableProfiling: true }')]) {
    const plan = planWorkers(c, 8, { FERRY_WORKERS: '8' }, eight, null);
    assert.equal(plan.count, 1);
    assert.ok(['storage', 'profiling'].includes(plan.source));
    assert.match(plan.singleProcessReason ?? '', /cannot be shared|profiles the process/);
  }
});
