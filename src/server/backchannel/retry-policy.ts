/**
 * When a failed notification is tried again: exponential backoff from `retryAfter`, doubling per attempt up to
 * `maxRetryDelay`, with "equal jitter" (half fixed, half random) so replicas and relying parties recovering from one
 * outage are not hit in lockstep. Past `giveUpAfter` since the logout, the notification is dropped.
 */

import type { BackchannelLogoutConfig } from '../../config/types.js';

type RetryConfig = Pick<BackchannelLogoutConfig, 'retryAfter' | 'maxRetryDelay' | 'giveUpAfter'>;

/** ms to wait after the `attempts`-th failed attempt (1-based); `random` in [0, 1). */
export function retryDelay(attempts: number, cfg: RetryConfig, random: () => number = Math.random): number {
  const exp = Math.min(cfg.maxRetryDelay, cfg.retryAfter * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** The next attempt's time, or null when the notification should be given up instead. */
export function nextAttemptAt(createdAt: Date, attempts: number, now: Date, cfg: RetryConfig, random?: () => number): Date | null {
  const next = new Date(now.getTime() + retryDelay(attempts, cfg, random));
  return next.getTime() - createdAt.getTime() > cfg.giveUpAfter ? null : next;
}
