/**
 * Password verification with bcrypt, a few at a time. `@node-rs/bcrypt` runs each call on libuv's thread pool (4
 * threads unless `UV_THREADPOOL_SIZE` says otherwise), the pool that also runs WebCrypto's signatures and
 * verifications and file reads. Unbounded, a burst of password logins fills every pool thread with jobs of 60 ms
 * (cost 10 on a 2-core test machine) to seconds (cost 16): the token endpoint's signatures then queue behind them,
 * and on a machine with fewer cores than pool threads the event loop shares its cores with more hashing threads
 * than there are cores. So at most one hash per core runs at once, and at least one pool thread is always left for
 * the rest; further calls wait here, in arrival order. On 2 cores that is two at a time, as many as the cores can
 * run, so password logins per second do not drop (bench/README.md, "limit: native bcrypt").
 */

import { verify } from '@node-rs/bcrypt';
import { usableCores } from './container-limits.js';

/** libuv's pool size as libuv reads it (`UV_THREADPOOL_SIZE`, 1..1024), else its default, 4. */
export function threadPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 1024) : 4;
}

/**
 * How many hashes may run at once: one per usable core (a container's CPU limit included), leaving at least one
 * pool thread free (never fewer than one).
 */
export function hashingSlots(cores: number = usableCores().cores, pool: number = threadPoolSize()): number {
  return Math.max(1, Math.min(cores, pool - 1));
}

/** A first-in first-out limit on how many calls of `run` are in flight at once. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(f: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await f();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next caller
      else this.free++;
    }
  }
}

const slots = new Slots(hashingSlots());

/** True when `password` matches the bcrypt `hash`; false for a wrong password or a malformed hash. */
export const verifyPassword = (password: string, hash: string): Promise<boolean> =>
  slots.run(() => verify(password, hash)).catch(() => false);
