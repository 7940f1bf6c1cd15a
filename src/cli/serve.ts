/**
 * `ferry serve <config>` (dex v2.45.1 `cmd/dex/serve.go`): load and validate the config, start everything
 * (`start.ts`), say where to log in, and shut down cleanly on SIGINT/SIGTERM. With `logger.format: json` the
 * "where to log in" banner is a log line like any other (stderr), so stdout stays empty as with dex; with `text`
 * it is printed to stdout for people running Ferry by hand.
 */

import { loadConfig } from '../config/load.js';
import { createLogger } from '../lib/logger.js';
import type { ServeOptions } from './args.js';
import { loginHint, loginHintFields } from './listen.js';
import { startFerry } from './start.js';

export async function serve(opts: ServeOptions): Promise<void> {
  const { config, warnings } = loadConfig(opts.configPath, process.env, opts);
  const logger = createLogger(config.logger);
  for (const w of warnings) logger.warn(w);
  const ferry = await startFerry(config, { logger });
  const hint = loginHintFields(config);
  if (config.logger.format === 'json') logger.info({ issuer: hint.issuer, discovery: hint.discovery, loginURL: hint.loginURL }, 'serving');
  else process.stdout.write(loginHint(hint));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await ferry.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
