/**
 * The brute-force throttle: one reusable service for every place that checks a secret a person types (the
 * password form, the password grant, device user codes, and TOTP/backup codes when they come).
 *
 * Each attempt names its subjects, e.g. the account (connector + username) and the client address. `attempt`
 * atomically counts the attempt against every subject *before* the secret is checked, so parallel guesses cannot
 * slip past the count, and refuses when any subject is blocked. A failure leaves the count; `succeeded` clears the
 * account and gives the address its attempt back. Past `free` counted attempts a subject is blocked for
 * `baseMs · 2^(n − free − 1)` (capped at `maxMs`): exponential backoff ending in a lockout.
 *
 * The counts live in the store (`ThrottleState`, keyed by a SHA-256 of the subject, never the username itself), so
 * every replica sees the same lockout. Records expire `windowMs` after the last counted attempt.
 */

import { createHash } from 'node:crypto';
import { AlreadyExistsError, NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Storage } from '../../storage/storage.js';
import type { ThrottleState } from '../../storage/types.js';

export interface ThrottlePolicy {
  /** Attempts counted before the first block. */
  free: number;
  baseMs: number;
  maxMs: number;
  /** A record is forgotten this long after the last counted attempt. */
  windowMs: number;
}

const MINUTE = 60_000;
/** Per account: 5 free tries, then 1 s, 2 s, 4 s … up to 15 minutes; forgotten after a day of quiet. */
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, baseMs: 1000, maxMs: 15 * MINUTE, windowMs: 24 * 60 * MINUTE };
/** Per client address: 30 free failures (shared NATs), then the same backoff; forgotten after an hour. */
export const ADDRESS_POLICY: ThrottlePolicy = { free: 30, baseMs: 1000, maxMs: 15 * MINUTE, windowMs: 60 * MINUTE };

/** One throttled subject. `scope` separates uses (`password`, `device-code`…); `id` is hashed before storing. */
export interface Subject {
  /** `quota` counts uses of a bounded resource (e.g. pending device requests of one client), not failures. */
  kind: 'account' | 'address' | 'quota';
  scope: string;
  id: string;
  policy?: ThrottlePolicy;
}

export interface Throttle {
  /** Counts one attempt; returns 0 when it may proceed, else the seconds to wait (nothing was counted). */
  attempt(subjects: Subject[]): Promise<number>;
  /** The attempt succeeded: the account subjects are cleared, the address subjects get their attempt back. */
  succeeded(subjects: Subject[]): Promise<void>;
  /** The attempt failed: logs it (address and hashed username, never the secret) and counts it in metrics. */
  failed(subjects: Subject[], log: { requestId: string; what: string }): void;
}

export interface ThrottleDeps {
  storage: Storage;
  now: () => Date;
  logger: Logger;
  /** Called once per failed attempt, with the use (`password`, `device-code`…). */
  countFailure?: (scope: string) => void;
}

/** The stored key of a subject: kind, scope and a SHA-256 of the id (no username or address in the store). */
export function subjectKey(s: Subject): string {
  const digest = createHash('sha256').update(`${s.kind}\0${s.scope}\0${s.id}`).digest('base64url');
  return `${s.kind}:${digest}`;
}

const policyOf = (s: Subject) => s.policy ?? (s.kind === 'account' ? ACCOUNT_POLICY : ADDRESS_POLICY);

function blockFor(p: ThrottlePolicy, count: number): number {
  const over = count - p.free;
  return over <= 0 ? 0 : Math.min(p.maxMs, p.baseMs * 2 ** Math.min(over - 1, 30));
}

export function createThrottle(deps: ThrottleDeps): Throttle {
  const { storage } = deps;
  const fresh = (key: string, now: Date): ThrottleState => ({ key, failures: 0, blockedUntil: null, expiry: now });

  /** Atomically counts one attempt on `s` unless it is blocked; returns the remaining block in ms (0 = counted). */
  async function countOne(s: Subject, now: Date): Promise<number> {
    const key = subjectKey(s);
    const p = policyOf(s);
    let wait = 0;
    const step = (old: ThrottleState): ThrottleState => {
      const live = old.expiry.getTime() >= now.getTime() ? old : fresh(key, now);
      const blocked = live.blockedUntil ? live.blockedUntil.getTime() - now.getTime() : 0;
      wait = Math.max(0, blocked);
      if (wait > 0) return old;
      const failures = live.failures + 1;
      const block = blockFor(p, failures);
      const blockedUntil = block > 0 ? new Date(now.getTime() + block) : null;
      const expiry = new Date(now.getTime() + Math.max(p.windowMs, block));
      return { ...live, failures, blockedUntil, expiry };
    };
    // An account's record is deleted on every success, so a login usually finds none: create first and spare the
    // failed read-modify-write (and its NotFoundError). An address's record usually exists: update first.
    let createFirst = s.kind === 'account';
    for (let i = 0; i < 3; i++, createFirst = false) {
      if (!createFirst) {
        try {
          await storage.updateThrottle(key, step);
          return wait;
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
        }
      }
      try {
        await storage.createThrottle(step(fresh(key, now)));
        return 0;
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
    }
    return 0;
  }

  async function uncount(s: Subject): Promise<void> {
    const key = subjectKey(s);
    try {
      if (s.kind === 'account') await storage.deleteThrottle(key);
      else await storage.updateThrottle(key, (old) => ({ ...old, failures: Math.max(0, old.failures - 1) }));
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }

  return {
    async attempt(subjects) {
      const now = deps.now();
      // Addresses first: a refusal further on gives them their attempt back; a blocked subject counts nothing.
      const ordered = [...subjects].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'address' ? -1 : 1));
      for (const [i, s] of ordered.entries()) {
        const wait = await countOne(s, now);
        if (wait > 0) {
          for (const done of ordered.slice(0, i)) if (done.kind === 'address') await uncount(done);
          return Math.ceil(wait / 1000);
        }
      }
      return 0;
    },
    async succeeded(subjects) {
      for (const s of subjects) await uncount(s);
    },
    failed(subjects, log) {
      const fields: Record<string, string> = { request_id: log.requestId };
      for (const s of subjects) {
        if (s.kind === 'address') fields.client_remote_addr = s.id;
        else fields.username_hash = subjectKey(s).slice(-16);
      }
      deps.logger.info(fields, `failed ${log.what}`);
      deps.countFailure?.(subjects[0]?.scope ?? '');
    },
  };
}
