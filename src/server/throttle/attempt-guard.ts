/**
 * The throttle as the handlers use it: they name the use (`password`, `device-code`…), the client address and, for
 * a login, the account; they never see throttle subjects or policies. See throttle.ts for the counting rules.
 *
 * Parallel attempts on one subject take turns rather than being refused: within a process, attempts on one account
 * queue (`accountTurns`); across processes and replicas, an attempt the stored claims make `busy` waits and asks
 * again (`busyPause`, for up to `BUSY_WAIT_MS`). A burst of right passwords all pass, and parallel guesses meet
 * the block after exactly the free failures (docs/security.md).
 */

import type { FastifyRequest } from 'fastify';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import type { Storage } from '../../storage/storage.js';
import { clientAddressReader, type ClientRemoteIPConfig } from './client-address.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { createThrottle, type Subject } from './throttle.js';

/** What one guarded attempt came to: refused (wait `retryAfter` seconds), or the check's result (null = failed). */
export type GuardOutcome<T> = { refused: true; retryAfter: number } | { refused: false; value: T | null };

export interface Attempt {
  /** The use: `password`, `device-code`, `device-callback`, later `totp`, `backup-code`. */
  scope: string;
  /** The client address (`addressOf`). */
  address: string;
  /** The account tried (e.g. connector id + NUL + username), when there is one. */
  account?: string;
  requestId: string;
}

export interface AttemptGuard {
  /** The client address of a request, honouring `web.clientRemoteIP`. */
  addressOf(req: FastifyRequest): string;
  /** Runs `check` (which answers null for a wrong secret) as one throttled attempt. Errors propagate. */
  run<T>(a: Attempt, check: () => Promise<T | null>): Promise<GuardOutcome<T>>;
  /**
   * Counts one use of a bounded resource: at most `limit` uses of `id` per `windowMs` (stored, so across replicas).
   * Returns 0 when allowed, else the seconds until uses are accepted again.
   */
  quota(q: { scope: string; id: string; limit: number; windowMs: number }): Promise<number>;
}

export interface AttemptGuardDeps {
  storage: Storage;
  now: () => Date;
  logger: Logger;
  metrics?: Metrics;
  clientRemoteIP: ClientRemoteIPConfig;
}

/** Attempts of one account waiting for their turn in a process, beyond which the next is refused at once. */
export const ACCOUNT_QUEUE_LIMIT = 64;
/** How long an attempt waits for claims of other processes to settle before it is refused (429, no block). */
const BUSY_WAIT_MS = 10_000;
/**
 * A waiting attempt asks again after 25 ms, then twice as long each time up to half a second, with up to as much
 * again of jitter so waiters spread out (each ask is a store write).
 */
const busyPause = (n: number): number => Math.min(500, 25 * 2 ** n) * (1 + Math.random());

/**
 * One queue per account: taking a turn resolves when every earlier attempt on the same key has settled, to the
 * release the holder calls exactly once, or to null at once when `ACCOUNT_QUEUE_LIMIT` are already waiting.
 */
function accountTurns(): (key: string) => Promise<(() => void) | null> {
  const queues = new Map<string, { tail: Promise<void>; waiting: number }>();
  return async (key) => {
    const q = queues.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
    if (q.waiting >= ACCOUNT_QUEUE_LIMIT) return null;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const ahead = q.tail;
    q.tail = done;
    q.waiting++;
    queues.set(key, q);
    await ahead;
    return () => {
      q.waiting--;
      if (q.waiting === 0) queues.delete(key);
      release();
    };
  };
}

export function createAttemptGuard(deps: AttemptGuardDeps): AttemptGuard {
  const turnOf = accountTurns();
  const throttle = createThrottle({ ...deps, countFailure: (scope) => deps.metrics?.countAuthFailure(scope) });
  const addressOf = clientAddressReader(deps.clientRemoteIP);
  const subjectsOf = (a: Attempt): Subject[] => [
    { kind: 'address', scope: a.scope, id: a.address },
    ...(a.account === undefined ? [] : [{ kind: 'account' as const, scope: a.scope, id: a.account }]),
  ];
  return {
    addressOf,
    async run(a, check) {
      const refuse = (retryAfter: number): GuardOutcome<never> => {
        deps.metrics?.countThrottled(a.scope);
        deps.logger.info({ request_id: a.requestId, client_remote_addr: a.address, retry_after: retryAfter }, `throttled ${a.scope} attempt`);
        return { refused: true, retryAfter };
      };
      const release = a.account === undefined ? () => undefined : await turnOf(`${a.scope}\0${a.account}`);
      if (release === null) return refuse(1);
      try {
        const subjects = subjectsOf(a);
        const since = Date.now();
        let claimed = await throttle.attempt(subjects);
        for (let n = 0; claimed.outcome === 'busy' && Date.now() - since < BUSY_WAIT_MS; n++) {
          await sleep(busyPause(n));
          claimed = await throttle.attempt(subjects);
        }
        if (claimed.outcome === 'busy') return refuse(1);
        if (claimed.outcome === 'refused') return refuse(claimed.retryAfter);
        const { claim } = claimed;
        let value: Awaited<ReturnType<typeof check>>;
        try {
          value = await check();
        } catch (err) {
          // The check could not tell (the connector failed): counted like a failure, as a guess whose check threw
          // must not come free; the error itself is the caller's to log.
          await throttle.failed(subjects, claim).catch(() => undefined);
          throw err;
        }
        if (value === null) await throttle.failed(subjects, claim, { requestId: a.requestId, what: `${a.scope} attempt` });
        else await throttle.succeeded(subjects, claim);
        return { refused: false, value };
      } finally {
        release();
      }
    },
    async quota(q) {
      const policy = { free: q.limit, baseMs: q.windowMs, maxMs: q.windowMs, windowMs: q.windowMs };
      const wait = await throttle.count({ kind: 'quota', scope: q.scope, id: q.id, policy });
      if (wait > 0) deps.metrics?.countThrottled(q.scope);
      return wait;
    },
  };
}
