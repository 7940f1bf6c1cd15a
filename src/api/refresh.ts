/**
 * Refresh-token RPCs (dex `server/apiserver/refresh.go`). `user_id` is the ID token's `sub` — the encoded pair
 * of user id and connector id (dex v2.45.1 `server/oauth2.go` `genSubject`) — not the raw user id. Tokens are found through OfflineSessions,
 * which hold one reference per client, or with sessions on one per device (src/server/tokens/devices.ts).
 */

import type { ServiceImpl } from '@connectrpc/connect';
import { listDevices, removeClient } from '../server/tokens/devices.js';
import { revokeGrant } from '../server/tokens/grant-revocation.js';
import { decodeSubject } from '../server/tokens/subject.js';
import { unixOrZero } from './convert.js';
import type { ApiDeps } from './deps.js';
import { invalidArgument, recover } from './errors.js';
import type { Dex } from './gen/api_pb.js';

type RefreshRpcs = Pick<ServiceImpl<typeof Dex>, 'listRefresh' | 'revokeRefresh'>;

function subject(sub: string): { userId: string; connectorId: string } {
  try {
    return decodeSubject(sub);
  } catch {
    throw invalidArgument('user_id is not an encoded subject (use the "sub" claim of an ID token)');
  }
}

/** Thrown inside the OfflineSessions updater when the client has no token: aborts without writing. */
class NoTokenForClient extends Error {}

export function refreshRpcs(deps: ApiDeps): RefreshRpcs {
  const { storage } = deps;
  return {
    async listRefresh(req) {
      const { userId, connectorId } = subject(req.userId);
      const list = async () => {
        const sessions = await storage.getOfflineSessions(userId, connectorId);
        // The refresh grant records the time of use on the token itself (one write per refresh, not two).
        const lastUsed = (id: string, fallback: Date) => storage.getRefresh(id).then((t) => t.lastUsed, () => fallback);
        return {
          // One entry per device: a client may hold several (src/server/tokens/devices.ts).
          refreshTokens: await Promise.all(
            listDevices(sessions).map(async (ref) => ({
              id: ref.id,
              clientId: ref.clientId,
              createdAt: unixOrZero(ref.createdAt),
              lastUsed: unixOrZero(await lastUsed(ref.id, ref.lastUsed)),
            })),
          ),
        };
      };
      // No offline sessions yet: an empty list, not an error (as dex).
      return recover(list, 'ERR_NOT_FOUND', { refreshTokens: [] });
    },

    // dex's meaning is kept: the user's refresh token for the client stops working, so every device's token of
    // that client goes. One device alone is revoked on the home page or by its client (RFC 7009).
    async revokeRefresh(req) {
      const { userId, connectorId } = subject(req.userId);
      let refreshIds: string[] = [];
      try {
        await storage.updateOfflineSessions(userId, connectorId, (old) => {
          const { refresh, dropped } = removeClient(old.refresh, req.clientId);
          if (dropped.every((r) => r.id === '')) throw new NoTokenForClient();
          refreshIds = dropped.map((r) => r.id).filter((id) => id !== '');
          return { ...old, refresh };
        });
      } catch (err) {
        if (err instanceof NoTokenForClient) return { notFound: true };
        return recover(() => Promise.reject(err), 'ERR_NOT_FOUND', { notFound: true });
      }
      const until = new Date(deps.now().getTime() + (deps.accessTokensValidFor ?? 86_400_000));
      for (const refreshId of refreshIds) {
        const remove = async () => {
          // Access tokens minted from this grant stop working too (src/server/tokens/grant-revocation.ts).
          await revokeGrant(storage, refreshId, req.clientId, until);
          await storage.deleteRefresh(refreshId);
        };
        // The reference is gone; a token already deleted elsewhere still counts as revoked.
        await recover(remove, 'ERR_NOT_FOUND', undefined);
      }
      return {};
    },
  };
}
