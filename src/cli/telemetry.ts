/**
 * The telemetry listener (dex reference §15), separate from the web port: `/healthz/live` (process up),
 * `/healthz` and `/healthz/ready` (the store answers; JSON), and `/metrics` (Prometheus text format).
 */

import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import type { Storage } from '../storage/storage.js';
import { parseListenAddress } from './listen.js';

export async function startTelemetry(addr: string, storage: Storage, logger: Logger, metrics?: Metrics): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
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
  if (metrics) {
    app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  }
  app.get('/healthz/live', (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/healthz', ready);
  app.get('/healthz/ready', ready);
  await app.listen(parseListenAddress(addr));
  logger.info({ address: addr }, 'listening (telemetry)');
  return app;
}
