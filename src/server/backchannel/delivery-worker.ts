/**
 * The outbox worker every replica runs: every `pollInterval` it lists the outbox, claims the due entries it can
 * (a lease of `leaseDuration`), mints a fresh logout token per attempt and POSTs it. Delivered → removed. A
 * temporary failure → retried later (./retry-policy.ts) and the lease released; a permanent one, or one past
 * `giveUpAfter` → removed with an error log. A replica that dies holding a lease simply stops renewing nothing:
 * once the lease runs out another replica claims the entry, so no notification is lost. Delivery is at least once:
 * a replica killed after the relying party accepted but before removing the entry makes another deliver again,
 * which Back-Channel Logout 1.0 §2.6 relying parties handle (logging out twice is a no-op).
 *
 * The token is minted at delivery, not at enqueue: it lives two minutes while retries span up to `giveUpAfter`, and
 * the store never holds a signed, replayable token.
 */

import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { BackchannelLogoutConfig } from '../../config/types.js';
import type { Signer } from '../../keys/signer.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import type { Storage } from '../../storage/storage.js';
import type { LogoutDelivery } from '../../storage/types.js';
import { deliveryTarget } from './delivery-target.js';
import { mintLogoutToken } from './logout-token.js';
import { claimDelivery, isClaimable, removeDelivery, rescheduleDelivery } from './outbox.js';
import { postLogoutToken } from './post-logout-token.js';
import { nextAttemptAt } from './retry-policy.js';

export interface DeliveryWorkerOptions {
  storage: Storage;
  signer: Signer;
  issuer: string;
  logger: Logger;
  now: () => Date;
  config: BackchannelLogoutConfig;
  metrics?: Metrics;
  /** This replica's lease owner name (default: host, pid and a random suffix). */
  owner?: string;
  random?: () => number;
}

export interface DeliveryWorker {
  /** One pass over the outbox; resolves with how many entries this replica handled. */
  runOnce(): Promise<number>;
  /** Runs a pass now and then every `pollInterval` until `stop()`. */
  start(): void;
  stop(): Promise<void>;
}

/** At most this many deliveries in flight per replica. */
const PARALLEL = 8;

type Outcome = 'delivered' | 'retry' | 'dropped';

export function createDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorker {
  const { storage, logger, config } = opts;
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const log = logger.child({ component: 'backchannel' });

  async function drop(d: LogoutDelivery, reason: string): Promise<Outcome> {
    await removeDelivery(storage, d.id);
    log.error({ client_id: d.clientId, session_id: d.sessionId, attempts: d.attempts + 1, reason }, 'backchannel logout: notification dropped');
    return 'dropped';
  }

  async function attempt(d: LogoutDelivery): Promise<Outcome> {
    const client = await storage.getClient(d.clientId).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    if (!client?.backchannelLogoutURI) return drop(d, 'client gone or has no backchannelLogoutURI');
    const target = deliveryTarget(client.backchannelLogoutURI, config.allowInsecureHTTP);
    if ('refused' in target) return drop(d, `backchannelLogoutURI refused: ${target.refused}`);
    const now = opts.now();
    const token = await mintLogoutToken(opts.signer, { issuer: opts.issuer, clientId: d.clientId, subject: d.subject, sessionId: d.sessionId, now });
    const res = await postLogoutToken(target.url, token, config.timeout);
    if (res.delivered) {
      await removeDelivery(storage, d.id);
      log.info({ client_id: d.clientId, session_id: d.sessionId, attempts: d.attempts + 1 }, 'backchannel logout: delivered');
      return 'delivered';
    }
    const next = res.retry ? nextAttemptAt(d.createdAt, d.attempts + 1, opts.now(), config, opts.random) : null;
    if (!next) return drop(d, res.retry ? `${res.reason}; gave up after ${config.giveUpAfter} ms` : res.reason);
    await rescheduleDelivery(storage, d, owner, next, res.reason);
    log.warn({ client_id: d.clientId, session_id: d.sessionId, attempts: d.attempts + 1, reason: res.reason, retry_at: next.toISOString() }, 'backchannel logout: attempt failed; will retry');
    return 'retry';
  }

  async function handle(entry: LogoutDelivery): Promise<boolean> {
    const d = await claimDelivery(storage, entry.id, owner, opts.now(), config.leaseDuration);
    if (!d) return false;
    let outcome: Outcome;
    try {
      outcome = await attempt(d);
    } catch (err) {
      // Signing or storage trouble: keep the entry, retry after the lease.
      log.error({ client_id: d.clientId, err: (err as Error).message }, 'backchannel logout: attempt errored');
      outcome = 'retry';
    }
    opts.metrics?.countLogoutDelivery(outcome);
    return true;
  }

  async function runOnce(): Promise<number> {
    const all = await storage.listLogoutDeliveries();
    opts.metrics?.setLogoutPending(all.length);
    const due = all.filter((d) => isClaimable(d, opts.now()));
    let handled = 0;
    for (let i = 0; i < due.length; i += PARALLEL) {
      const results = await Promise.all(due.slice(i, i + PARALLEL).map(handle));
      handled += results.filter(Boolean).length;
    }
    return handled;
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = runOnce()
      .catch((err: unknown) => log.error({ err: (err as Error).message }, 'backchannel logout: outbox pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, config.pollInterval).unref();
      });
  };

  return {
    runOnce,
    start() {
      if (!stopped && !timer) timer = setTimeout(tick, 0).unref();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
