/**
 * Consumed assertion ids, remembered until the assertion could no longer be accepted anyway (its earliest
 * NotOnOrAfter plus the clock skew), so the same assertion cannot log in twice (SAML Profiles §4.1.4.5).
 *
 * Kept in memory: correct for one replica. With several replicas a replay could land on another one; the login is
 * still bound to a single-use auth request (InResponseTo = the auth request id, which the server deletes once the
 * login completes), so a replay after the flow finished fails on every replica.
 */

export class ReplayCache {
  private readonly seen = new Map<string, number>();

  /** Records `key` until `expiresAt`; false when it is already recorded (a replay). */
  consume(key: string, expiresAt: Date, now: Date): boolean {
    this.prune(now.getTime());
    if (this.seen.has(key)) return false;
    this.seen.set(key, expiresAt.getTime());
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
  }
}
