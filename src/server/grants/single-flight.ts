/**
 * Collapses concurrent calls with the same key into one: the first caller runs `fn`, the others share its
 * promise until it settles. The refresh grant uses it so N parallel refreshes of one token call the upstream
 * connector once per process (an upstream that rotates its own refresh tokens would reject the copies).
 */

export class SingleFlight<T> {
  readonly #inflight = new Map<string, Promise<T>>();

  run(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.#inflight.get(key);
    if (running) return running;
    const p = fn().finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, p);
    return p;
  }

  /** Calls in flight (tests). */
  get size(): number {
    return this.#inflight.size;
  }
}
