/**
 * `sessions.backchannelLogout` (Ferry extension; dex has no such block because it sends once and forgets): how the
 * back-channel logout outbox delivers (docs/logout.md). Every key is optional; durations in Go syntax.
 */

import { type BuildContext, durationAt } from './build-context.js';
import { type Decoded, read } from './decode.js';
import type { BackchannelLogoutConfig } from './types.js';

const S = 1000;

export const BACKCHANNEL_LOGOUT_DEFAULTS: BackchannelLogoutConfig = {
  timeout: 5 * S,
  leaseDuration: 30 * S,
  retryAfter: 5 * S,
  maxRetryDelay: 15 * 60 * S,
  giveUpAfter: 60 * 60 * S,
  pollInterval: 2 * S,
  allowInsecureHTTP: false,
};

export function buildBackchannelLogout(sessions: Decoded | undefined, ctx: BuildContext): BackchannelLogoutConfig {
  const b = read.obj(sessions, 'backchannelLogout');
  const path = 'sessions.backchannelLogout';
  const d = BACKCHANNEL_LOGOUT_DEFAULTS;
  const out: BackchannelLogoutConfig = {
    timeout: durationAt(b, 'timeout', path, d.timeout, ctx),
    leaseDuration: durationAt(b, 'leaseDuration', path, d.leaseDuration, ctx),
    retryAfter: durationAt(b, 'retryAfter', path, d.retryAfter, ctx),
    maxRetryDelay: durationAt(b, 'maxRetryDelay', path, d.maxRetryDelay, ctx),
    giveUpAfter: durationAt(b, 'giveUpAfter', path, d.giveUpAfter, ctx),
    pollInterval: durationAt(b, 'pollInterval', path, d.pollInterval, ctx),
    allowInsecureHTTP: read.bool(b, 'allowInsecureHTTP', d.allowInsecureHTTP),
  };
  const checks: Array<[boolean, string, string]> = [
    [out.timeout <= 0, 'timeout', 'must be positive'],
    [out.leaseDuration <= out.timeout, 'leaseDuration', 'must be longer than timeout (a lease must outlive one delivery)'],
    [out.retryAfter <= 0, 'retryAfter', 'must be positive'],
    [out.maxRetryDelay < out.retryAfter, 'maxRetryDelay', 'must not be shorter than retryAfter'],
    [out.giveUpAfter <= 0, 'giveUpAfter', 'must be positive'],
    [out.pollInterval <= 0, 'pollInterval', 'must be positive'],
  ];
  for (const [bad, key, message] of checks) if (bad) ctx.issues.push({ path: `${path}.${key}`, message });
  return out;
}
