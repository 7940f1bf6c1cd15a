/**
 * `ferry serve` with several workers (docs/operations.md, "Workers"): the primary forks one node:cluster worker
 * per slot (`cluster-worker.ts`), which accept connections on the web ports' shared listening sockets. The primary itself opens no store: it serves the telemetry listener (probes answered by a worker's
 * store, `/metrics` aggregated over the workers with prom-client's `AggregatorRegistry.aggregate`), restarts a
 * worker that dies (at once after a long life, with exponential backoff after quick deaths), and on SIGTERM/SIGINT
 * passes the signal on, waits until every worker has drained and exited, then exits.
 */

import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, Counter, Registry } from 'prom-client';
import { type Config, LISTENER_TIMEOUTS } from '../config/types.js';
import type { Logger } from '../lib/logger.js';
import { ask, isFerryMessage, type PrimaryMessage, type WorkerMetrics } from './cluster-ipc.js';
import { WORKER_SLOT_ENV } from './cluster-worker.js';
import { startTelemetry } from './telemetry.js';

/**
 * A worker that served this long is restarted at once; one that died sooner, or before it served, is restarted
 * after 0.25 s, 0.5 s, 1 s, … up to 30 s (consecutive quick deaths double the delay).
 */
const HEALTHY_LIFE_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;
const ASK_TIMEOUT_MS = 2_000;

interface Slot {
  n: number;
  worker: Worker;
  /** When it said `ready` (0: not yet). */
  readyAt: number;
  ready: boolean;
  quickDeaths: number;
}

export interface PrimaryOptions {
  config: Config;
  /** The config file's text as read at start-up; every worker, restarted ones too, parses this. */
  configText: string;
  logger: Logger;
  workers: number;
  /** Where the count came from (`workers.ts`), for the log. */
  source: string;
  /** The container limits that set the count (`cpuLimit` in CPUs, `memoryLimitMiB`), for the log. */
  limits?: { cpuLimit?: number; memoryLimitMiB?: number };
  /** Called once, when every worker of the first generation is serving. */
  onServing: () => void;
}

export async function servePrimary(o: PrimaryOptions): Promise<void> {
  const { logger } = o;
  const slots = new Map<number, Slot>();
  let stopping = false;
  let serving = false;
  const own = new Registry();
  const restarts = new Counter({ name: 'ferry_worker_restarts_total', help: 'Workers restarted after they died.', registers: [own] });

  const fork = (n: number, quickDeaths: number): void => {
    const worker = cluster.fork({ [WORKER_SLOT_ENV]: String(n) });
    const slot: Slot = { n, worker, readyAt: 0, ready: false, quickDeaths };
    slots.set(n, slot);
    logger.info({ worker: n, processId: worker.process.pid }, 'worker started');
    worker.on('message', (m: unknown) => {
      if (!isFerryMessage(m)) return;
      if (m.ferry === 'config?') worker.send({ ferry: 'config', text: o.configText } satisfies PrimaryMessage);
      if (m.ferry !== 'ready') return;
      slot.ready = true;
      slot.readyAt = Date.now();
      logger.info({ worker: n, processId: worker.process.pid }, 'worker serving');
      if (!serving && [...slots.values()].every((s) => s.ready)) {
        serving = true;
        o.onServing();
      }
    });
    worker.once('exit', (code, signal) => onExit(slot, code, signal));
  };

  const onExit = (slot: Slot, code: number | null, signal: string | null): void => {
    if (slots.get(slot.n) === slot) slots.delete(slot.n);
    const processId = slot.worker.process.pid;
    if (stopping) return void logger.info({ worker: slot.n, processId, code, signal }, 'worker stopped');
    if (!serving) {
      // A worker that cannot start (port taken, store unreachable after its retries) fails the whole start-up.
      logger.error({ worker: slot.n, processId, code, signal }, 'worker failed to start; stopping');
      void shutdown('start-up failure', 1);
      return;
    }
    const quick = !slot.ready || Date.now() - slot.readyAt < HEALTHY_LIFE_MS;
    const deaths = quick ? slot.quickDeaths + 1 : 0;
    const delay = deaths === 0 ? 0 : Math.min(250 * 2 ** (deaths - 1), MAX_BACKOFF_MS);
    logger.error({ worker: slot.n, processId, code, signal, restartInMs: delay }, 'worker exited; restarting it');
    restarts.inc();
    setTimeout(() => stopping || fork(slot.n, deaths), delay);
  };

  const readyWorkers = (): Worker[] => [...slots.values()].filter((s) => s.ready && s.worker.isConnected()).map((s) => s.worker);
  let turn = 0;
  const ping = async (): Promise<void> => {
    const ready = readyWorkers();
    const w = ready[turn++ % Math.max(1, ready.length)];
    if (!w) throw new Error('no worker is serving');
    await ask(w, 'ping', ASK_TIMEOUT_MS);
  };
  const scrape = async () => {
    const answers = await Promise.allSettled(readyWorkers().map((w) => ask(w, 'metrics', ASK_TIMEOUT_MS)));
    const all: WorkerMetrics[] = answers.flatMap((a) => (a.status === 'fulfilled' && a.value.metrics ? [a.value.metrics] : []));
    all.push(await own.getMetricsAsJSON());
    const merged = AggregatorRegistry.aggregate(all);
    return { contentType: merged.contentType, text: await merged.metrics() };
  };

  const { config } = o;
  const telemetry = config.telemetry.http
    ? await startTelemetry(config.telemetry, { storage: { ping }, logger, scrape, timeouts: config.web.timeouts ?? LISTENER_TIMEOUTS })
    : null;

  /** Passes the signal to every worker (each drains its listeners), waits for all to exit, then exits. */
  const shutdown = async (why: string, exitCode = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: why, workers: slots.size }, 'shutting down');
    const exits = [...slots.values()].map((s) => new Promise((done) => (s.worker.isDead() ? done(null) : s.worker.once('exit', done))));
    for (const s of slots.values()) if (!s.worker.isDead()) s.worker.process.kill('SIGTERM');
    await Promise.all(exits);
    await telemetry?.close();
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  // Workers accept from the shared listening socket themselves (not handed each connection by the primary): a
  // connection nobody accepted yet stays in the kernel's queue when a worker dies, instead of being lost in a
  // hand-off to the dead worker (node:cluster's round-robin mode can leave such a connection hanging).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  logger.info({ workers: o.workers, source: o.source, ...o.limits }, 'starting workers');
  for (let n = 1; n <= o.workers; n++) fork(n, 0);
}
