/**
 * Starts a Ferry instance from a parsed config: storage (with the static overlays), the signer and its rotation,
 * the connectors, the web listeners, telemetry and garbage collection. `serve.ts` calls it for the CLI; tests and
 * benchmarks call it directly. `stop()` undoes all of it.
 */

import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { featureFlags } from '../config/feature-flags.js';
import { lookupConnectorFactory, lookupStorageFactory } from '../config/registry.js';
import type { Config } from '../config/types.js';
import { createLocalSigner } from '../keys/local.js';
import { ConfigError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { createMetrics } from '../lib/metrics.js';
import { openConnectors } from '../server/connectors/resolve.js';
import type { ServerDeps } from '../server/deps.js';
import { createServer } from '../server/server.js';
import { withStaticClients, withStaticPasswords } from '../storage/static.js';
import type { Storage } from '../storage/storage.js';
import { startGarbageCollection } from './gc.js';
import { parseListenAddress } from './listen.js';
import { startTelemetry } from './telemetry.js';
import { ferryVersion } from './version.js';

export interface RunningFerry {
  deps: ServerDeps;
  /** The web listeners (http, then https when configured). */
  apps: FastifyInstance[];
  stop(): Promise<void>;
}

async function openStorage(config: Config, logger: Logger, now: () => Date): Promise<Storage> {
  const factory = lookupStorageFactory(config.storage.type);
  if (!factory) throw new ConfigError(`unknown storage type ${JSON.stringify(config.storage.type)}`, 'storage.type');
  const parsed = factory.parseConfig(config.storage.config, 'storage.config');
  const raw = await factory.open(parsed, { logger: logger.child({ component: 'storage' }), now });
  return withStaticPasswords(withStaticClients(raw, config.staticClients), config.staticPasswords);
}

export async function startFerry(
  config: Config,
  opts: { logger: Logger; now?: () => Date; env?: NodeJS.ProcessEnv },
): Promise<RunningFerry> {
  const { logger } = opts;
  const now = opts.now ?? (() => new Date());
  const flags = featureFlags(opts.env ?? process.env);
  if (config.signer.type !== 'local') throw new ConfigError('only the local signer is supported so far', 'signer.type');
  if (config.grpc.addr) logger.warn({ addr: config.grpc.addr }, 'the gRPC admin API is not available in this version; grpc.addr is ignored');

  const storage = await openStorage(config, logger, now);
  const abort = new AbortController();
  const signer = createLocalSigner({
    storage,
    algorithm: config.signer.algorithm,
    rotationPeriod: config.signer.keysRotationPeriod,
    idTokensValidFor: config.expiry.idTokens,
    logger: logger.child({ component: 'signer' }),
    now,
  });
  await signer.start(abort.signal);
  const connectors = await openConnectors({
    config,
    storage,
    deps: { logger, now, issuer: config.issuer },
    lookupFactory: lookupConnectorFactory,
    continueOnFailure: flags.continueOnConnectorFailure,
  });
  const metrics = createMetrics({ version: ferryVersion() });
  const deps: ServerDeps = { config, storage, signer, connectors, logger, now, metrics };

  const apps: FastifyInstance[] = [];
  if (config.web.http) {
    const app = await createServer(deps);
    await app.listen(parseListenAddress(config.web.http));
    logger.info({ address: config.web.http }, 'listening (http)');
    apps.push(app);
  }
  if (config.web.https) {
    const https = { key: readFileSync(config.web.tlsKey), cert: readFileSync(config.web.tlsCert) };
    const app = await createServer(deps, { https });
    await app.listen(parseListenAddress(config.web.https));
    logger.info({ address: config.web.https }, 'listening (https)');
    apps.push(app);
  }
  const telemetry = config.telemetry.http ? await startTelemetry(config.telemetry.http, storage, logger, metrics) : null;
  const gc = startGarbageCollection(storage, logger, now, { metrics });

  return {
    deps,
    apps,
    async stop() {
      abort.abort();
      clearInterval(gc);
      await Promise.allSettled([...apps.map((a) => a.close()), telemetry?.close()]);
      await storage.close();
    },
  };
}
