/**
 * `ferry serve` under a container-style CPU limit set in this machine's real kernel (docs/operations.md, "Workers";
 * src/lib/cpu-limit.ts): a cgroup with a CFS quota of 1.5 CPUs, and ferry started in an unlimited cgroup below it,
 * as a pod's container sits below its pod. Node 20's `os.availableParallelism()` says 2 on this 2-core machine;
 * Ferry must plan one worker, say why in its log, and serve. `GOMAXPROCS` (set for dex by the same deployment)
 * still sets the count. The cgroup format is v1's `cpu` hierarchy, the one these machines mount; cgroup v2 files
 * are covered by src/lib/cpu-limit.test.ts. Needs root and a writable cgroup `cpu` hierarchy; fails with that
 * message otherwise, never skips.
 */

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { after, before, test } from 'node:test';
import { nodeChildren, serving } from './serve-process.js';

const QUOTA_CPUS = 1.5;
let parent = '';
let leafProcs = '';

/** The cpu hierarchy's mount point and this process's cgroup in it, read from /proc. */
function cpuHierarchy(): { mount: string; own: string } {
  const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[1]?.split(',').includes('cpu'));
  const mount = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' - ')).find(([, fs]) => fs?.startsWith('cgroup ') && fs.split(' ')[2]?.split(',').includes('cpu'));
  const point = mount?.[0]?.split(' ')[4];
  const root = mount?.[0]?.split(' ')[3];
  if (!own || !point || root !== '/') {
    throw new Error('this test needs a cgroup v1 `cpu` hierarchy mounted from its root (see /proc/self/mountinfo); the cgroup v2 format is tested in src/lib/cpu-limit.test.ts');
  }
  return { mount: point, own: own.slice(2).join(':') };
}

/** `sh` moves itself into the leaf cgroup, then becomes ferry: the primary and its workers start inside. */
const inLeaf = () => ['sh', '-c', 'echo $$ > "$0" && exec "$@"', leafProcs];

before(() => {
  if (process.getuid?.() !== 0) throw new Error('this test needs root to create cgroups');
  const { mount, own } = cpuHierarchy();
  parent = `${mount}${own === '/' ? '' : own}/ferry-cpu-limit-${process.pid}`;
  mkdirSync(parent);
  const period = Number(readFileSync(`${parent}/cpu.cfs_period_us`, 'utf8'));
  writeFileSync(`${parent}/cpu.cfs_quota_us`, String(Math.round(QUOTA_CPUS * period)));
  mkdirSync(`${parent}/leaf`);
  assert.equal(readFileSync(`${parent}/leaf/cpu.cfs_quota_us`, 'utf8').trim(), '-1', 'the leaf itself sets no limit');
  leafProcs = `${parent}/leaf/cgroup.procs`;
});

after(() => {
  // A cgroup can be removed once no process is left in it; the servers were stopped by their tests.
  for (const dir of [`${parent}/leaf`, parent]) if (parent && existsSync(dir)) rmdirSync(dir);
});

test(`under a parent cgroup's ${QUOTA_CPUS}-CPU quota: one worker on a ${availableParallelism()}-core machine, and the log says why`, async () => {
  assert.ok(availableParallelism() >= 2, 'the point of the test: Node alone would plan more than one');
  const s = await serving({ prefix: inLeaf() });
  try {
    const line = s.lines.find((l) => l.msg === 'serving with one process');
    assert.deepEqual([line?.['workers'], line?.['source'], line?.['cpuLimit']], [1, 'cpu limit', QUOTA_CPUS], JSON.stringify(line));
    assert.ok(readFileSync(leafProcs, 'utf8').split('\n').includes(String(s.child.pid)), 'ferry runs in the limited cgroup');
    assert.deepEqual(nodeChildren(s.child.pid!), [], 'no worker processes');
    const r = await fetch(`${s.issuer}/.well-known/openid-configuration`);
    assert.equal(r.status, 200);
  } finally {
    await s.stop();
  }
});

test('GOMAXPROCS, as a dex deployment sets it, still sets the count under the limit', async () => {
  const s = await serving({ prefix: inLeaf(), env: { GOMAXPROCS: '2' } });
  try {
    const line = s.lines.find((l) => l.msg === 'starting workers');
    assert.deepEqual([line?.['workers'], line?.['source']], [2, 'GOMAXPROCS'], JSON.stringify(line));
    assert.equal(s.workers().size, 2);
    assert.equal((await fetch(`${s.issuer}/.well-known/openid-configuration`)).status, 200);
  } finally {
    await s.stop();
  }
});
