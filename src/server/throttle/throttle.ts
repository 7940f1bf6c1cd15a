/**
 * The brute-force throttle: one reusable service for every place that checks a secret a person types (the
 * password form, the password grant, device user codes, TOTP and backup codes).
 *
 * Each attempt names its subjects, e.g. the account (connector + username) and the client address. `attempt`
 * atomically *claims* the attempt on every subject before the secret is checked, so parallel guesses cannot slip
 * past the count: a subject lets at most `free + 1 - failures` claims be checked at once (one at a time once its
 * free failures are used up), and further attempts are `busy` until a claim settles. `failed` turns the claim into
 * a counted failure; `succeeded` clears the account and drops the address's claim. A claim is not a failure: checks
 * in flight never block a subject, so parallel logins with the right password (a service account's CI jobs, many
 * users behind one NAT) are never refused for being parallel, only made to take turns.
 *
 * Past `free` failures a subject is blocked for `baseMs · 2^(n − free − 1)` (capped at `maxMs`): exponential
 * backoff ending in a lockout. The counts and claims live in the store (`ThrottleState`, keyed by a SHA-256 of the
 * subject, never the username itself), so every process and replica sees the same ones. Records expire `windowMs`
 * after the last counted failure; a claim lapses after `CLAIM_MS` (a process that died mid-check).
 *
 * `quota` subjects count uses of a bounded resource instead (`count`): each use is counted at once, nothing settles.
 */

import { createHash } from 'node:crypto';
import { AlreadyExistsError, NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { newId } from '../../storage/ids.js';
import type { Storage } from '../../storage/storage.js';
import type { ThrottleState } from '../../storage/types.js';

export interface ThrottlePolicy {
  /** Failures allowed before the first block. */
  free: number;
  baseMs: number;
  maxMs: number;
  /** A record is forgotten this long after the last counted failure. */
  windowMs: number;
}

const MINUTE = 60_000;
/** Per account: 5 free tries, then 1 s, 2 s, 4 s … up to 15 minutes; forgotten after a day of quiet. */
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, baseMs: 1000, maxMs: 15 * MINUTE, windowMs: 24 * 60 * MINUTE };
/** Per client address: 30 free failures (shared NATs), then the same backoff; forgotten after an hour. */
export const ADDRESS_POLICY: ThrottlePolicy = { free: 30, baseMs: 1000, maxMs: 15 * MINUTE, windowMs: 60 * MINUTE };
/** How long a claim holds when its check never settles (the process died): longer than any connector's timeout. */
export const CLAIM_MS = 2 * MINUTE;

/** One throttled subject. `scope` separates uses (`password`, `device-code`…); `id` is hashed before storing. */
export interface Subject {
  /** `quota` counts uses of a bounded resource (e.g. pending device requests of one client), not failures. */
  kind: 'account' | 'address' | 'quota';
  scope: string;
  id: string;
  policy?: ThrottlePolicy;
}

/** What `attempt` came to: checked under `claim`, refused for `retryAfter` seconds, or busy (try again shortly). */
export type Claim = { outcome: 'go'; claim: string } | { outcome: 'refused'; retryAfter: number } | { outcome: 'busy' };

