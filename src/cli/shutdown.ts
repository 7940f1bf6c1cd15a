/**
 * Graceful shutdown on SIGINT/SIGTERM (and, for a worker, when the primary's IPC channel closes): log once, run
 * `stop` (the listeners stop accepting and finish the requests in flight, then the store closes), exit 0.
 */

import type { Logger } from '../lib/logger.js';

export function stopOnSignals(logger: Logger, stop: () => Promise<void>, opts: { onDisconnect?: boolean } = {}): void {
  let stopping = false;
  const run = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await stop();
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'shutdown failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void run('SIGINT'));
  process.once('SIGTERM', () => void run('SIGTERM'));
  if (opts.onDisconnect) process.once('disconnect', () => void run('disconnect'));
}
