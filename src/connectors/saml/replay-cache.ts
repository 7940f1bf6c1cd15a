/**
 * Consumed assertion ids, remembered until the assertion could no longer be accepted anyway (its earliest
 * NotOnOrAfter plus the clock skew), so the same assertion cannot log in twice (SAML Profiles §4.1.4.5).
 *
 * In memory, so for one process only: the fallback when the host gives no `claimOnce`. A Ferry server always gives
 * the stored one (`src/server/connectors/claim-once.ts`), which every replica on the same storage shares.
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
