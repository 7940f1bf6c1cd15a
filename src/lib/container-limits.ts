/**
 * The CPU and memory a container runtime lets this process use, from its cgroup and every cgroup above it up to
 * the cgroup mount: the kernel enforces each level, so the tightest wins.
 * - CPU: the CFS bandwidth limit, quota ÷ period. cgroup v2 writes it as `cpu.max` (`"<quota> <period>"`, quota
 *   `max` for none), cgroup v1 as `cpu.cfs_quota_us` (`-1` for none) and `cpu.cfs_period_us` (the kernel's
 *   Documentation/admin-guide/cgroup-v2.rst "cpu.max" and Documentation/scheduler/sched-bwc.rst). A Kubernetes
 *   `resources.limits.cpu: 1500m` becomes 1.5.
 * - Memory: cgroup v2 `memory.max` (bytes, `max` for none), cgroup v1 `memory.limit_in_bytes` (v1 writes a number
 *   near 2^63 for none). `resources.limits.memory: 256Mi` becomes 268435456.
 *
 * Why Ferry reads them itself (docs/operations.md, "Workers"): `os.availableParallelism()` honours CPU affinity
 * only on Node 20 (libuv 1.46); libuv 1.49 and later (Node 22, 24) also lower it to the whole part of a cgroup v2
 * limit, but ignore a limit under one CPU and, in the cgroup v1 layout of Ferry's test machines, any limit (libuv's
 * src/unix/linux.c, `uv__get_constrained_cpu`). `process.constrainedMemory()` reads the process's own cgroup only,
 * not a tighter parent. dex, built with Go 1.25 or later, sizes GOMAXPROCS from the same CPU files (Go's
 * src/runtime/cgroup_linux.go, `adjustCgroupGOMAXPROCS`). One answer on every Node version, and no "one worker
 * per node core" in a pod limited to half a CPU or to 256 MiB, needs the files read here.
 *
 * Never throws: a file that is missing, unreadable or not in the kernel's format means "no limit known" (null).
 */

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Reads a file's text, or null when it cannot be read. Injected by tests with a fixture tree. */
export type ReadText = (path: string) => string | null;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

type Controller = 'cpu' | 'memory';

interface CgroupPlace {
  controller: Controller;
  version: 1 | 2;
  /** The cgroup's path in its hierarchy, from /proc/self/cgroup. */
  path: string;
}

/** `/proc/self/cgroup` lines are `hierarchy-id:controllers:path`; the path may itself hold colons. */
function cgroupOf(procSelfCgroup: string, controller: Controller): CgroupPlace | null {
  let v2: CgroupPlace | null = null;
  for (const line of procSelfCgroup.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const [id, controllers, path] = [line.slice(0, first), line.slice(first + 1, second), line.slice(second + 1)];
    if (!path.startsWith('/')) continue;
    // A v1 hierarchy with the controller wins: on a hybrid host the v2 line exists but carries no controller.
    if (controllers.split(',').includes(controller)) return { controller, version: 1, path };
    if (id === '0' && controllers === '') v2 = { controller, version: 2, path };
  }
  return v2;
}

/** mountinfo escapes space, tab, newline and backslash in paths as octal (`\040`). */
const unescapeMountPath = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

interface Mount {
  /** The directory of the hierarchy mounted there (`/` unless a container sees only its own part). */
  root: string;
  point: string;
}

/** The mount of the hierarchy holding `place`, from /proc/self/mountinfo (proc(5)). */
function cgroupMount(mountinfo: string, place: CgroupPlace): Mount | null {
  for (const line of mountinfo.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const before = line.slice(0, dash).split(' ');
    const after = line.slice(dash + 3).split(' ');
    const [fstype, , superOptions = ''] = after;
    const [root, point] = [before[3], before[4]];
    if (root === undefined || point === undefined) continue;
    const matches = place.version === 2 ? fstype === 'cgroup2' : fstype === 'cgroup' && superOptions.split(',').includes(place.controller);
    if (!matches) continue;
    const r = unescapeMountPath(root);
    if (r === '/' || place.path === r || place.path.startsWith(`${r}/`)) return { root: r, point: unescapeMountPath(point) };
  }
  return null;
}

