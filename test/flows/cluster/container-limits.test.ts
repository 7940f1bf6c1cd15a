/**
 * `ferry serve` under container-style limits set in this machine's real kernel (docs/operations.md, "Workers";
 * src/lib/container-limits.ts). Each limit is set on a parent cgroup and ferry starts in an unlimited cgroup below it,
 * as a pod's container sits below its pod:
 * - a CFS quota of 1.5 CPUs: Node 20's `os.availableParallelism()` says 2 on this 2-core machine; Ferry must plan
 *   one worker, say why in its log, and serve. `GOMAXPROCS` (set for dex by the same deployment) still sets it;
 * - a memory limit of 300 MiB (no CPU limit): room for one serving process, not a primary and two workers (304
 *   MiB). Asked for two anyway, the kernel kills the primary here: run through tsx, as these tests run it, it alone
 *   holds about 117 MiB (the bundle's holds 36). The warning Ferry logs then is in src/cli/workers.test.ts.
 * The cgroup format is v1's, the one these machines mount; cgroup v2 files are covered by
 * src/lib/container-limits.test.ts. Needs root and writable cgroup `cpu` and `memory` hierarchies; fails with that
 * message otherwise, never skips.
 */

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { after, before, test } from 'node:test';
import { nodeChildren, serving } from './serve-process.js';

type Controller = 'cpu' | 'memory';
const QUOTA_CPUS = 1.5;
const MEMORY_MIB = 300;
const made: string[] = [];

/** Creates `<own cgroup>/ferry-<controller>-<pid>` with `set` applied, and an unlimited `leaf` below; returns the leaf. */
function limitedCgroup(controller: Controller, set: (dir: string) => void): string {
  const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[1]?.split(',').includes(controller));
  const mount = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' - ')).find(([, fs]) => fs?.startsWith('cgroup ') && fs.split(' ')[2]?.split(',').includes(controller));
  const [root, point] = [mount?.[0]?.split(' ')[3], mount?.[0]?.split(' ')[4]];
  if (!own || !point || root !== '/') {
    throw new Error(`this test needs a cgroup v1 \`${controller}\` hierarchy mounted from its root (see /proc/self/mountinfo); the cgroup v2 format is tested in src/lib/container-limits.test.ts`);
  }
  const path = own.slice(2).join(':');
  const parent = `${point}${path === '/' ? '' : path}/ferry-${controller}-${process.pid}`;
  mkdirSync(parent);
  made.push(parent);
  set(parent);
  mkdirSync(`${parent}/leaf`);
  made.push(`${parent}/leaf`);
  return `${parent}/leaf`;
}

/** `sh` moves itself into `leaf`, then becomes ferry: the primary and its workers start inside. */
const inLeaf = (leaf: string) => ['sh', '-c', 'echo $$ > "$0" && exec "$@"', `${leaf}/cgroup.procs`];
const discovery = async (issuer: string) => (await fetch(`${issuer}/.well-known/openid-configuration`)).status;

let cpuLeaf = '';
let memoryLeaf = '';

before(() => {
  if (process.getuid?.() !== 0) throw new Error('this test needs root to create cgroups');
  cpuLeaf = limitedCgroup('cpu', (dir) => {
    const period = Number(readFileSync(`${dir}/cpu.cfs_period_us`, 'utf8'));
    writeFileSync(`${dir}/cpu.cfs_quota_us`, String(Math.round(QUOTA_CPUS * period)));
  });
  assert.equal(readFileSync(`${cpuLeaf}/cpu.cfs_quota_us`, 'utf8').trim(), '-1', 'the leaf itself sets no limit');
  memoryLeaf = limitedCgroup('memory', (dir) => writeFileSync(`${dir}/memory.limit_in_bytes`, String(MEMORY_MIB * 2 ** 20)));
});

after(async () => {
  // A cgroup can be removed once no process is left in it; the servers were stopped by their tests, and a worker
  // may take a moment to exit after its primary.
  for (const dir of made.reverse()) {
    for (let tries = 0; existsSync(dir); tries++) {
      try {
        rmdirSync(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EBUSY' || tries >= 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
});

test(`under a parent cgroup's ${QUOTA_CPUS}-CPU quota: one worker on a ${availableParallelism()}-core machine, and the log says why`, async () => {
  assert.ok(availableParallelism() >= 2, 'the point of the test: Node alone would plan more than one');
  const s = await serving({ prefix: inLeaf(cpuLeaf) });
  try {
    const line = s.lines.find((l) => l.msg === 'serving with one process');
    assert.deepEqual([line?.['workers'], line?.['source'], line?.['cpuLimit']], [1, 'cpu limit', QUOTA_CPUS], JSON.stringify(line));
    assert.ok(readFileSync(`${cpuLeaf}/cgroup.procs`, 'utf8').split('\n').includes(String(s.child.pid)), 'ferry runs in the limited cgroup');
    assert.deepEqual(nodeChildren(s.child.pid!), [], 'no worker processes');
    assert.equal(await discovery(s.issuer), 200);
  } finally {
    await s.stop();
  }
});

test('GOMAXPROCS, as a dex deployment sets it, still sets the count under the limit', async () => {
  const s = await serving({ prefix: inLeaf(cpuLeaf), env: { GOMAXPROCS: '2' } });
  try {
    const line = s.lines.find((l) => l.msg === 'starting workers');
    assert.deepEqual([line?.['workers'], line?.['source']], [2, 'GOMAXPROCS'], JSON.stringify(line));
    assert.equal(s.workers().size, 2);
    assert.equal(await discovery(s.issuer), 200);
  } finally {
    await s.stop();
  }
});

test(`under a parent cgroup's ${MEMORY_MIB} MiB memory limit: one process, not a primary and two workers`, async () => {
  const s = await serving({ prefix: inLeaf(memoryLeaf) });
  try {
    const line = s.lines.find((l) => l.msg === 'serving with one process');
    assert.deepEqual([line?.['workers'], line?.['source'], line?.['memoryLimitMiB']], [1, 'memory limit', MEMORY_MIB], JSON.stringify(line));
    assert.deepEqual(nodeChildren(s.child.pid!), [], 'no worker processes');
    assert.equal(await discovery(s.issuer), 200);
  } finally {
    await s.stop();
  }
});
