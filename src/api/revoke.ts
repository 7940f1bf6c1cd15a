/**
 * Revoking every refresh token a user holds on one connector (dex `RefreshStore.RevokeAll`), used when the API
 * ends sessions or purges an identity. Best effort: failures are logged, never returned.
 *
 * Race-safe like dex: snapshot the token ids, remove only those references from OfflineSessions (the updater sees
 * the latest record, so a token issued meanwhile keeps its reference), then delete the tokens.
 */

import { NotFoundError } from '../lib/errors.js';
import type { ApiDeps } from './deps.js';

export async function revokeAllRefresh(deps: Pick<ApiDeps, 'storage' | 'logger'>, userId: string, connectorId: string): Promise<void> {
  const { storage, logger } = deps;
  let ids: Set<string>;
  try {
    const sessions = await storage.getOfflineSessions(userId, connectorId);
    ids = new Set(Object.values(sessions.refresh).map((r) => r.id));
  } catch (err) {
    if (!(err instanceof NotFoundError)) logger.error({ err: (err as Error).message }, 'api: failed to read offline sessions');
    return;
  }
  if (ids.size === 0) return;
  try {
    await storage.updateOfflineSessions(userId, connectorId, (old) => ({
      ...old,
      refresh: Object.fromEntries(Object.entries(old.refresh).filter(([, ref]) => !ids.has(ref.id))),
    }));
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'api: failed to update offline sessions');
  }
  for (const id of ids) {
    await storage.deleteRefresh(id).catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) logger.error({ err: (err as Error).message }, 'api: failed to delete refresh token');
    });
  }
}
