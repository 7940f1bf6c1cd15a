/**
 * The home page's actions (docs/devices.md). Each works on the signed-in session's own user and connector only:
 * a device or application id is looked up in that user's OfflineSessions, so an id belonging to someone else is
 * simply not found and nothing is touched.
 *
 * - sign out here / everywhere: the logout policy (`endSession`: back-channel notifications, `refreshTokenLifetime:
 *   session` clients' tokens dropped, the session deleted) for this session or all the user's live sessions;
 * - revoke an application: every device's refresh token of that client (and the grants minted from them), the
 *   remembered consent and its place in the user's sessions, so the application must ask again;
 * - revoke one device: that refresh token alone; the client's other devices keep working.
 */

import { NotFoundError } from '../../lib/errors.js';
import type { AuthSession } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { removeClient, removeDevice, type Change } from '../tokens/devices.js';
import { revokeGrant } from '../tokens/grant-revocation.js';
import { sessionsOfUser } from './home-data.js';

/** The parts of the server context the actions use (the session-end policy: src/server/backchannel/end-session.ts). */
export type HomeActionDeps = Pick<ServerContext, 'storage' | 'logger' | 'now' | 'config' | 'sessionEnder'>;

/** Unlinks with `change` from the session user's OfflineSessions and revokes what was dropped; returns how many. */
async function revokeRefs(deps: HomeActionDeps, s: AuthSession, change: (refresh: Change['refresh']) => Change): Promise<number> {
  let dropped: Change['dropped'] = [];
  try {
    await deps.storage.updateOfflineSessions(s.userId, s.connectorId, (old) => {
      const next = change(old.refresh);
      dropped = next.dropped;
      return next.dropped.length === 0 ? old : { ...old, refresh: next.refresh };
    });
  } catch (err) {
    if (err instanceof NotFoundError) return 0;
    throw err;
  }
  const until = new Date(deps.now().getTime() + deps.config.expiry.idTokens);
  // revokeGrant deletes the token too; access tokens minted from it stop working (tokens/grant-revocation.ts).
  for (const ref of dropped) if (ref.id !== '') await revokeGrant(deps.storage, ref.id, ref.clientId, until);
  return dropped.length;
}

export async function revokeDevice(deps: HomeActionDeps, s: AuthSession, id: string): Promise<boolean> {
  const n = await revokeRefs(deps, s, (refresh) => removeDevice(refresh, id));
  if (n > 0) deps.logger.info({ user_id: s.userId, connector_id: s.connectorId, refresh_id: id }, 'home: device revoked');
  return n > 0;
}

/** Revokes the application `clientId` for the session's user; false when it had nothing to revoke. */
export async function revokeApp(deps: HomeActionDeps, s: AuthSession, clientId: string): Promise<boolean> {
  const n = await revokeRefs(deps, s, (refresh) => removeClient(refresh, clientId));
  let forgot = false;
  await deps.storage
    .updateUserIdentity(s.userId, s.connectorId, (old) => {
      if (!Object.hasOwn(old.consents, clientId)) return old;
      forgot = true;
      const { [clientId]: _gone, ...consents } = old.consents;
      return { ...old, consents };
    })
    .catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
    });
  const signedIn = (await sessionsOfUser(deps.storage, s, deps.now())).filter((x) => Object.hasOwn(x.clientStates, clientId));
  for (const x of signedIn) {
    // The session no longer counts the application as signed in: no silent re-login, no logout notice owed.
    await deps.storage
      .updateAuthSession(x.id, (old) => {
        const { [clientId]: _gone, ...clientStates } = old.clientStates;
        return { ...old, clientStates };
      })
      .catch((err: unknown) => {
        if (!(err instanceof NotFoundError)) throw err;
      });
  }
  const any = n > 0 || forgot || signedIn.length > 0;
  if (any) deps.logger.info({ user_id: s.userId, client_id: clientId, tokens: n }, 'home: application revoked');
  return any;
}

export async function signOut(deps: HomeActionDeps, s: AuthSession, everywhere: boolean): Promise<void> {
  const ending = everywhere ? await sessionsOfUser(deps.storage, s, deps.now()) : [s];
  if (!ending.some((x) => x.id === s.id)) ending.push(s);
  for (const x of ending) await deps.sessionEnder.endSession(x, everywhere ? 'home-everywhere' : 'home');
  deps.logger.info({ user_id: s.userId, sessions: ending.length }, everywhere ? 'home: signed out everywhere' : 'home: signed out');
}
