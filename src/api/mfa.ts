/**
 * MFA RPCs (dex master (ab64ed77) `server/apiserver/mfa.go`), behind `DEX_API_SESSIONS_IDENTITIES_CRUD`. They act on the MFA fields
 * of a UserIdentity. Secrets and public keys are never sent, only metadata.
 *
 * Bytes on the wire, text in storage: a credential id is stored as base64url text (WebAuthn's JSON form) and sent as
 * the decoded bytes; an AAGUID is stored as a UUID and sent as its 16 bytes. Text in any other form is sent as UTF-8.
 */

import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';
import { NotFoundError } from '../lib/errors.js';
import type { Storage } from '../storage/storage.js';
import type { MFASecret, UserIdentity, WebAuthnCredential } from '../storage/types.js';
import { sortedEntries, unixOrZero } from './convert.js';
import type { ApiDeps } from './deps.js';
import { invalidArgument, requireFlag } from './errors.js';
import type { Dex, MFADeviceInfoSchema } from './gen/api_pb.js';
import { SESSIONS_FLAG } from './sessions.js';

type MfaRpcs = Pick<ServiceImpl<typeof Dex>, 'resetMFA' | 'listMFADevices' | 'deleteWebAuthnCredential' | 'deleteMFASecret'>;

/** Thrown inside a UserIdentity updater when there is nothing to remove: aborts without writing → `not_found`. */
export class IdentityUnchanged extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function credentialIdBytes(id: string): Uint8Array {
  const decoded = Buffer.from(id, 'base64url');
  return decoded.toString('base64url') === id ? decoded : Buffer.from(id, 'utf8');
}

function aaguidBytes(aaguid: string): Uint8Array {
  return UUID.test(aaguid) ? Buffer.from(aaguid.replaceAll('-', ''), 'hex') : Buffer.from(aaguid, 'utf8');
}

/** One entry per authenticator id found in either map, sorted by id. */
export function mfaDevices(
  secrets: Record<string, MFASecret>,
  credentials: Record<string, WebAuthnCredential[]>,
): Array<MessageInitShape<typeof MFADeviceInfoSchema>> {
  const ids = [...new Set([...Object.keys(secrets), ...Object.keys(credentials)])].sort();
  return ids.map((authenticatorId) => {
    const secret = secrets[authenticatorId];
    const creds = credentials[authenticatorId] ?? [];
    return {
      authenticatorId,
      mfaSecret: secret && {
        authenticatorId,
        type: secret.type,
        confirmed: secret.confirmed,
        createdAt: unixOrZero(secret.createdAt),
      },
      webauthnCredentials: creds.map((c) => ({
        credentialId: credentialIdBytes(c.credentialId),
        attestationType: c.attestationType,
        aaguid: aaguidBytes(c.aaguid),
        signCount: c.signCount,
        cloneWarning: c.cloneWarning,
        transport: c.transport,
        backupEligible: c.backupEligible,
        backupState: c.backupState,
        displayName: c.displayName,
        createdAt: unixOrZero(c.createdAt),
      })),
    };
  });
}

/**
 * Applies `fn` to a stored identity. Resolves false when there is no such identity or `fn` threw
 * `IdentityUnchanged` (nothing to remove), which the RPCs answer with `not_found`.
 */
export async function updateIdentity(
  storage: Storage,
  userId: string,
  connectorId: string,
  fn: (old: UserIdentity) => UserIdentity,
): Promise<boolean> {
  try {
    await storage.updateUserIdentity(userId, connectorId, fn);
    return true;
  } catch (err) {
    if (err instanceof IdentityUnchanged || err instanceof NotFoundError) return false;
    throw err;
  }
}

function withoutCredential(old: UserIdentity, wanted: Uint8Array): UserIdentity {
  for (const [authId, creds] of sortedEntries(old.webauthnCredentials)) {
    const rest = creds.filter((c) => !Buffer.from(credentialIdBytes(c.credentialId)).equals(wanted));
    if (rest.length === creds.length) continue;
    const { [authId]: _dropped, ...others } = old.webauthnCredentials;
    return { ...old, webauthnCredentials: rest.length > 0 ? { ...others, [authId]: rest } : others };
  }
  throw new IdentityUnchanged();
}

export function mfaRpcs(deps: ApiDeps): MfaRpcs {
  const { storage, logger } = deps;
  const check = (req: { userId: string; connectorId: string }) => {
    requireFlag(deps.flags.apiSessionsIdentitiesCRUD, SESSIONS_FLAG);
    if (req.userId === '') throw invalidArgument('no user_id supplied');
    if (req.connectorId === '') throw invalidArgument('no connector_id supplied');
  };
  const update = async (userId: string, connectorId: string, fn: (old: UserIdentity) => UserIdentity, what: string) => {
    if (!(await updateIdentity(storage, userId, connectorId, fn))) return { notFound: true };
    logger.info({ connector_id: connectorId }, `api: ${what}`);
    return {};
  };

  return {
    async resetMFA(req) {
      check(req);
      return update(req.userId, req.connectorId, (old) => ({ ...old, mfaSecrets: {}, webauthnCredentials: {}, backupCodes: null }), 'reset MFA');
    },

    async listMFADevices(req) {
      check(req);
      const identity = await storage.getUserIdentity(req.userId, req.connectorId);
      return { devices: mfaDevices(identity.mfaSecrets, identity.webauthnCredentials) };
    },

    async deleteWebAuthnCredential(req) {
      check(req);
      if (req.credentialId.length === 0) throw invalidArgument('no credential_id supplied');
      const wanted = Buffer.from(req.credentialId);
      return update(req.userId, req.connectorId, (old) => withoutCredential(old, wanted), 'deleted WebAuthn credential');
    },

    async deleteMFASecret(req) {
      check(req);
      if (req.authenticatorId === '') throw invalidArgument('no authenticator_id supplied');
      const id = req.authenticatorId;
      return update(
        req.userId,
        req.connectorId,
        (old) => {
          if (!Object.hasOwn(old.mfaSecrets, id)) throw new IdentityUnchanged();
          const { [id]: _secret, ...secrets } = old.mfaSecrets;
          const { [id]: _creds, ...credentials } = old.webauthnCredentials;
          return { ...old, mfaSecrets: secrets, webauthnCredentials: credentials };
        },
        'deleted MFA secret',
      );
    },
  };
}
