/**
 * How many serving processes `ferry serve` runs (docs/operations.md, "Workers"): `--workers N`, else the
 * `FERRY_WORKERS` environment variable, else `GOMAXPROCS` (a dex deployment's own cap on its parallelism, applied
 * as Go applies it), else one per usable core: CPU affinity, lowered to a container's CPU limit (../lib/cpu-limit.ts).
 * A store that lives inside the process (`memory`, or `sqlite3` on `:memory:`) cannot be shared, so it gets one
 * process whatever was asked, and the reason is logged; so does `telemetry.enableProfiling`, whose profiles are of
 * the process serving the telemetry listener.
 */

import type { Config } from '../config/types.js';
import { type UsableCores, usableCores } from '../lib/cpu-limit.js';
import { ConfigError } from '../lib/errors.js';

export const WORKERS_ENV = 'FERRY_WORKERS';
/** Go's variable: dex's image honours it, so a deployment that sets it for dex means it for Ferry too. */
export const GOMAXPROCS_ENV = 'GOMAXPROCS';
/** A sanity bound: far beyond any core count Ferry runs on, small enough to catch a typo. */
export const MAX_WORKERS = 1024;

/** `"4"` → 4; anything but a whole number from 1 to MAX_WORKERS → null. */
export function parseWorkerCount(text: string): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= 1 && n <= MAX_WORKERS ? n : null;
}

export interface WorkerPlan {
  count: number;
  /** Where the count came from, for the startup log. */
  source: '--workers' | typeof WORKERS_ENV | typeof GOMAXPROCS_ENV | 'cores' | 'cpu limit' | 'storage' | 'profiling';
  /** Set when the store (or profiling) forces a single process. */
  singleProcessReason?: string;
  /** The container's CPU limit (CPUs), when it set the count. */
  cpuLimit?: number;
  /** A setting that was read and not applied, and why: for the start-up log. */
  warning?: string;
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

export function planWorkers(config: Config, flag: number | undefined, env: NodeJS.ProcessEnv, cores: UsableCores = usableCores()): WorkerPlan {
  const reason = unshareableStore(config);
  if (reason) return { count: 1, source: 'storage', singleProcessReason: reason };
  if (config.telemetry.enableProfiling) {
    return { count: 1, source: 'profiling', singleProcessReason: 'telemetry.enableProfiling profiles the process serving telemetry, so Ferry serves with one' };
  }
  if (flag !== undefined) return { count: flag, source: '--workers' };
  const raw = env[WORKERS_ENV];
  if (raw !== undefined && raw !== '') {
    const n = parseWorkerCount(raw);
    if (n === null) throw new ConfigError(`must be a whole number from 1 to ${MAX_WORKERS}, got ${JSON.stringify(raw)}`, WORKERS_ENV);
    return { count: n, source: WORKERS_ENV };
  }
  const byCores: WorkerPlan = cores.cpuLimit === undefined ? { count: cores.cores, source: 'cores' } : { count: cores.cores, source: 'cpu limit', cpuLimit: cores.cpuLimit };
  const go = env[GOMAXPROCS_ENV];
  if (go === undefined || go === '') return byCores;
  const n = parseWorkerCount(go);
  if (n !== null) return { count: n, source: GOMAXPROCS_ENV };
  // Go's runtime ignores a GOMAXPROCS that is not a positive number and dex starts anyway; so does Ferry, saying so.
  return { ...byCores, warning: `${GOMAXPROCS_ENV}=${JSON.stringify(go)} is not a whole number from 1 to ${MAX_WORKERS}; ignored, workers are planned by cores` };
}
