/**
 * `ferry serve <config>` (dex `cmd/dex/serve.go`): load and validate the config, start everything, say where to
 * log in, and shut down cleanly on SIGINT/SIGTERM. With `logger.format: json` the "where to log in" banner is a log
 * line like any other (stderr), so stdout stays empty as with dex; with `text` it is printed to stdout for people
 * running Ferry by hand.
 *
 * As many serving processes as `workers.ts` plans: one runs everything here (`start.ts`); more run as node:cluster
 * workers under a primary (`cluster-primary.ts`, `cluster-worker.ts`), each started by this same entry point.
 */

import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { createLogger, type Logger } from '../lib/logger.js';
import type { ServeOptions } from './args.js';
import { loginHint, loginHintFields } from './listen.js';
import { stopOnSignals } from './shutdown.js';
import { startFerry } from './start.js';
import { planWorkers } from './workers.js';

function announce(config: Config, logger: Logger): void {
  const hint = loginHintFields(config);
  if (config.logger.format === 'json') logger.info({ issuer: hint.issuer, discovery: hint.discovery, loginURL: hint.loginURL }, 'serving');
  else process.stdout.write(loginHint(hint));
}

export async function serve(opts: ServeOptions): Promise<void> {
  if (cluster.isWorker) {
    const { serveWorker } = await import('./cluster-worker.js');
    // A worker that cannot start must exit (its IPC channel would keep it alive): main.ts reports the error first.
    return serveWorker(opts).catch((err: unknown) => {
      setImmediate(() => process.exit(1));
      throw err;
    });
  }
  const { config, warnings } = loadConfig(opts.configPath, process.env, opts);
  const logger = createLogger(config.logger);
  for (const w of warnings) logger.warn(w);
  const plan = planWorkers(config, opts.workers, process.env);
  for (const w of plan.warnings ?? []) logger.warn(w);
  // Unset limits are undefined, which the logger leaves out.
  const limits = { cpuLimit: plan.cpuLimit, memoryLimitMiB: plan.memoryLimitMiB };
  if (plan.count > 1) {
    const { servePrimary } = await import('./cluster-primary.js');
    // The text just validated; workers parse the same text even if the file changes later.
    const configText = readFileSync(opts.configPath, 'utf8');
    return servePrimary({ config, configText, logger, workers: plan.count, source: plan.source, limits, onServing: () => announce(config, logger) });
  }
  logger.info({ workers: 1, source: plan.source, ...limits, ...(plan.singleProcessReason ? { reason: plan.singleProcessReason } : {}) }, 'serving with one process');
  const ferry = await startFerry(config, { logger });
  announce(config, logger);
  stopOnSignals(logger, () => ferry.stop());
}
