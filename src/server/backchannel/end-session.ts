/**
 * The one policy for ending a browser session, used by RP-initiated logout (`src/server/logout`), the home page's
 * "sign out" and, through `notify`, the gRPC API (`onSessionEnd` in `src/api/sessions.ts`):
 * 1. every client of the session with a `backchannelLogoutURI` gets an outbox entry (delivered by
 *    ./delivery-worker.ts on whichever replica claims it);
 * 2. clients with `refreshTokenLifetime: session` lose the refresh tokens issued under this session (their
 *    `sessionId`); a token of such a client with no session link (issued before sessions) is revoked as well, since
 *    nothing tells it apart from one of this session; other clients' tokens (a CLI's `offline_access`) are kept;
 * 3. the session is deleted.
 * Steps 1 and 2 read `clientStates`, which dies with the session, so they run first (dex HEAD server/logout/logout.go
 * does the same). The outbox entries are written before the session is deleted: a crash in between leaves a
 * session that a second logout ends again, never a session gone without its notifications.
 */

import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Storage } from '../../storage/storage.js';
import type { AuthSession } from '../../storage/types.js';
import { removeDevice } from '../tokens/devices.js';
import { enqueueLogoutNotices } from './outbox.js';

export type SessionEndReason = 'logout' | 'upstream-logout' | 'home' | 'home-everywhere' | 'api';

export interface SessionEnder {
  /** Notifies, drops session-bound refresh tokens, deletes. Resolves false when the session was already gone. */
  endSession(session: AuthSession, reason: SessionEndReason): Promise<boolean>;
  /** Step 1 alone (the API revokes tokens and deletes the session itself). Resolves with the clients queued. */
  notify(session: AuthSession): Promise<string[]>;
}

export interface SessionEnderDeps {
  storage: Storage;
  logger: Logger;
  now: () => Date;
}

/** Refresh tokens of `session`'s `refreshTokenLifetime: session` clients, removed from storage; returns how many. */
async function dropSessionBoundTokens(storage: Storage, session: AuthSession): Promise<number> {
  const bound = new Set<string>();
  for (const clientId of Object.keys(session.clientStates)) {
    const client = await storage.getClient(clientId).catch(() => null);
    if (client?.refreshTokenLifetime === 'session') bound.add(clientId);
  }
  if (bound.size === 0) return 0;
  const offline = await storage.getOfflineSessions(session.userId, session.connectorId).catch((err: unknown) => {
    if (err instanceof NotFoundError) return null;
    throw err;
  });
  if (!offline) return 0;
  const hit = (ref: { clientId: string; sessionId: string }) => bound.has(ref.clientId) && (ref.sessionId === session.id || ref.sessionId === '');
  const ids = new Set(Object.values(offline.refresh).filter(hit).map((r) => r.id));
  if (ids.size === 0) return 0;
  // removeDevice keeps another device of the client in dex's own entry (src/server/tokens/devices.ts).
  await storage.updateOfflineSessions(session.userId, session.connectorId, (old) => ({
    ...old,
    refresh: [...ids].reduce((refresh, id) => removeDevice(refresh, id).refresh, old.refresh),
  }));
  for (const id of ids) {
    await storage.deleteRefresh(id).catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
    });
  }
  return ids.size;
}

export function createSessionEnder(deps: SessionEnderDeps): SessionEnder {
  const { storage, logger } = deps;
  const notify = (session: AuthSession) => enqueueLogoutNotices(storage, session, deps.now());
  return {
    notify,
    async endSession(session, reason) {
      const notified = await notify(session);
      const revoked = await dropSessionBoundTokens(storage, session);
      const deleted = await storage.deleteAuthSession(session.id).then(
        () => true,
        (err: unknown) => {
          if (err instanceof NotFoundError) return false;
          throw err;
        },
      );
      logger.info({ session_id: session.id, reason, notified: notified.length, refresh_revoked: revoked, deleted }, 'session ended');
      return deleted;
    },
  };
}
