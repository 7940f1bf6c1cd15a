/**
 * Helpers for backends that update by compare-and-swap (etcd revisions, Kubernetes resource versions):
 * - `createKeyQueue` runs the read-modify-writes of ONE key one after another inside this process, so parallel
 *   updates from one replica never race each other (100 parallel updaters cost 100 round trips, not 100²);
 * - `retryOnConflict` retries a compare-and-swap that lost to another process, with a short jittered backoff.
 * The Kubernetes backend uses them too.
 */

import { StorageError } from '../../lib/errors.js';

/** Serialises async tasks per key; different keys run concurrently. */
export interface KeyQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export function createKeyQueue(): KeyQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const prev = tails.get(key) ?? Promise.resolve();
      const result = prev.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}

/** What one compare-and-swap attempt returns: done with a value, or lost the race. */
export type Attempt<T> = { done: true; value: T } | { done: false };

const MAX_ATTEMPTS = 60;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `attempt` until it does not lose a race; after `MAX_ATTEMPTS` losses gives up with a `StorageError`.
 * Backoff grows from ~1 ms to ~50 ms with jitter, so a few replicas hammering one key all make progress.
 */
export async function retryOnConflict<T>(what: string, attempt: () => Promise<Attempt<T>>): Promise<T> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const r = await attempt();
    if (r.done) return r.value;
    await sleep(Math.random() * Math.min(50, 2 ** Math.min(i, 6)));
  }
  throw new StorageError(`${what}: too many concurrent updates, gave up after ${MAX_ATTEMPTS} attempts`);
}