export interface Throttle {
  /** Claims one attempt on every subject (address and account; not quota), or nothing. */
  attempt(subjects: Subject[]): Promise<Claim>;
  /** The attempt succeeded: the accounts are cleared, the addresses' claims dropped. */
  succeeded(subjects: Subject[], claim: string): Promise<void>;
  /**
   * The attempt failed: counted on every subject and, with `log`, logged (address and hashed username, never the
   * secret) and counted in metrics. Without `log` the check threw: counted all the same, the caller logs its error.
   */
  failed(subjects: Subject[], claim: string, log?: { requestId: string; what: string }): Promise<void>;
  /** Counts one use of a quota subject; returns 0 when allowed, else the seconds to wait (nothing was counted). */
  count(subject: Subject): Promise<number>;
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

/** `t` with one more failure counted under `p` at `now`: blocked past the free ones, kept at least `windowMs`. */
function withFailure(t: ThrottleState, p: ThrottlePolicy, now: Date): ThrottleState {
  const failures = t.failures + 1;
  const block = blockFor(p, failures);
  const blockedUntil = block > 0 ? new Date(now.getTime() + block) : t.blockedUntil;
  const expiry = new Date(Math.max(t.expiry.getTime(), now.getTime() + Math.max(p.windowMs, block)));
  return { ...t, failures, blockedUntil, expiry };
}

/** The claims that have not lapsed at `now`. */
function liveClaims(pending: Record<string, Date>, now: Date): Record<string, Date> {
  const out: Record<string, Date> = {};
  for (const [id, until] of Object.entries(pending)) if (until.getTime() > now.getTime()) out[id] = until;
  return out;
}

export function createThrottle(deps: ThrottleDeps): Throttle {
  const { storage } = deps;
  const fresh = (key: string, now: Date): ThrottleState => ({ key, failures: 0, blockedUntil: null, pending: {}, expiry: now });
  /** The record as it stands at `now`: a forgotten one reads as fresh, lapsed claims are gone. */
  const current = (old: ThrottleState, now: Date): ThrottleState =>
    old.expiry.getTime() >= now.getTime() ? { ...old, pending: liveClaims(old.pending, now) } : fresh(old.key, now);
  const blockedMs = (t: ThrottleState, now: Date): number => Math.max(0, (t.blockedUntil?.getTime() ?? 0) - now.getTime());

  /**
   * Read-modify-write of `s`'s record through `step`, creating it from a fresh one when absent (`absent: 'skip'`
   * leaves it absent). `'create-first'` spares the failed update where the record is usually absent (an account's
   * is deleted on every success).
   */
  async function change(s: Subject, now: Date, step: (t: ThrottleState) => ThrottleState, absent: 'create' | 'create-first' | 'skip'): Promise<void> {
    const key = subjectKey(s);
    let createFirst = absent === 'create-first';
    for (let i = 0; i < 3; i++, createFirst = false) {
      if (!createFirst) {
        try {
          await storage.updateThrottle(key, step);
          return;
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
          if (absent === 'skip') return;
        }
      }
      try {
        await storage.createThrottle(step(fresh(key, now)));
        return;
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
    }
  }

  /** Claims `claim` on `s` unless it is blocked or its free attempts are all being checked. */
  async function claimOne(s: Subject, claim: string, now: Date): Promise<Claim> {
    const p = policyOf(s);
    let answer: Claim = { outcome: 'go', claim };
    await change(s, now, (old) => {
      const t = current(old, now);
      const blocked = blockedMs(t, now);
      const inFlight = Object.keys(t.pending).length;
      if (blocked > 0) answer = { outcome: 'refused', retryAfter: Math.ceil(blocked / 1000) };
      else if (inFlight > 0 && t.failures + inFlight > p.free) answer = { outcome: 'busy' };
      else {
        answer = { outcome: 'go', claim };
        const until = new Date(now.getTime() + CLAIM_MS);
        return { ...t, pending: { ...t.pending, [claim]: until }, expiry: new Date(Math.max(t.expiry.getTime(), until.getTime())) };
      }
      return old;
    }, s.kind === 'account' ? 'create-first' : 'create');
    return answer;
  }

  /** Drops `claim` from `s`; with `failure`, counts it and blocks past the free failures. */
  async function settleOne(s: Subject, claim: string, now: Date, failure: boolean): Promise<void> {
    const p = policyOf(s);
    await change(s, now, (old) => {
      const t = current(old, now);
      const { [claim]: _settled, ...pending } = t.pending;
      return failure ? withFailure({ ...t, pending }, p, now) : { ...t, pending };
    }, failure ? 'create' : 'skip');
  }

  async function clear(s: Subject): Promise<void> {
    try {
      await storage.deleteThrottle(subjectKey(s));
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }

  return {
    async attempt(subjects) {
      const now = deps.now();
      const claim = newId();
      // Addresses first: a refusal further on drops their claims again; a refused or busy subject claims nothing.
      const ordered = [...subjects].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'address' ? -1 : 1));
      for (const [i, s] of ordered.entries()) {
        const answer = await claimOne(s, claim, now);
        if (answer.outcome !== 'go') {
          for (const done of ordered.slice(0, i)) await settleOne(done, claim, now, false);
          return answer;
        }
      }
      return { outcome: 'go', claim };
    },
    async succeeded(subjects, claim) {
      const now = deps.now();
      for (const s of subjects) await (s.kind === 'account' ? clear(s) : settleOne(s, claim, now, false));
    },
    async failed(subjects, claim, log) {
      const now = deps.now();
      for (const s of subjects) await settleOne(s, claim, now, true);
      if (log === undefined) return;
      const fields: Record<string, string> = { request_id: log.requestId };
      for (const s of subjects) {
        if (s.kind === 'address') fields.client_remote_addr = s.id;
        else fields.username_hash = subjectKey(s).slice(-16);
      }
      deps.logger.info(fields, `failed ${log.what}`);
      deps.countFailure?.(subjects[0]?.scope ?? '');
    },
    async count(s) {
      const now = deps.now();
      const p = policyOf(s);
      let wait = 0;
      await change(s, now, (old) => {
        const t = current(old, now);
        wait = blockedMs(t, now);
        return wait > 0 ? old : withFailure(t, p, now);
      }, 'create');
      return Math.ceil(wait / 1000);
    },
  };
}
