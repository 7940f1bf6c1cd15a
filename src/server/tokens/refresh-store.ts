/**
 * Issuing refresh tokens (dex v2.45.1 `server/handlers.go` `exchangeAuthCode`, `server/refreshhandlers.go`), shared by the authorization_code grant, the password grant, the device
 * flow and the authflow. With sessions off this is dex's invariant **one refresh token per (user, connector,
 * client)**: the user's OfflineSessions record maps each client to its one token, and issuing a new token replaces
 * (deletes) the client's previous one. With sessions on, one token per device (`devices.ts`). The
 * latest upstream connector data lives on OfflineSessions, not on the token.
 *
 * Storage round trips: create token, update (or create) OfflineSessions, delete the replaced or evicted tokens.
 * If linking the new token fails it is deleted again, so no orphan is left behind.
 */

import { AlreadyExistsError, NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { newId, newSecret } from '../../storage/ids.js';
import type { Storage } from '../../storage/storage.js';
import type { Claims, OfflineSessions, RefreshTokenRef } from '../../storage/types.js';
import { addDevice } from './devices.js';
import { encodeRefreshToken } from './refresh-token-wire.js';

export interface RefreshStoreDeps {
  storage: Storage;
  now: () => Date;
  logger: Logger;
  /** Sessions on (`config.sessions` set) keeps one token per device; absent or null is dex's one per client. */
  config?: { sessions?: unknown };
}

export interface NewRefreshToken {
  /** The token's id; a new one when absent (a code-born token takes the code's id, its grant id). */
  id?: string;
  clientId: string;
  connectorId: string;
  claims: Claims;
  scopes: string[];
  nonce: string;
  /** Browser session the token came from ('' when none). */
  sessionId: string;
  /** Latest upstream data for the connector's `refresh`; stored on OfflineSessions (kept there when null/empty). */
  connectorData: Uint8Array | null;
}

const hasData = (d: Uint8Array | null): d is Uint8Array => d !== null && d.length > 0;

/**
 * Creates a refresh token, links it into the user's OfflineSessions (replacing the client's previous token) and
 * returns its wire value (`encodeRefreshToken(id, secret)`). Throws the storage error when it could not be stored;
 * a failure to delete the replaced token is only logged (its OfflineSessions link is already gone).
 */
export async function issueRefreshToken(deps: RefreshStoreDeps, input: NewRefreshToken): Promise<string> {
  const now = deps.now();
  const id = input.id ?? newId();
  const secret = newSecret();
  await deps.storage.createRefresh({
    id,
    token: secret,
    obsoleteToken: '',
    createdAt: now,
    lastUsed: now,
    clientId: input.clientId,
    connectorId: input.connectorId,
    connectorData: null,
    claims: input.claims,
    scopes: input.scopes,
    nonce: input.nonce,
    sessionId: input.sessionId,
  });

  let previous: string[];
  try {
    const ref: RefreshTokenRef = { id, clientId: input.clientId, createdAt: now, lastUsed: now, sessionId: input.sessionId };
    previous = await linkOfflineSession(deps.storage, input, ref, deps.config?.sessions != null);
  } catch (err) {
    await deps.storage.deleteRefresh(id).catch((cleanupErr: unknown) => {
      deps.logger.error({ err: cleanupErr, refreshId: id }, 'refresh store: rollback of new refresh token failed');
    });
    throw err;
  }

  for (const old of previous) {
    await deps.storage.deleteRefresh(old).catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) {
        deps.logger.error({ err, refreshId: old }, 'refresh store: failed to delete replaced refresh token');
      }
    });
  }
  return encodeRefreshToken(id, secret);
}

/** Links `ref` into the user's OfflineSessions for its client; returns the ids of the tokens it replaced or evicted. */
async function linkOfflineSession(storage: Storage, input: NewRefreshToken, ref: RefreshTokenRef, perDevice: boolean): Promise<string[]> {
  const { userId } = input.claims;
  const seen = { previous: [] as string[] };
  const link = (old: OfflineSessions): OfflineSessions => {
    const change = addDevice(old.refresh, ref, perDevice);
    seen.previous = change.dropped.map((r) => r.id);
    return {
      ...old,
      refresh: change.refresh,
      connectorData: hasData(input.connectorData) ? input.connectorData : old.connectorData,
    };
  };
  try {
    await storage.updateOfflineSessions(userId, input.connectorId, link);
    return seen.previous;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  try {
    await storage.createOfflineSessions({
      userId,
      connId: input.connectorId,
      refresh: { [ref.clientId]: ref },
      connectorData: hasData(input.connectorData) ? input.connectorData : null,
    });
    return [];
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
    // Created concurrently by another login of the same user: link into that one.
    await storage.updateOfflineSessions(userId, input.connectorId, link);
    return seen.previous;
  }
}
