/**
 * Single sign-on between clients (dex HEAD server/session/session.go ClientSharesWith, FindSSO): a client that the
 * user signed in to directly shares that sign-in with the clients its `ssoSharedWith` names (`*` = all); a client
 * without the setting follows `sessions.ssoSharedWithDefault` (`all` or `none`); an explicit empty list shares
 * with no one. Sharing is one-way and not transitive: only states the user reached directly are sources.
 */

import type { Storage } from '../../storage/storage.js';
import type { AuthSession, Client, ClientAuthState } from '../../storage/types.js';

export function sharesWith(source: Pick<Client, 'ssoSharedWith'>, targetId: string, fallback: 'none' | 'all'): boolean {
  const list = source.ssoSharedWith;
  if (list === null) return fallback === 'all';
  return list.includes('*') || list.includes(targetId);
}

/** The direct client state of `session` whose client shares with `targetId`, or null. */
export async function findSSOSource(
  storage: Storage,
  session: AuthSession,
  targetId: string,
  fallback: 'none' | 'all',
): Promise<ClientAuthState | null> {
  for (const [clientId, state] of Object.entries(session.clientStates)) {
    if (state.viaSSO) continue;
    const source = await storage.getClient(clientId).catch(() => null);
    if (source && sharesWith(source, targetId, fallback)) return state;
  }
  return null;
}
