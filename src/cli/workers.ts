/**
 * How many serving processes `ferry serve` runs (docs/operations.md, "Workers"): `--workers N`, else the
 * `FERRY_WORKERS` environment variable, else `GOMAXPROCS` (a dex deployment's own cap on its parallelism, applied
 * as Go applies it), else one per usable core (CPU affinity, lowered to a container's CPU limit), no more than the
 * container's memory limit has room for (../lib/container-limits.ts).
 * A store that lives inside the process (`memory`, or `sqlite3` on `:memory:`) cannot be shared, so it gets one
 * process whatever was asked, and the reason is logged; so does `telemetry.enableProfiling`, whose profiles are of
 * the process serving the telemetry listener.
 */

import type { Config } from '../config/types.js';
import { limits, type UsableCores, usableCores } from '../lib/container-limits.js';
import { ConfigError } from '../lib/errors.js';

export const WORKERS_ENV = 'FERRY_WORKERS';
/** Go's variable: dex's image honours it, so a deployment that sets it for dex means it for Ferry too. */
export const GOMAXPROCS_ENV = 'GOMAXPROCS';
/** A sanity bound: far beyond any core count Ferry runs on, small enough to catch a typo. */
export const MAX_WORKERS = 1024;
/**
 * Memory to plan for under load, MiB: a serving process (measured peak 100–110 MiB of anonymous memory under the
 * bench's workloads) and the primary (36 MiB): docs/operations.md, "Memory".
 */
export const SERVING_PROCESS_MIB = 128;
export const PRIMARY_MIB = 48;

/** What `count` serving processes need: one alone, or a primary and its workers. */
export const memoryNeededMiB = (count: number): number => (count === 1 ? SERVING_PROCESS_MIB : PRIMARY_MIB + count * SERVING_PROCESS_MIB);

/** The most serving processes a memory limit has room for; at least one. */
export function workersForMemory(limitBytes: number): number {
  const mib = limitBytes / 2 ** 20;
  return Math.max(1, Math.floor((mib - PRIMARY_MIB) / SERVING_PROCESS_MIB));
}

/** `"4"` → 4; anything but a whole number from 1 to MAX_WORKERS → null. */
export function parseWorkerCount(text: string): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= 1 && n <= MAX_WORKERS ? n : null;
}

export interface WorkerPlan {
  count: number;
  /** Where the count came from, for the startup log. */
  source: '--workers' | typeof WORKERS_ENV | typeof GOMAXPROCS_ENV | 'cores' | 'cpu limit' | 'memory limit' | 'storage' | 'profiling';
  /** Set when the store (or profiling) forces a single process. */
  singleProcessReason?: string;
  /** The container's limits that set the count (CPUs; MiB), for the start-up log. */
  cpuLimit?: number;
  memoryLimitMiB?: number;
  /** Settings read and not applied, or a count the memory limit may not hold: for the start-up log. */
  warnings?: string[];
}

/** A store private to one process, or null when processes can share it. */
function unshareableStore(config: Config): string | null {
  if (config.storage.type === 'memory') return 'the memory store lives in one process and cannot be shared';
  const file = (config.storage.config as { file?: unknown } | undefined)?.file;
  if (config.storage.type === 'sqlite3' && (file === ':memory:' || file === '')) {
    return 'an in-memory SQLite database (file ":memory:") lives in one process and cannot be shared';
  }
  return null;
}

export function planWorkers(
  config: Config,
  flag: number | undefined,
  env: NodeJS.ProcessEnv,
  cores: UsableCores = usableCores(),
  memoryBytes: number | null = limits().memory,
): WorkerPlan {
  const reason = unshareableStore(config);
  if (reason) return withMemoryCheck({ count: 1, source: 'storage', singleProcessReason: reason }, memoryBytes);
  if (config.telemetry.enableProfiling) {
    const why = 'telemetry.enableProfiling profiles the process serving telemetry, so Ferry serves with one';
    return withMemoryCheck({ count: 1, source: 'profiling', singleProcessReason: why }, memoryBytes);
  }
  if (flag !== undefined) return withMemoryCheck({ count: flag, source: '--workers' }, memoryBytes);
  const raw = env[WORKERS_ENV];
  if (raw !== undefined && raw !== '') {
    const n = parseWorkerCount(raw);
    if (n === null) throw new ConfigError(`must be a whole number from 1 to ${MAX_WORKERS}, got ${JSON.stringify(raw)}`, WORKERS_ENV);
    return withMemoryCheck({ count: n, source: WORKERS_ENV }, memoryBytes);
  }
  const go = env[GOMAXPROCS_ENV];
  const n = go === undefined || go === '' ? null : parseWorkerCount(go);
  if (n !== null) return withMemoryCheck({ count: n, source: GOMAXPROCS_ENV }, memoryBytes);
  const byLimits = planByLimits(cores, memoryBytes);
  if (go === undefined || go === '') return byLimits;
  // Go's runtime ignores a GOMAXPROCS that is not a positive number and dex starts anyway; so does Ferry, saying so.
  const ignored = `${GOMAXPROCS_ENV}=${JSON.stringify(go)} is not a whole number from 1 to ${MAX_WORKERS}; ignored, workers are planned by cores`;
  return { ...byLimits, warnings: [ignored, ...(byLimits.warnings ?? [])] };
}

/** One process per usable core, no more than the memory limit has room for. */
function planByLimits(cores: UsableCores, memoryBytes: number | null): WorkerPlan {
  const plan: WorkerPlan = cores.cpuLimit === undefined ? { count: cores.cores, source: 'cores' } : { count: cores.cores, source: 'cpu limit', cpuLimit: cores.cpuLimit };
  if (memoryBytes === null) return plan;
  const room = workersForMemory(memoryBytes);
  if (room < plan.count) return withMemoryCheck({ count: room, source: 'memory limit', memoryLimitMiB: mib(memoryBytes) }, memoryBytes);
  return withMemoryCheck(plan, memoryBytes);
}

const mib = (bytes: number): number => Math.floor(bytes / 2 ** 20);

/** Warns when the count asked for (or one process) may need more memory under load than the container has. */
function withMemoryCheck(plan: WorkerPlan, memoryBytes: number | null): WorkerPlan {
  if (memoryBytes === null || memoryNeededMiB(plan.count) <= mib(memoryBytes)) return plan;
  const what = plan.count === 1 ? 'one serving process' : `${plan.count} serving processes and their primary`;
  const warning = `the container's memory limit (${mib(memoryBytes)} MiB) is below what ${what} may use under load (about ${memoryNeededMiB(plan.count)} MiB): raise it${plan.count > 1 ? ` or set ${WORKERS_ENV}` : ''}`;
  return { ...plan, warnings: [...(plan.warnings ?? []), warning] };
}
