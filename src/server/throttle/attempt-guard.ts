/**
 * The throttle as the handlers use it: they name the use (`password`, `device-code`…), the client address and, for
 * a login, the account; they never see throttle subjects or policies. See throttle.ts for the counting rules.
 */

import type { FastifyRequest } from 'fastify';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import type { Storage } from '../../storage/storage.js';
import { clientAddressReader, type ClientRemoteIPConfig } from './client-address.js';
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

export function createAttemptGuard(deps: AttemptGuardDeps): AttemptGuard {
  const throttle = createThrottle({ ...deps, countFailure: (scope) => deps.metrics?.countAuthFailure(scope) });
  const addressOf = clientAddressReader(deps.clientRemoteIP);
  const subjectsOf = (a: Attempt): Subject[] => [
    { kind: 'address', scope: a.scope, id: a.address },
    ...(a.account === undefined ? [] : [{ kind: 'account' as const, scope: a.scope, id: a.account }]),
  ];
  return {
    addressOf,
    async run(a, check) {
      const subjects = subjectsOf(a);
      const retryAfter = await throttle.attempt(subjects);
      if (retryAfter > 0) {
        deps.metrics?.countThrottled(a.scope);
        deps.logger.info({ request_id: a.requestId, client_remote_addr: a.address, retry_after: retryAfter }, `throttled ${a.scope} attempt`);
        return { refused: true, retryAfter };
      }
      const value = await check();
      if (value === null) throttle.failed(subjects, { requestId: a.requestId, what: `${a.scope} attempt` });
      else await throttle.succeeded(subjects);
      return { refused: false, value };
    },
    async quota(q) {
      const policy = { free: q.limit, baseMs: q.windowMs, maxMs: q.windowMs, windowMs: q.windowMs };
      const wait = await throttle.attempt([{ kind: 'quota', scope: q.scope, id: q.id, policy }]);
      if (wait > 0) deps.metrics?.countThrottled(q.scope);
      return wait;
    },
  };
}
