/**
 * GET <issuer>/healthz — 200 "Health check passed" when the store answers, else 503 (dex v2.45.1 `server/server.go`, `storage/health.go`).
 * The store is probed at most once per second however often the endpoint is hit.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../lib/logger.js';
import type { Storage } from '../../storage/storage.js';

export function healthHandler(storage: Storage, logger: Logger, now: () => Date) {
  let checkedAt = 0;
  let pending: Promise<boolean> | null = null;
  let healthy = true;
  const probe = async () => {
    try {
      await storage.ping();
      return true;
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'storage health check failed');
      return false;
    }
  };
  return async (_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const t = now().getTime();
    if (t - checkedAt >= 1000) {
      pending ??= probe().finally(() => {
        pending = null;
      });
      healthy = await pending;
      checkedAt = t;
    }
    reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8');
    return healthy ? reply.send('Health check passed') : reply.code(503).send('Health check failed');
  };
}
