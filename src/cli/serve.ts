/**
 * `ferry serve <config>` (dex `cmd/dex/serve.go`): load and validate the config, start everything
 * (`start.ts`), print where to log in, and shut down cleanly on SIGINT/SIGTERM.
 */

import { loadConfig } from '../config/load.js';
import { createLogger } from '../lib/logger.js';
import type { ServeOptions } from './args.js';
import { loginHint } from './listen.js';
import { startFerry } from './start.js';

export async function serve(opts: ServeOptions): Promise<void> {
  const { config, warnings } = loadConfig(opts.configPath, process.env, opts);
  const logger = createLogger(config.logger);
  for (const w of warnings) logger.warn(w);
  const ferry = await startFerry(config, { logger });
  process.stdout.write(loginHint(config));

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
