/**
 * The cgroup CPU and memory limits over fixture trees in the kernel's formats (Documentation/admin-guide/cgroup-v2.rst
 * "cpu.max", Documentation/scheduler/sched-bwc.rst for v1, proc(5) for /proc/self/cgroup and mountinfo). The same
 * reading against this machine's real kernel, with a limit set on a parent cgroup, is in
 * test/flows/cluster/container-limits.test.ts.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cgroupCpuLimit, cgroupMemoryLimit, type ReadText, usableCores } from './container-limits.js';

const tree = (files: Record<string, string>): ReadText => (path) => files[path] ?? null;
const mountV2 = '30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n';
const mountsV1 = [
  '25 24 0:22 / /sys/fs/cgroup/cpuset rw,relatime shared:6 - cgroup cgroup rw,cpuset',
  '26 24 0:23 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:7 - cgroup cgroup rw,cpu,cpuacct',
  '27 24 0:24 / /sys/fs/cgroup/unified rw,relatime shared:8 - cgroup2 cgroup2 rw',
].join('\n');

test('cgroup v2 inside a container (its own cgroup namespace): cpu.max of the namespace root', () => {
  const files = { '/proc/self/cgroup': '0::/\n', '/proc/self/mountinfo': mountV2 };
  assert.equal(cgroupCpuLimit(tree({ ...files, '/sys/fs/cgroup/cpu.max': '150000 100000\n' })), 1.5);
  assert.equal(cgroupCpuLimit(tree({ ...files, '/sys/fs/cgroup/cpu.max': 'max 100000\n' })), null);
  assert.equal(cgroupCpuLimit(tree(files)), null, 'no cpu.max: the cpu controller is not enabled there');
});

test('cgroup v2: the tightest level from the process up to the mount wins (the kernel enforces each)', () => {
  const d = '/sys/fs/cgroup/kubepods.slice/pod-a.slice/cri-b.scope';
  const files = {
    '/proc/self/cgroup': '0::/kubepods.slice/pod-a.slice/cri-b.scope\n',
    '/proc/self/mountinfo': mountV2,
    [`${d}/cpu.max`]: 'max 100000\n',
    '/sys/fs/cgroup/kubepods.slice/pod-a.slice/cpu.max': '50000 100000\n',
    '/sys/fs/cgroup/kubepods.slice/cpu.max': '400000 100000\n',
  };
  assert.equal(cgroupCpuLimit(tree(files)), 0.5);
  assert.equal(cgroupCpuLimit(tree({ ...files, [`${d}/cpu.max`]: '25000 100000\n' })), 0.25);
});

test('cgroup v1 (a hybrid host like the test machines): the hierarchy with the cpu controller, not cpuset', () => {
  const files = {
    '/proc/self/cgroup': '12:cpuset:/\n4:cpu,cpuacct:/ferry/leaf\n0::/\n',
    '/proc/self/mountinfo': mountsV1,
    '/sys/fs/cgroup/cpu,cpuacct/ferry/leaf/cpu.cfs_quota_us': '-1\n',
    '/sys/fs/cgroup/cpu,cpuacct/ferry/leaf/cpu.cfs_period_us': '100000\n',
    '/sys/fs/cgroup/cpu,cpuacct/ferry/cpu.cfs_quota_us': '150000\n',
    '/sys/fs/cgroup/cpu,cpuacct/ferry/cpu.cfs_period_us': '100000\n',
    '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '-1\n',
    '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
    // cpuset's files must never be read as a cpu limit
    '/sys/fs/cgroup/cpuset/cpu.cfs_quota_us': '10000\n',
    '/sys/fs/cgroup/cpuset/cpu.cfs_period_us': '100000\n',
  };
  assert.equal(cgroupCpuLimit(tree(files)), 1.5);
});

test('cgroup v1 in a container that sees only its own part of the hierarchy (mount root = its cgroup)', () => {
  const files = {
    '/proc/self/cgroup': '3:cpu,cpuacct:/docker/0123abcd\n',
    '/proc/self/mountinfo': '40 39 0:23 /docker/0123abcd /sys/fs/cgroup/cpu\\040acct ro,nosuid - cgroup cgroup rw,cpu,cpuacct\n',
    '/sys/fs/cgroup/cpu acct/cpu.cfs_quota_us': '200000\n',
    '/sys/fs/cgroup/cpu acct/cpu.cfs_period_us': '100000\n',
  };
  assert.equal(cgroupCpuLimit(tree(files)), 2);
});

test('anything not in the kernel format, or a path climbing out of the mount, means no known limit', () => {
  const v2 = (cpuMax: string) => cgroupCpuLimit(tree({ '/proc/self/cgroup': '0::/\n', '/proc/self/mountinfo': mountV2, '/sys/fs/cgroup/cpu.max': cpuMax }));
  for (const bad of ['max', '150000', 'abc 100000', '150000 0', '0 100000', '-1 100000', '1.5 1', '']) assert.equal(v2(bad), null, bad);
  const v1 = (quota: string, period: string) =>
    cgroupCpuLimit(tree({ '/proc/self/cgroup': '4:cpu:/\n', '/proc/self/mountinfo': mountsV1.replace('cpu,cpuacct rw', 'cpu rw').replace('rw,cpu,cpuacct', 'rw,cpu'), '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': quota, '/sys/fs/cgroup/cpu/cpu.cfs_period_us': period }));
  assert.equal(v1('150000', '100000'), 1.5);
  for (const [q, p] of [['-1', '100000'], ['0', '100000'], ['150000', '0'], ['x', '100000'], ['150000', '']]) assert.equal(v1(q!, p!), null, `${q} ${p}`);
  assert.equal(cgroupCpuLimit(tree({ '/proc/self/cgroup': '0::/../escape\n', '/proc/self/mountinfo': mountV2, '/sys/fs/cgroup/cpu.max': '100000 100000' })), null);
  assert.equal(cgroupCpuLimit(tree({ '/proc/self/cgroup': '0::/\n' })), null, 'no mountinfo');
  assert.equal(cgroupCpuLimit(tree({})), null, 'not Linux');
});

const MiB = 2 ** 20;
const v1Memory = '26 24 0:25 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory';

test('memory, cgroup v2: memory.max, the tightest level up to the mount; `max` is none', () => {
  const files = {
    '/proc/self/cgroup': '0::/kubepods.slice/pod-a.slice/cri-b.scope\n',
    '/proc/self/mountinfo': mountV2,
    '/sys/fs/cgroup/kubepods.slice/pod-a.slice/cri-b.scope/memory.max': 'max\n',
    '/sys/fs/cgroup/kubepods.slice/pod-a.slice/memory.max': `${256 * MiB}\n`,
    '/sys/fs/cgroup/kubepods.slice/memory.max': `${8192 * MiB}\n`,
  };
  assert.equal(cgroupMemoryLimit(tree(files)), 256 * MiB);
  assert.equal(cgroupMemoryLimit(tree({ ...files, '/sys/fs/cgroup/kubepods.slice/pod-a.slice/memory.max': 'max\n' })), 8192 * MiB);
  assert.equal(cgroupCpuLimit(tree(files)), null, 'a memory limit says nothing of the CPU');
});

test('memory, cgroup v1: memory.limit_in_bytes of the memory hierarchy; its page-rounded 2^63 means none', () => {
  const files = {
    '/proc/self/cgroup': '4:cpu,cpuacct:/\n9:memory:/ferry/leaf\n0::/\n',
    '/proc/self/mountinfo': `${mountsV1}\n${v1Memory}`,
    '/sys/fs/cgroup/memory/ferry/leaf/memory.limit_in_bytes': '9223372036854771712\n',
    '/sys/fs/cgroup/memory/ferry/memory.limit_in_bytes': '209715200\n',
    '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n',
    '/sys/fs/cgroup/cpu,cpuacct/memory.limit_in_bytes': '1048576\n',
  };
  assert.equal(cgroupMemoryLimit(tree(files)), 200 * MiB);
  assert.equal(cgroupMemoryLimit(tree({ ...files, '/sys/fs/cgroup/memory/ferry/memory.limit_in_bytes': '9223372036854771712\n' })), null);
  for (const bad of ['-1', '0', '12k', '1e9', '']) {
    assert.equal(cgroupMemoryLimit(tree({ ...files, '/sys/fs/cgroup/memory/ferry/memory.limit_in_bytes': bad })), null, bad);
  }
});

test('fast-check: arbitrary file contents never throw, and give null or a positive finite limit', () => {
  const paths = [
    '/proc/self/cgroup', '/proc/self/mountinfo', '/sys/fs/cgroup/cpu.max', '/sys/fs/cgroup/a/cpu.max', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us',
    '/sys/fs/cgroup/cpu/cpu.cfs_period_us', '/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes',
  ];
  const text = fc.oneof(
    fc.string(),
    fc.constantFrom('0::/\n', '0::/a\n', '4:cpu:/\n', '5:memory:/\n', '0::/../..\n', mountV2, mountsV1, v1Memory, '150000 100000', 'max 100000', 'max', '-1', '100000', '9'.repeat(400)),
  );
  fc.assert(
    fc.property(fc.array(text, { minLength: paths.length, maxLength: paths.length }), (contents) => {
      const read = tree(Object.fromEntries(paths.map((p, i) => [p, contents[i]!])));
      return [cgroupCpuLimit(read), cgroupMemoryLimit(read)].every((limit) => limit === null || (Number.isFinite(limit) && limit > 0));
    }),
    { numRuns: 2000 },
  );
});

test('usable cores: the whole part of a limit below the cores, never under one; no limit, the cores', () => {
  assert.deepEqual(usableCores(8, 1.5), { cores: 1, cpuLimit: 1.5 });
  assert.deepEqual(usableCores(8, 0.5), { cores: 1, cpuLimit: 0.5 }, 'libuv 1.49 would answer 8 here');
  assert.deepEqual(usableCores(8, 6), { cores: 6, cpuLimit: 6 });
  assert.deepEqual(usableCores(2, 2.5), { cores: 2, cpuLimit: 2.5 }, 'Node 22+ may already have lowered the cores');
  assert.deepEqual(usableCores(2, 3.5), { cores: 2 });
  assert.deepEqual(usableCores(8, null), { cores: 8 });
});
