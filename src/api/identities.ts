/**
 * User-identity RPCs (dex master (ab64ed77) `server/apiserver/identities.go`, and RevokeConsent), behind
 * `DEX_API_SESSIONS_IDENTITIES_CRUD`. DeleteUserIdentity is a full purge (GDPR): the user's sessions on that
 * connector, all their refresh tokens and offline sessions, the password entry with the identity's email, and the
 * identity itself. A real failure aborts the purge with an error, so a caller is never told it succeeded when data
 * was left behind.
 */

import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';
import type { UserIdentity } from '../storage/types.js';
import { sortedEntries, unixOrZero } from './convert.js';
import type { ApiDeps } from './deps.js';
import { invalidArgument, recover, requireFlag } from './errors.js';
import type { Dex, UserIdentitySchema } from './gen/api_pb.js';
import { IdentityUnchanged, mfaDevices, updateIdentity } from './mfa.js';
import { revokeAllRefresh } from './revoke.js';
import { SESSIONS_FLAG, terminateSessions } from './sessions.js';

type IdentityRpcs = Pick<ServiceImpl<typeof Dex>, 'getUserIdentity' | 'listUserIdentities' | 'deleteUserIdentity' | 'revokeConsent'>;

function toWire(u: UserIdentity): MessageInitShape<typeof UserIdentitySchema> {
  return {
    userId: u.userId,
    connectorId: u.connectorId,
    email: u.claims.email,
    emailVerified: u.claims.emailVerified,
    username: u.claims.username,
    groups: u.claims.groups,
    consents: sortedEntries(u.consents).map(([clientId, scopes]) => ({ clientId, scopes })),
    mfaDevices: mfaDevices(u.mfaSecrets, u.webauthnCredentials),
    createdAt: unixOrZero(u.createdAt),
    lastLogin: unixOrZero(u.lastLogin),
    blockedUntil: unixOrZero(u.blockedUntil),
  };
}

export function identityRpcs(deps: ApiDeps): IdentityRpcs {
  const { storage, logger } = deps;
  const checkFlag = () => requireFlag(deps.flags.apiSessionsIdentitiesCRUD, SESSIONS_FLAG);
  const checkKey = (req: { userId: string; connectorId: string }) => {
    checkFlag();
    if (req.userId === '') throw invalidArgument('no user_id supplied');
    if (req.connectorId === '') throw invalidArgument('no connector_id supplied');
  };

  return {
    async getUserIdentity(req) {
      checkKey(req);
      return { identity: toWire(await storage.getUserIdentity(req.userId, req.connectorId)) };
    },

    async listUserIdentities() {
      checkFlag();
      return { identities: (await storage.listUserIdentities()).map(toWire) };
    },

    async deleteUserIdentity(req) {
      checkKey(req);
      const { userId, connectorId } = req;
      const identity = await recover(() => storage.getUserIdentity(userId, connectorId), 'ERR_NOT_FOUND', null);
      if (!identity) return { notFound: true };
      await terminateSessions(deps, (s) => s.userId === userId && s.connectorId === connectorId);
      await revokeAllRefresh(deps, userId, connectorId);
      await recover(() => storage.deleteOfflineSessions(userId, connectorId), 'ERR_NOT_FOUND', undefined);
      const email = identity.claims.email;
      if (email !== '') await recover(() => storage.deletePassword(email), 'ERR_NOT_FOUND', undefined);
      const deleted = await recover(() => storage.deleteUserIdentity(userId, connectorId).then(() => true), 'ERR_NOT_FOUND', false);
      if (!deleted) return { notFound: true };
      logger.info({ connector_id: connectorId }, 'api: purged user identity');
      return {};
    },

    async revokeConsent(req) {
      checkKey(req);
      if (req.clientId === '') throw invalidArgument('no client_id supplied');
      const found = await updateIdentity(storage, req.userId, req.connectorId, (old) => {
        if (!Object.hasOwn(old.consents, req.clientId)) throw new IdentityUnchanged();
        const { [req.clientId]: _revoked, ...consents } = old.consents;
        return { ...old, consents };
      });
      if (!found) return { notFound: true };
      logger.info({ connector_id: req.connectorId, client_id: req.clientId }, 'api: revoked consent');
      return {};
    },
  };
}
