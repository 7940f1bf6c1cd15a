/**
 * The back-channel logout outbox in storage (kind `logout_delivery`): one entry per client to tell, written when a
 * session ends, removed by whichever replica delivers it (or gives it up). Claiming is an atomic update that re-runs
 * the "is it due and unleased" check on the stored value, so of N replicas racing for one entry exactly one wins
 * (the pattern of `src/server/tokens/refresh-policy.ts`).
 */

import { createHash } from 'node:crypto';
import { AlreadyExistsError, NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { AuthSession, LogoutDelivery } from '../../storage/types.js';
import { encodeSubject } from '../tokens/subject.js';

/** Thrown inside the claim updater to abort without writing. */
class NotClaimable extends Error {}

/** Due, and not leased by a live replica. */
export const isClaimable = (d: LogoutDelivery, now: Date): boolean =>
  d.nextAttemptAt.getTime() <= now.getTime() && (d.leaseUntil === null || d.leaseUntil.getTime() <= now.getTime());

/** One id per (session, client): a session ended twice at once (two tabs, two replicas) queues one notification. */
export const deliveryId = (sessionId: string, clientId: string): string =>
  createHash('sha256').update(`${sessionId}\0${clientId}`).digest('hex').slice(0, 40);

/**
 * One outbox entry per client of `session` that registered a `backchannelLogoutURI`; returns the client ids.
 * Clients that no longer exist are skipped; an entry already queued counts as queued.
 */
export async function enqueueLogoutNotices(storage: Storage, session: AuthSession, now: Date): Promise<string[]> {
  const subject = encodeSubject(session.userId, session.connectorId);
  const told: string[] = [];
  for (const clientId of Object.keys(session.clientStates).sort()) {
    const client = await storage.getClient(clientId).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    if (!client?.backchannelLogoutURI) continue;
    const queued = storage.createLogoutDelivery({
      id: deliveryId(session.id, clientId),
      clientId,
      sessionId: session.id,
      subject,
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
      leaseOwner: '',
      leaseUntil: null,
      lastError: '',
    });
    await queued.catch((err: unknown) => {
      if (!(err instanceof AlreadyExistsError)) throw err;
    });
    told.push(clientId);
  }
  return told;
}

/** Takes the lease of entry `id` for `owner`; null when another replica holds it, it is not due, or it is gone. */
export async function claimDelivery(storage: Storage, id: string, owner: string, now: Date, leaseMs: number): Promise<LogoutDelivery | null> {
  try {
    return await storage.updateLogoutDelivery(id, (old) => {
      if (!isClaimable(old, now)) throw new NotClaimable();
      return { ...old, leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) };
    });
  } catch (err) {
    if (err instanceof NotClaimable || err instanceof NotFoundError) return null;
    throw err;
  }
}

/** Records a failed attempt and releases the lease, if `owner` still holds it. */
export async function rescheduleDelivery(storage: Storage, d: LogoutDelivery, owner: string, next: Date, reason: string): Promise<void> {
  try {
    await storage.updateLogoutDelivery(d.id, (old) => {
      if (old.leaseOwner !== owner) throw new NotClaimable();
      return { ...old, attempts: old.attempts + 1, nextAttemptAt: next, leaseOwner: '', leaseUntil: null, lastError: reason };
    });
  } catch (err) {
    if (!(err instanceof NotClaimable || err instanceof NotFoundError)) throw err;
  }
}

/** Removes a delivered or abandoned entry; already gone is fine. */
export async function removeDelivery(storage: Storage, id: string): Promise<void> {
  await storage.deleteLogoutDelivery(id).catch((err: unknown) => {
    if (!(err instanceof NotFoundError)) throw err;
  });
}
