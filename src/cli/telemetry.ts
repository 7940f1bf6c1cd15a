/**
 * The telemetry listener (dex v2.45.1 `cmd/dex/serve.go`), separate from the web port: `/healthz/live` (process
 * up), `/healthz` and `/healthz/ready` (the store answers; JSON), `/metrics` (Prometheus text format), and with
 * `telemetry.enableProfiling` the profiles under `/debug/pprof/` (`profiling.ts`).
 */

import Fastify, { type FastifyInstance } from 'fastify';
import type { ListenerTimeouts, TelemetryConfig } from '../config/types.js';
import { listenerOptions } from '../lib/listener-options.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import type { Storage } from '../storage/storage.js';
import { parseListenAddress } from './listen.js';
import { registerProfiling } from './profiling.js';

export interface TelemetryDeps {
  /** What readiness probes ask; with several workers, a worker's store over IPC (`cluster-primary.ts`). */
  storage: Pick<Storage, 'ping'>;
  logger: Logger;
  metrics?: Metrics;
  /** Replaces `metrics` as the source of `/metrics`: the workers' counters aggregated by the primary. */
  scrape?: () => Promise<{ contentType: string; text: string }>;
  timeouts: ListenerTimeouts;
}

export async function startTelemetry(telemetry: TelemetryConfig, deps: TelemetryDeps): Promise<FastifyInstance> {
  const { storage, logger, metrics } = deps;
  const scrape = deps.scrape ?? (metrics ? async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }) : null);
  const listener = listenerOptions(deps.timeouts);
  const app = Fastify({ logger: false, ...listener.fastify, http: listener.node });
  const ready = async (_req: unknown, reply: import('fastify').FastifyReply) => {
    const at = new Date().toISOString();
    try {
      await storage.ping();
      metrics?.setStorageHealthy(true);
      return reply.send({ storage: { status: 'ok', timestamp: at } });
    } catch {
      metrics?.setStorageHealthy(false);
      return reply.code(503).send({ storage: { status: 'fail', timestamp: at, error: 'storage unreachable' } });
    }
  };
  if (scrape) {
    app.get('/metrics', async (_req, reply) => {
      const { contentType, text } = await scrape();
      return reply.type(contentType).send(text);
    });
  }
  app.get('/healthz/live', (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/healthz', ready);
  app.get('/healthz/ready', ready);
  if (telemetry.enableProfiling) {
    registerProfiling(app as unknown as FastifyInstance);
    logger.warn({ address: telemetry.http }, 'profiling is enabled: /debug/pprof/ on the telemetry listener exposes heap contents');
  }
  await app.listen(parseListenAddress(telemetry.http));
  logger.info({ address: telemetry.http }, 'listening (telemetry)');
  return app as unknown as FastifyInstance;
}
