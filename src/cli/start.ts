/**
 * Starts a Ferry instance from a parsed config: storage (with the static overlays), the signer and its rotation,
 * the connectors, the web listeners, the gRPC admin API (when `grpc.addr` is set), telemetry and garbage
 * collection. `serve.ts` calls it for the CLI; tests and benchmarks call it directly. `stop()` undoes all of it.
 */

import type { FastifyInstance } from 'fastify';
import { featureFlags } from '../config/feature-flags.js';
import { lookupConnectorFactory, lookupStorageFactory } from '../config/registry.js';
import { type Config, LISTENER_TIMEOUTS } from '../config/types.js';
import { createLocalSigner } from '../keys/local.js';
import { ConfigError, StorageError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { loadTlsFiles, type TlsFiles } from '../lib/tls-files.js';
import { openConnectors, staticConnectorRecords } from '../server/connectors/resolve.js';
import type { ServerParts } from '../server/context.js';
import { BACKCHANNEL_LOGOUT_DEFAULTS } from '../config/backchannel-logout.js';
import { createDeliveryWorker } from '../server/backchannel/index.js';
import { createServer } from '../server/server.js';
import { withStaticClients, withStaticConnectors, withStaticPasswords } from '../storage/static.js';
import type { Storage } from '../storage/storage.js';
import { startGarbageCollection } from './gc.js';
import { grpcListenAddress, parseListenAddress } from './listen.js';
import { startTelemetry } from './telemetry.js';
import { ferryVersion } from './version.js';
import { createAttemptGuard } from '../server/throttle/attempt-guard.js';

export interface RunningFerry {
  deps: ServerParts;
  /** The web listeners (http, then https when configured). */
  apps: FastifyInstance[];
  stop(): Promise<void>;
}

/**
 * What one process runs besides the web listeners; all by default. With several workers (`cluster-primary.ts`) the
 * primary serves telemetry and one worker, the lead, runs the gRPC API and garbage collection.
 */
export interface StartParts {
  api: boolean;
  telemetry: boolean;
  gc: boolean;
}

/** How `startFerry` retries opening an unreachable store: exponential backoff, capped, then a clear error. */
export interface StorageRetry {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Give up once this much time has passed since the first attempt (0: try once). */
  timeoutMs: number;
}

export const DEFAULT_STORAGE_RETRY: StorageRetry = { firstDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 60_000 };

/** Only `StorageError` (store unreachable, migrations failed) is retried; config errors fail at once. */
async function openWithRetry(open: () => Promise<Storage>, logger: Logger, retry: StorageRetry): Promise<Storage> {
  const deadline = Date.now() + retry.timeoutMs;
  for (let attempt = 1, delay = retry.firstDelayMs; ; attempt++, delay = Math.min(delay * 2, retry.maxDelayMs)) {
    try {
      return await open();
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      const wait = Math.min(delay, deadline - Date.now());
      if (wait <= 0) throw new StorageError(`cannot open the store after ${attempt} attempt(s): ${err.message}`, { cause: err });
      logger.warn({ attempt, retryInMs: wait, reason: err.message }, 'cannot open the store; retrying');
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

async function openStorage(config: Config, logger: Logger, now: () => Date, retry: StorageRetry): Promise<Storage> {
  const factory = lookupStorageFactory(config.storage.type);
  if (!factory) throw new ConfigError(`unknown storage type ${JSON.stringify(config.storage.type)}`, 'storage.type');
  const parsed = factory.parseConfig(config.storage.config, 'storage.config');
  const storageLogger = logger.child({ component: 'storage' });
  const raw = await openWithRetry(() => factory.open(parsed, { logger: storageLogger, now }), storageLogger, retry);
  const withClients = withStaticClients(raw, config.staticClients);
  return withStaticConnectors(withStaticPasswords(withClients, config.staticPasswords), staticConnectorRecords(config));
}

export async function startFerry(
  config: Config,
  opts: { logger: Logger; now?: () => Date; env?: NodeJS.ProcessEnv; storageRetry?: StorageRetry; parts?: StartParts },
): Promise<RunningFerry> {
  const { logger } = opts;
  const now = opts.now ?? (() => new Date());
  const env = opts.env ?? process.env;
  const flags = featureFlags(env);
  if (config.signer.type !== 'local') throw new ConfigError('only the local signer is supported so far', 'signer.type');
  const parts: StartParts = opts.parts ?? { api: true, telemetry: true, gc: true };
  const grpcListen = config.grpc.addr && parts.api ? grpcListenAddress(config.grpc, env) : null;
  const timeouts = config.web.timeouts ?? LISTENER_TIMEOUTS;

  const storage = await openStorage(config, logger, now, opts.storageRetry ?? DEFAULT_STORAGE_RETRY);
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
  // Metrics are read only through the telemetry listener: without one, prom-client is not even loaded, and no
  // request pays for counting (issue 13 items 2 and 6).
  const metrics = config.telemetry.http ? (await import('../lib/metrics.js')).createMetrics({ version: ferryVersion() }) : undefined;
  const guard = createAttemptGuard({ storage, now, logger, metrics, clientRemoteIP: config.web.clientRemoteIP });
  const deps: ServerParts = { config, storage, signer, connectors, logger, now, metrics, guard };

  const apps: FastifyInstance[] = [];
  if (config.web.http) {
    const app = await createServer(deps, { timeouts });
    await app.listen(parseListenAddress(config.web.http));
    logger.info({ address: config.web.http }, 'listening (http)');
    apps.push(app);
  }
  let tls: TlsFiles | null = null;
  if (config.web.https) {
    const { web } = config;
    tls = loadTlsFiles({ certFile: web.tlsCert, keyFile: web.tlsKey, minVersion: web.tlsMinVersion, maxVersion: web.tlsMaxVersion, cipherSuites: web.tlsCipherSuites }, logger);
    const app = await createServer(deps, { https: tls.current(), timeouts });
    tls.attach(app.server as unknown as import('node:tls').Server);
    await app.listen(parseListenAddress(web.https));
    logger.info({ address: web.https }, 'listening (https)');
    apps.push(app);
  }
  // The gRPC stack is loaded only when the API is configured.
  const api = grpcListen
    ? await (await import('../api/index.js')).startApi({ deps, flags, listen: grpcListen, onConnectorChange: connectors.invalidate })
    : null;
  const telemetry = config.telemetry.http && parts.telemetry
    ? await startTelemetry(config.telemetry, { storage, logger, metrics, timeouts })
    : null;
  const gc = parts.gc ? startGarbageCollection(storage, logger, now, { metrics }) : undefined;
  // Every replica delivers back-channel logout notifications from the shared outbox (sessions on only).
  const backchannel = config.sessions
    ? createDeliveryWorker({ storage, signer, issuer: config.issuer, logger, now, metrics, config: config.sessions.backchannelLogout ?? BACKCHANNEL_LOGOUT_DEFAULTS })
    : null;
  backchannel?.start();

  return {
    deps,
    apps,
    async stop() {
      abort.abort();
      clearInterval(gc);
      await backchannel?.stop();
      tls?.close();
      await Promise.allSettled([...apps.map((a) => a.close()), telemetry?.close(), api?.close()]);
      await storage.close();
    },
  };
}
