/**
 * The messages between the primary and its workers (node:cluster IPC). The primary asks a worker for its metrics
 * (prom-client's JSON form, which `AggregatorRegistry.aggregate` merges) or for a storage ping (readiness); a
 * worker says `ready` once its listeners accept connections. Every message carries `ferry` so others (prom-client's
 * own cluster messages) pass by.
 */

import type { Worker } from 'node:cluster';
import type { Registry } from 'prom-client';

export type WorkerMetrics = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

export type PrimaryRequest = { ferry: 'metrics' | 'ping'; id: number };
/** The primary's answer to `config?`: the config file's text as read at start-up. */
export type PrimaryMessage = PrimaryRequest | { ferry: 'config'; text: string };
export type WorkerMessage =
  | { ferry: 'config?' }
  | { ferry: 'ready' }
  | { ferry: 'reply'; id: number; ok: boolean; metrics?: WorkerMetrics };

export const isFerryMessage = (m: unknown): m is WorkerMessage | PrimaryMessage =>
  typeof m === 'object' && m !== null && typeof (m as { ferry?: unknown }).ferry === 'string';

let nextId = 0;

/** Sends `kind` to `worker` and resolves with its reply; rejects when it does not answer `ok` within `timeoutMs`. */
export function ask(worker: Worker, kind: PrimaryRequest['ferry'], timeoutMs: number): Promise<WorkerMessage & { ferry: 'reply' }> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, reply?: WorkerMessage & { ferry: 'reply' }) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      if (err) reject(err);
      else resolve(reply!);
    };
    const onMessage = (m: unknown) => {
      if (isFerryMessage(m) && m.ferry === 'reply' && m.id === id) done(m.ok ? null : new Error(`worker answered ${kind}: failed`), m);
    };
    const onExit = () => done(new Error('worker exited'));
    const timer = setTimeout(() => done(new Error(`worker did not answer ${kind} in ${timeoutMs} ms`)), timeoutMs);
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    try {
      worker.send({ ferry: kind, id } satisfies PrimaryRequest);
    } catch (err) {
      done(err as Error);
    }
  });
}
