/**
 * Storage garbage collection every 5 minutes (dex v2.45.1 `server/server.go` `startGarbageCollection`); counts are logged when anything was deleted and
 * counted in `ferry_storage_gc_deleted_total{kind}`.
 */

import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import type { Storage } from '../storage/storage.js';

export const GC_INTERVAL_MS = 5 * 60 * 1000;

export function startGarbageCollection(
  storage: Storage,
  logger: Logger,
  now: () => Date,
  opts: { every?: number; metrics?: Metrics } = {},
): NodeJS.Timeout {
  const run = async () => {
    try {
      const r = await storage.garbageCollect(now());
      opts.metrics?.observeGC(r);
      if (Object.values(r).some((n) => n > 0)) logger.info({ ...r }, 'garbage collection finished');
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'garbage collection failed');
    }
  };
  void run();
  const timer = setInterval(run, opts.every ?? GC_INTERVAL_MS);
  timer.unref();
  return timer;
}
