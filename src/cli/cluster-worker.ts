/**
 * One serving process under `ferry serve` with several workers (`cluster-primary.ts`). It parses the config text
 * the primary read at start-up (so a worker restarted later runs the same config as the others), serves the web
 * listeners on the sockets node:cluster shares, and answers the primary's metrics and readiness questions. The
 * lead worker (slot 1) also runs the gRPC API and garbage collection; telemetry is the primary's.
 */

import { parseConfig, type ConfigOverrides } from '../config/load.js';
import { createLogger } from '../lib/logger.js';
import { isFerryMessage, type WorkerMessage } from './cluster-ipc.js';
import { stopOnSignals } from './shutdown.js';
import { startFerry } from './start.js';

export const WORKER_SLOT_ENV = 'FERRY_WORKER_SLOT';

const send = (m: WorkerMessage): void => {
  if (process.connected) process.send?.(m);
};

/** Asks the primary for the config file's text (the primary answers `{ ferry: 'config', text }`). */
function configText(): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (isFerryMessage(m) && m.ferry === 'config') {
        process.off('message', onMessage);
        resolve(m.text);
      }
    };
    process.on('message', onMessage);
    send({ ferry: 'config?' });
  });
}

export async function serveWorker(overrides: ConfigOverrides): Promise<void> {
  const slot = Number(process.env[WORKER_SLOT_ENV] ?? 0);
  const { config } = parseConfig(await configText(), process.env, overrides);
  const logger = createLogger(config.logger).child({ worker: slot });
  const lead = slot === 1;
  const ferry = await startFerry(config, { logger, parts: { api: lead, gc: lead, telemetry: false } });
  const { metrics, storage } = ferry.deps;
  process.on('message', (m: unknown) => {
    if (!isFerryMessage(m) || (m.ferry !== 'metrics' && m.ferry !== 'ping')) return;
    const { id } = m;
    const answer =
      m.ferry === 'metrics'
        ? metrics!.registry.getMetricsAsJSON().then((json) => ({ ok: true, metrics: json }))
        : storage.ping().then(
            () => ({ ok: true }),
            () => ({ ok: false }),
          );
    void answer.then(
      (a) => {
        if (m.ferry === 'ping') metrics?.setStorageHealthy(a.ok);
        send({ ferry: 'reply', id, ...a });
      },
      () => send({ ferry: 'reply', id, ok: false }),
    );
  });
  // The primary going away (killed, or its IPC channel closed) stops the worker too: no orphan keeps the port.
  stopOnSignals(logger, () => ferry.stop(), { onDisconnect: true });
  send({ ferry: 'ready' });
}
