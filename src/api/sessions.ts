/**
 * Auth-session RPCs (dex master (ab64ed77) `server/apiserver/sessions.go`), behind `DEX_API_SESSIONS_IDENTITIES_CRUD`.
 * Ending a session (Delete, TerminateSessionsBy*) tells its relying parties first (`onSessionEnd`, back-channel
 * logout), then revokes **every** refresh token the user holds on that connector — an administrative end of access
 * is deliberately broader than an RP-initiated logout — and deletes the session.
 */

import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';
import type { AuthSession } from '../storage/types.js';
import { sortedEntries, unixOrZero } from './convert.js';
import type { ApiDeps } from './deps.js';
import { invalidArgument, recover, requireFlag } from './errors.js';
import type { AuthSessionSchema, Dex } from './gen/api_pb.js';
import { revokeAllRefresh } from './revoke.js';

type SessionRpcs = Pick<
  ServiceImpl<typeof Dex>,
  'getAuthSession' | 'listAuthSessions' | 'deleteAuthSession' | 'terminateSessionsByConnector' | 'terminateSessionsByUser'
>;

export const SESSIONS_FLAG = 'DEX_API_SESSIONS_IDENTITIES_CRUD';

function toWire(s: AuthSession): MessageInitShape<typeof AuthSessionSchema> {
  return {
    id: s.id,
    userId: s.userId,
    connectorId: s.connectorId,
    clientStates: sortedEntries(s.clientStates).map(([clientId, st]) => ({
      clientId,
      authenticatedAt: unixOrZero(st.authenticatedAt),
      lastActivity: unixOrZero(st.lastActivity),
      lastTokenIssuedAt: unixOrZero(st.lastTokenIssuedAt),
      viaSso: st.viaSSO,
    })),
    createdAt: unixOrZero(s.createdAt),
    lastActivity: unixOrZero(s.lastActivity),
    ipAddress: s.ipAddress,
    userAgent: s.userAgent,
    absoluteExpiry: unixOrZero(s.absoluteExpiry),
    idleExpiry: unixOrZero(s.idleExpiry),
  };
}

/** Notify, revoke the user's refresh tokens on the connector, delete. Resolves false when it was already gone. */
async function endSession(deps: ApiDeps, s: AuthSession): Promise<boolean> {
  if (deps.onSessionEnd) {
    await deps.onSessionEnd(s).catch((err: unknown) => {
      deps.logger.error({ err: (err as Error).message, session_id: s.id }, 'api: session end notification failed');
    });
  }
  await revokeAllRefresh(deps, s.userId, s.connectorId);
  return recover(
    async () => {
      await deps.storage.deleteAuthSession(s.id);
      return true;
    },
    'ERR_NOT_FOUND',
    false,
  );
}

/** Ends every session matching `match`; returns how many were deleted. A failure on one is logged and skipped. */
export async function terminateSessions(deps: ApiDeps, match: (s: AuthSession) => boolean): Promise<bigint> {
  let count = 0n;
  for (const s of (await deps.storage.listAuthSessions()).filter(match)) {
    try {
      if (await endSession(deps, s)) count++;
    } catch (err) {
      deps.logger.error({ err: (err as Error).message, session_id: s.id }, 'api: failed to delete auth session');
    }
  }
  return count;
}

export function sessionRpcs(deps: ApiDeps): SessionRpcs {
  const { storage, logger } = deps;
  const checkFlag = () => requireFlag(deps.flags.apiSessionsIdentitiesCRUD, SESSIONS_FLAG);
  return {
    async getAuthSession(req) {
      checkFlag();
      if (req.id === '') throw invalidArgument('no id supplied');
      return { session: toWire(await storage.getAuthSession(req.id)) };
    },

    async listAuthSessions(req) {
      checkFlag();
      const sessions = (await storage.listAuthSessions()).filter(
        (s) => (req.userId === '' || s.userId === req.userId) && (req.connectorId === '' || s.connectorId === req.connectorId),
      );
      return { sessions: sessions.map(toWire) };
    },

    async deleteAuthSession(req) {
      checkFlag();
      if (req.id === '') throw invalidArgument('no id supplied');
      const session = await recover(() => storage.getAuthSession(req.id), 'ERR_NOT_FOUND', null);
      if (!session || !(await endSession(deps, session))) return { notFound: true };
      logger.info({ session_id: req.id }, 'api: deleted auth session');
      return {};
    },

    async terminateSessionsByConnector(req) {
      checkFlag();
      if (req.connectorId === '') throw invalidArgument('no connector_id supplied');
      const sessionsTerminated = await terminateSessions(deps, (s) => s.connectorId === req.connectorId);
      logger.info({ connector_id: req.connectorId, count: Number(sessionsTerminated) }, 'api: terminated sessions by connector');
      return { sessionsTerminated };
    },

    async terminateSessionsByUser(req) {
      checkFlag();
      if (req.userId === '') throw invalidArgument('no user_id supplied');
      const sessionsTerminated = await terminateSessions(deps, (s) => s.userId === req.userId);
      logger.info({ count: Number(sessionsTerminated) }, 'api: terminated sessions by user');
      return { sessionsTerminated };
    },
  };
}
