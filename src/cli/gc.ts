/** Storage garbage collection every 5 minutes (dex reference §12.5); counts are logged when anything was deleted. */

import type { Logger } from '../lib/logger.js';
import type { Storage } from '../storage/storage.js';

export const GC_INTERVAL_MS = 5 * 60 * 1000;

export function startGarbageCollection(storage: Storage, logger: Logger, now: () => Date, every = GC_INTERVAL_MS): NodeJS.Timeout {
  const run = async () => {
    try {
      const r = await storage.garbageCollect(now());
      if (Object.values(r).some((n) => n > 0)) logger.info({ ...r }, 'garbage collection finished');
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'garbage collection failed');
    }
  };
  void run();
  const timer = setInterval(run, every);
  timer.unref();
  return timer;
}