/** CPUs one cgroup directory allows, or null for none (or nothing readable). */
function cpuAt(dir: string, version: 1 | 2, read: ReadText): number | null {
  if (version === 2) {
    const m = /^(max|\d+) (\d+)\s*$/.exec(read(`${dir}/cpu.max`) ?? '');
    if (!m || m[1] === 'max') return null;
    return cpus(Number(m[1]), Number(m[2]));
  }
  const quota = /^(-?\d+)\s*$/.exec(read(`${dir}/cpu.cfs_quota_us`) ?? '');
  const period = /^(\d+)\s*$/.exec(read(`${dir}/cpu.cfs_period_us`) ?? '');
  if (!quota || !period) return null;
  return cpus(Number(quota[1]), Number(period[1]));
}

/** quota ÷ period when both are positive and the answer is a finite number of CPUs; else no limit. */
function cpus(quota: number, period: number): number | null {
  const n = quota / period;
  return quota > 0 && period > 0 && Number.isFinite(n) && n > 0 ? n : null;
}

/** Bytes one cgroup directory allows, or null for none (or nothing readable). */
function memoryAt(dir: string, version: 1 | 2, read: ReadText): number | null {
  const m = /^(max|\d+)\s*$/.exec(read(`${dir}/${version === 2 ? 'memory.max' : 'memory.limit_in_bytes'}`) ?? '');
  if (!m || m[1] === 'max') return null;
  const bytes = Number(m[1]);
  // v1's "no limit" is a page-rounded 2^63 − 1; no real limit comes near 2^53 bytes (8 PiB).
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : null;
}

/** The tightest of `at` over this process's cgroup and its ancestors up to the mount, or null. */
function tightest(controller: Controller, at: typeof cpuAt, read: ReadText): number | null {
  const self = read('/proc/self/cgroup');
  const place = self === null ? null : cgroupOf(self, controller);
  const info = place === null ? null : read('/proc/self/mountinfo');
  const mount = place === null || info === null ? null : cgroupMount(info, place);
  if (place === null || mount === null) return null;
  const below = mount.root === '/' ? place.path : place.path.slice(mount.root.length);
  const parts = below.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return null;
  let least: number | null = null;
  // From the process's own cgroup up to the mount (the namespace's root inside a container).
  for (let depth = parts.length; depth >= 0; depth--) {
    const dir = [mount.point.replace(/\/$/, ''), ...parts.slice(0, depth)].join('/');
    const limit = at(dir, place.version, read);
    if (limit !== null && (least === null || limit < least)) least = limit;
  }
  return least;
}

/**
 * The tightest CPU limit on this process (CPUs, possibly fractional), or null when no level sets one or the
 * files cannot be read. Linux only; elsewhere the files do not exist and the answer is null.
 */
export const cgroupCpuLimit = (read: ReadText = readText): number | null => tightest('cpu', cpuAt, read);

/** The tightest memory limit on this process, in bytes, or null (as for the CPU). */
export const cgroupMemoryLimit = (read: ReadText = readText): number | null => tightest('memory', memoryAt, read);

export interface UsableCores {
  /** Whole cores this process should plan for: at least 1. */
  cores: number;
  /** The cgroup limit, when it is what lowered `cores`. */
  cpuLimit?: number;
}

/**
 * Cores to plan processes and threads for: `os.availableParallelism()` (CPU affinity), lowered to the whole part
 * of the cgroup CPU limit when that is not larger, and never under 1. A fraction is not rounded up: a process more
 * than the limit allows would be throttled, and costs its memory besides (Go rounds up for GOMAXPROCS, whose
 * threads cost nothing idle).
 */
export function usableCores(cores: number = availableParallelism(), limit: number | null = limits().cpu): UsableCores {
  if (limit === null) return { cores };
  const allowed = Math.max(1, Math.floor(limit));
  // `<=`: on Node 22 and later availableParallelism() may already be the limit's whole part; the source is the same.
  return allowed <= cores ? { cores: allowed, cpuLimit: limit } : { cores };
}

let cached: { cpu: number | null; memory: number | null } | undefined;
/** Read once per process: the limits a process starts under are the ones it plans for. */
export const limits = (): { cpu: number | null; memory: number | null } => (cached ??= { cpu: cgroupCpuLimit(), memory: cgroupMemoryLimit() });
