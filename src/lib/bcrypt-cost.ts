/**
 * Which bcrypt costs a password login accepts. dex v2.45.1 (`server/server.go`, `passwordDB.Login` → `checkCost`)
 * refuses a stored hash whose cost is below bcrypt's default (10) or above 16, so such a user can never log in.
 * The password connector applies the same rule; the config loader warns about static passwords it would refuse.
 */

export const LOGIN_BCRYPT_COST = { min: 10, max: 16 } as const;

/** The cost of a bcrypt hash, or -1. */
export function bcryptCost(hash: string): number {
  const m = /^\$2[abxy]?\$(\d{2})\$/.exec(hash);
  return m ? Number(m[1]) : -1;
}

/** True when a login may verify a password against `hash` (its cost is within LOGIN_BCRYPT_COST). */
export function loginAcceptsCost(cost: number): boolean {
  return cost >= LOGIN_BCRYPT_COST.min && cost <= LOGIN_BCRYPT_COST.max;
}
