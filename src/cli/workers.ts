/**
 * How many serving processes `ferry serve` runs (docs/operations.md, "Workers"): `--workers N`, else the
 * `FERRY_WORKERS` environment variable, else one per core (`os.availableParallelism()`, which honours CPU affinity).
 * A store that lives inside the process (`memory`, or `sqlite3` on `:memory:`) cannot be shared, so it gets one
 * process whatever was asked, and the reason is logged; so does `telemetry.enableProfiling`, whose profiles are of
 * the process serving the telemetry listener.
 */

import { availableParallelism } from 'node:os';
import type { Config } from '../config/types.js';
import { ConfigError } from '../lib/errors.js';

export const WORKERS_ENV = 'FERRY_WORKERS';
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
  source: '--workers' | typeof WORKERS_ENV | 'cores' | 'storage' | 'profiling';
  /** Set when the store (or profiling) forces a single process. */
  singleProcessReason?: string;
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

export function planWorkers(config: Config, flag: number | undefined, env: NodeJS.ProcessEnv): WorkerPlan {
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
  return { count: availableParallelism(), source: 'cores' };
}
